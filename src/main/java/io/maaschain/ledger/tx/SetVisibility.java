package io.maaschain.ledger.tx;

/** The owner makes a model public (anyone may call it, paying its price) or private (only grantees). */
public record SetVisibility(String name, boolean isPublic) implements Payload {
    public static final int KIND = 6;

    public SetVisibility {
        ModelNames.requireName(name);
    }

    @Override
    public int kind() {
        return KIND;
    }
}
