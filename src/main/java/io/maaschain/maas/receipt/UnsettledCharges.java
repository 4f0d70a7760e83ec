package io.maaschain.maas.receipt;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * This node's successful, billed calls that the chain has not settled yet: the receipts at or above the host's
 * settlement cursor. Access control subtracts them from a caller's escrow and grant quota, so a caller cannot spend
 * the same escrow twice while batches are in flight. Keyed by sequence number, so adding a receipt twice is harmless.
 * Not thread-safe: the caller serializes access.
 */
public final class UnsettledCharges {
    /** {@code spendingKey}: the API key's hash for a call paid by an allowance, null for one paid through the channel. */
    private record Entry(Address caller, String model, long fee, Hash spendingKey) {}

    private record ModelCaller(String model, Address caller) {}

    private final TreeMap<Long, Entry> bySeq = new TreeMap<>();
    private final Map<Address, Long> fees = new HashMap<>();
    private final Map<Address, Long> channelFees = new HashMap<>();
    private final Map<Hash, Long> keyFees = new HashMap<>();
    private final Map<ModelCaller, Long> calls = new HashMap<>();
    /** Every receipt below this was settled when last looked at. */
    private long cursor;
    private boolean loaded;

    /** Counts a successful receipt with a caller; anything else is ignored. */
    public void add(Receipt r) {
        if (!BatchBuilder.billable(r) || r.seq() < cursor) return;
        Entry e = new Entry(r.caller(), r.modelName(), r.fee(), r.paidBy() instanceof PaidBy.SpendingKey k ? k.keyHash() : null);
        if (bySeq.putIfAbsent(r.seq(), e) != null) return;
        fees.merge(e.caller, e.fee, Long::sum);
        if (e.spendingKey == null) channelFees.merge(e.caller, e.fee, Long::sum);
        else keyFees.merge(e.spendingKey, e.fee, Long::sum);
        calls.merge(new ModelCaller(e.model, e.caller), 1L, Long::sum);
    }

    /**
     * Brings the set in line with the chain's cursor: drops what is now settled; after a reorg moved the cursor back,
     * reloads the receipts that are unsettled again from {@code log}.
     */
    public void sync(long chainCursor, ReceiptLog log) {
        if (!loaded || chainCursor < cursor) {
            // Every receipt written counts, synced or not: a kill -9 loses none of them, so none may be forgotten here.
            long reloadTo = loaded ? cursor : log.writtenNextSeq();
            cursor = chainCursor;
            loaded = true;
            for (ReceiptLog.Stored s : log.receipts(chainCursor, reloadTo)) add(s.receipt().receipt());
        }
        if (chainCursor > cursor) {
            var settled = bySeq.headMap(chainCursor);
            for (Entry e : settled.values()) {
                subtract(fees, e.caller, e.fee);
                if (e.spendingKey == null) subtract(channelFees, e.caller, e.fee);
                else subtract(keyFees, e.spendingKey, e.fee);
                subtract(calls, new ModelCaller(e.model, e.caller), 1);
            }
            settled.clear();
            cursor = chainCursor;
        }
    }

    private static <K> void subtract(Map<K, Long> m, K key, long amount) {
        m.computeIfPresent(key, (k, v) -> v - amount == 0 ? null : v - amount);
    }

    public long pendingFees(Address caller) {
        return fees.getOrDefault(caller, 0L);
    }

    /** Fees owed by {@code caller} for calls it signed (paid through its channel), not yet settled. */
    public long pendingChannelFees(Address caller) {
        return channelFees.getOrDefault(caller, 0L);
    }

    /** Fees owed for calls made with the API key whose hash is {@code keyHash}, not yet settled. */
    public long pendingKeyFees(Hash keyHash) {
        return keyFees.getOrDefault(keyHash, 0L);
    }

    public long pendingCalls(String model, Address caller) {
        return calls.getOrDefault(new ModelCaller(model, caller), 0L);
    }

    public int size() {
        return bySeq.size();
    }

    public long cursor() {
        return cursor;
    }
}
