package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import java.util.List;
import java.util.Objects;

/**
 * A hosting node settles its receipts with sequence numbers {@code firstSeq..lastSeq}: {@code receiptsRoot} is
 * the RFC 6962 Merkle root of their hashes in sequence order, and each charge bills a caller for successful calls
 * of one model version. Batches must follow each other without gaps, so no receipt is settled twice or skipped.
 */
public record ReceiptBatch(long firstSeq, long lastSeq, Hash receiptsRoot, List<Charge> charges) implements Payload {
    public static final int KIND = 12;
    public static final int MAX_CHARGES = 1024;
    public static final long MAX_RECEIPTS = 1_000_000;

    /** {@code calls} successful calls by {@code caller} of {@code name}/{@code version}. */
    public record Charge(Address caller, String name, String version, long calls) {
        public Charge {
            Objects.requireNonNull(caller, "caller");
            ModelNames.requireName(name);
            ModelNames.requireVersion(version);
            if (calls <= 0) throw new IllegalArgumentException("a charge covers at least one call");
        }
    }

    public ReceiptBatch {
        Objects.requireNonNull(receiptsRoot, "receiptsRoot");
        charges = List.copyOf(charges);
        if (firstSeq < 0 || lastSeq < firstSeq) throw new IllegalArgumentException("receipt range must satisfy 0 <= firstSeq <= lastSeq");
        if (lastSeq - firstSeq + 1 > MAX_RECEIPTS) throw new IllegalArgumentException("a batch settles at most " + MAX_RECEIPTS + " receipts");
        if (charges.size() > MAX_CHARGES) throw new IllegalArgumentException("a batch holds at most " + MAX_CHARGES + " charges");
        long calls = 0;
        for (Charge c : charges) {
            calls += c.calls();
            // Checked per step: each term is at most 2^63-1, so the sum cannot wrap before it exceeds the bound.
            if (calls < 0 || calls > lastSeq - firstSeq + 1) throw new IllegalArgumentException("charges bill more calls than the batch has receipts");
        }
    }

    public long receiptCount() {
        return lastSeq - firstSeq + 1;
    }

    @Override
    public int kind() {
        return KIND;
    }
}
