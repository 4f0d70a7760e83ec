package io.maaschain.ledger.tx;

/** The owner marks a model version deprecated: nodes stop serving it and no node can start hosting it. */
public record Deprecate(String name, String version) implements Payload {
    public static final int KIND = 5;

    public Deprecate {
        ModelNames.requireName(name);
        ModelNames.requireVersion(version);
    }

    @Override
    public int kind() {
        return KIND;
    }
}
