package io.maaschain.maas.receipt;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.ledger.tx.ModelNames;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.TransactionCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Turns consecutive receipts into a {@link ReceiptBatch} payload: the RFC 6962 root of their ids in sequence order,
 * and one charge per (caller, model, version) counting successful calls by an authenticated caller. The batch stops
 * early where one more charge would exceed the charge limit or the 4096-byte transaction limit.
 */
public final class BatchBuilder {
    /** Transaction bytes besides charges and authorisations: body header 58, range, root and two counts 52, signature 64. */
    static final int BASE_TX_BYTES = 58 + 8 + 8 + 32 + 2 + 2 + 64;

    private BatchBuilder() {}

    /** One charge per caller, model version and means of payment (the caller's channel, or one API key). */
    record ChargeKey(Address caller, String name, String version, Hash spendingKey) {}

    private static final Comparator<ChargeKey> ORDER = Comparator.comparing(ChargeKey::caller)
            .thenComparing(ChargeKey::name).thenComparing(ChargeKey::version)
            .thenComparing(ChargeKey::spendingKey, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** A batch with the ids it commits to, in sequence order. */
    public record Built(ReceiptBatch batch, List<Hash> ids) {}

    /** Whether a receipt is billed in a batch: a successful call by an authenticated caller. */
    public static boolean billable(Receipt r) {
        if (!r.succeeded() || r.caller() == null) return false;
        try {
            ModelNames.requireName(r.modelName());
            ModelNames.requireVersion(r.modelVersion());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static int chargeBytes(ChargeKey k) {
        return Address.LENGTH + 4 + k.name.getBytes(StandardCharsets.UTF_8).length + 4 + k.version.getBytes(StandardCharsets.UTF_8).length + 8
                + 1 + (k.spendingKey == null ? 0 : Hash.LENGTH);
    }

    /** What paid a receipt's call through the caller's channel, or null. */
    private static PaymentAuthorisation channelAuthorisation(Receipt r) {
        return r.paidBy() instanceof PaidBy.Channel c ? c.authorisation() : null;
    }

    private static Hash spendingKey(Receipt r) {
        return r.paidBy() instanceof PaidBy.SpendingKey k ? k.keyHash() : null;
    }

    /**
     * Batches a prefix of {@code receipts} (consecutive, starting at the cursor), at most {@code maxReceipts} of them.
     * Each caller who paid through its channel contributes its highest authorisation among them: being cumulative,
     * it covers every earlier call.
     *
     * @return null when {@code receipts} is empty
     */
    public static Built build(List<SignedReceipt> receipts, int maxReceipts) {
        if (receipts.isEmpty()) return null;
        long first = receipts.getFirst().receipt().seq();
        TreeMap<ChargeKey, Long> charges = new TreeMap<>(ORDER);
        TreeMap<Address, PaymentAuthorisation> highest = new TreeMap<>();
        List<Hash> ids = new ArrayList<>();
        int bytes = BASE_TX_BYTES;
        int limit = (int) Math.min(Math.min(maxReceipts, ReceiptBatch.MAX_RECEIPTS), receipts.size());
        for (int i = 0; i < limit; i++) {
            Receipt r = receipts.get(i).receipt();
            if (r.seq() != first + i) throw new IllegalArgumentException("receipts must be consecutive: expected " + (first + i) + ", got " + r.seq());
            if (billable(r)) {
                ChargeKey k = new ChargeKey(r.caller(), r.modelName(), r.modelVersion(), spendingKey(r));
                PaymentAuthorisation auth = channelAuthorisation(r);
                int add = charges.containsKey(k) ? 0 : chargeBytes(k);
                if (auth != null && !highest.containsKey(r.caller())) add += PaymentAuthorisation.ENCODED_BYTES;
                if (add > 0 && (charges.size() >= ReceiptBatch.MAX_CHARGES || bytes + add > TransactionCodec.MAX_TRANSACTION_BYTES)) break;
                bytes += add;
                charges.merge(k, 1L, Long::sum);
                if (auth != null) highest.merge(r.caller(), auth, (a, b) -> b.authorised() > a.authorised() ? b : a);
            }
            ids.add(receipts.get(i).id());
        }
        if (ids.isEmpty()) return null;
        List<ReceiptBatch.Charge> list = new ArrayList<>(charges.size());
        charges.forEach((k, n) -> list.add(new ReceiptBatch.Charge(k.caller, k.name, k.version, n, k.spendingKey)));
        ReceiptBatch batch = new ReceiptBatch(first, first + ids.size() - 1, MerkleTree.root(ids), list, List.copyOf(highest.values()));
        return new Built(batch, ids);
    }
}
