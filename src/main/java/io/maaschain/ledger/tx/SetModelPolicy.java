package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import java.util.Optional;

/**
 * The model's owner names a policy contract that the gateway asks {@code authorize} before serving a call, and that
 * may grant and revoke access to the model (docs/contracts.md, "Contracts govern models"); empty clears it.
 */
public record SetModelPolicy(String name, Optional<Address> policy) implements Payload {
    public static final int KIND = 27;

    public SetModelPolicy {
        ModelNames.requireName(name);
        java.util.Objects.requireNonNull(policy, "policy");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
