package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import java.util.Objects;

/** The owner withdraws a grant; calls already made stay billable. */
public record RevokeAccess(String name, Address grantee) implements Payload {
    public static final int KIND = 9;

    public RevokeAccess {
        ModelNames.requireName(name);
        Objects.requireNonNull(grantee, "grantee");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
