package io.maaschain.ledger.tx;

import java.util.Objects;

/** Registers a further version of a model the sender already owns; the fields are those of {@link RegisterModel}. */
public record NewVersion(RegisterModel spec) implements Payload {
    public static final int KIND = 4;

    public NewVersion {
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
