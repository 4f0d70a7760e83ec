package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import java.util.Objects;

/** The owner lets {@code grantee} call a model up to {@code quota} times, until block {@code expiryHeight}. */
public record GrantAccess(String name, Address grantee, long quota, long expiryHeight) implements Payload {
    public static final int KIND = 8;

    public GrantAccess {
        ModelNames.requireName(name);
        Objects.requireNonNull(grantee, "grantee");
        if (quota <= 0) throw new IllegalArgumentException("quota must be positive");
        if (expiryHeight <= 0) throw new IllegalArgumentException("expiry height must be positive");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
