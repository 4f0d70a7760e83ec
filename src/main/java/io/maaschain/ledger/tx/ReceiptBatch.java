package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A hosting node settles its receipts with sequence numbers {@code firstSeq..lastSeq}: {@code receiptsRoot} is
 * the RFC 6962 Merkle root of their hashes in sequence order, and each charge bills a caller for successful calls
 * of one model version. Batches must follow each other without gaps, so no receipt is settled twice or skipped.
 *
 * <p>What a charge may take is bounded by what the caller signed (docs/receipts.md, "Settlement rule"): a charge paid
 * through the caller's channel ({@code spendingKey == null}) by the caller's highest {@link PaymentAuthorisation} in
 * {@code authorisations} (at most one per caller), a charge made with an API key by the allowance the account gave
 * that key ({@link AllowSpendingKey}).
 */
public record ReceiptBatch(long firstSeq, long lastSeq, Hash receiptsRoot, List<Charge> charges,
                           List<PaymentAuthorisation> authorisations) implements Payload {
    public static final int KIND = 12;
    public static final int MAX_CHARGES = 1024;
    public static final long MAX_RECEIPTS = 1_000_000;

    /**
     * {@code calls} successful calls by {@code caller} of {@code name}/{@code version}, made with the API key whose
     * SHA-256 is {@code spendingKey}, or through the caller's own signed requests when it is null.
     */
    public record Charge(Address caller, String name, String version, long calls, Hash spendingKey) {
        public Charge {
            Objects.requireNonNull(caller, "caller");
            ModelNames.requireName(name);
            ModelNames.requireVersion(version);
            if (calls <= 0) throw new IllegalArgumentException("a charge covers at least one call");
        }

        /** A charge paid through the caller's channel. */
        public Charge(Address caller, String name, String version, long calls) {
            this(caller, name, version, calls, null);
        }
    }

    public ReceiptBatch {
        Objects.requireNonNull(receiptsRoot, "receiptsRoot");
        charges = List.copyOf(charges);
        authorisations = List.copyOf(authorisations);
        if (firstSeq < 0 || lastSeq < firstSeq) throw new IllegalArgumentException("receipt range must satisfy 0 <= firstSeq <= lastSeq");
        if (lastSeq - firstSeq + 1 > MAX_RECEIPTS) throw new IllegalArgumentException("a batch settles at most " + MAX_RECEIPTS + " receipts");
        if (charges.size() > MAX_CHARGES) throw new IllegalArgumentException("a batch holds at most " + MAX_CHARGES + " charges");
        if (authorisations.size() > MAX_CHARGES) throw new IllegalArgumentException("a batch holds at most " + MAX_CHARGES + " authorisations");
        long calls = 0;
        for (Charge c : charges) {
            calls += c.calls();
            // Checked per step: each term is at most 2^63-1, so the sum cannot wrap before it exceeds the bound.
            if (calls < 0 || calls > lastSeq - firstSeq + 1) throw new IllegalArgumentException("charges bill more calls than the batch has receipts");
        }
        Set<Address> payers = new HashSet<>();
        for (PaymentAuthorisation a : authorisations) {
            if (!payers.add(a.caller())) throw new IllegalArgumentException("a batch carries at most one authorisation per caller");
        }
    }

    /** A batch with no payment authorisations (free calls, API-key calls, gaps). */
    public ReceiptBatch(long firstSeq, long lastSeq, Hash receiptsRoot, List<Charge> charges) {
        this(firstSeq, lastSeq, receiptsRoot, charges, List.of());
    }

    public long receiptCount() {
        return lastSeq - firstSeq + 1;
    }

    @Override
    public int kind() {
        return KIND;
    }
}
