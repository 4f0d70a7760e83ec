package io.maaschain.ledger.tx;

/**
 * The sender, a node operator's account, announces that it serves a model version and what it charges per call on
 * top of the model's own price. Receipts it signs are settled against this record. A higher price takes effect only
 * after twice the escrow timeout, so callers who object can withdraw their escrow before it applies.
 */
public record HostModel(String name, String version, long hostPrice) implements Payload {
    public static final int KIND = 7;

    public HostModel {
        ModelNames.requireName(name);
        ModelNames.requireVersion(version);
        if (hostPrice < 0) throw new IllegalArgumentException("host price must not be negative");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
