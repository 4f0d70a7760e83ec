package io.maaschain.maas.receipt;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Signature;
import io.maaschain.storage.Column;
import io.maaschain.storage.KeyValueStore;
import io.maaschain.storage.StorageException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's durable receipt log. Every call gets the next sequence number, and {@link #append} returns only once the
 * signed receipt is on disk (a synced RocksDB write), so a receipt a caller holds is never lost and a number is never
 * reused or skipped, even across kill -9: the receipt, its index entries and the log head land in one atomic batch.
 * Concurrent appends share one fsync (group commit); numbers are assigned and written in order.
 *
 * <p>Layout (column {@link Column#RECEIPTS}: {@code u64 seq -> record}; column {@link Column#RECEIPT_INDEX}):
 * <pre>
 *   0x00                   -> u64 next seq || u64 last timestamp          the log head
 *   0x01 || receipt id     -> u64 seq
 *   0x03 || u64 firstSeq   -> batch record                                 batches made or seen committed
 *   0x04 || u64 seq        -> u64 firstSeq || u64 lastSeq                 the batch a receipt was last put in
 * </pre>
 */
public final class ReceiptLog {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptLog.class);
    private static final byte[] HEAD_KEY = {0x00};
    private static final int ID_PREFIX = 0x01;
    private static final int BATCH_PREFIX = 0x03;
    private static final int POINTER_PREFIX = 0x04;
    private static final int RECORD_VERSION = 1;

    /** What the node knows about a call when it issues the receipt; the log adds chain id, node key and seq. */
    public record Draft(long timestampMillis, String modelName, String modelVersion, Hash artifactDigest, Address caller,
                        Hash requestHash, int status, Hash responseHash, String errorCode, Hash errorMessageHash, long fee,
                        long latencyNanos) {}

    /** A receipt as stored, with what only this node knows about the call. */
    public record Stored(SignedReceipt receipt, long latencyNanos) {
        public long seq() {
            return receipt.receipt().seq();
        }
    }

    private final KeyValueStore store;
    private final KeyPair nodeKey;
    private final long chainId;
    private final Object seqLock = new Object();
    private final Object commitLock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long nextSeq;
    private long lastTimestamp;
    private long durableNext;
    private volatile RuntimeException broken;

    private static final class Pending {
        final SignedReceipt receipt;
        final long latencyNanos;
        boolean done;
        RuntimeException failure;

        Pending(SignedReceipt receipt, long latencyNanos) {
            this.receipt = receipt;
            this.latencyNanos = latencyNanos;
        }
    }

    private ReceiptLog(KeyValueStore store, KeyPair nodeKey, long chainId) {
        this.store = store;
        this.nodeKey = nodeKey;
        this.chainId = chainId;
        byte[] head = store.get(Column.RECEIPT_INDEX, HEAD_KEY);
        if (head != null) {
            ByteReader r = new ByteReader(head);
            nextSeq = r.u63("next seq");
            lastTimestamp = r.u63("last timestamp");
            r.expectEnd();
        }
        if (nextSeq > 0 && store.get(Column.RECEIPTS, seqKey(nextSeq - 1)) == null && !skippedTo(nextSeq)) {
            throw new StorageException("receipt log head says " + nextSeq + " receipts, but receipt " + (nextSeq - 1) + " is missing");
        }
        if (store.get(Column.RECEIPTS, seqKey(nextSeq)) != null) {
            throw new StorageException("receipt " + nextSeq + " is stored beyond the log head: the receipt log is corrupted");
        }
        durableNext = nextSeq;
    }

    private boolean skippedTo(long next) {
        byte[] b = store.get(Column.RECEIPT_INDEX, new byte[] {0x05});
        return b != null && new ByteReader(b).u63("skipped to") == next;
    }

    /** Opens the log of {@code nodeKey}'s receipts for chain {@code chainId} in {@code store}. */
    public static ReceiptLog open(KeyValueStore store, KeyPair nodeKey, long chainId) {
        ReceiptLog log = new ReceiptLog(store, nodeKey, chainId);
        LOG.info("receipt log of node {} opened: next seq {}", nodeKey.address(), log.nextSeq);
        return log;
    }

    public Address node() {
        return nodeKey.address();
    }

    public KeyPair nodeKey() {
        return nodeKey;
    }

    public long chainId() {
        return chainId;
    }

    /**
     * Assigns the next sequence number, signs the receipt and makes it durable before returning it.
     *
     * @throws IllegalArgumentException if the draft does not make a valid receipt (no number is used)
     * @throws StorageException if the write failed; the log then refuses every later append until the node restarts,
     *                          so no number is ever skipped
     */
    public SignedReceipt append(Draft d) {
        Pending p;
        synchronized (seqLock) {
            if (broken != null) throw new StorageException("the receipt log failed earlier and refuses new receipts: " + broken.getMessage(), broken);
            long ts = Math.max(d.timestampMillis(), lastTimestamp);
            Receipt r = new Receipt(chainId, nodeKey.publicKey(), nextSeq, ts, d.modelName(), d.modelVersion(), d.artifactDigest(), d.caller(),
                    d.requestHash(), d.status(), d.responseHash(), d.errorCode(), d.errorMessageHash(), d.fee());
            p = new Pending(SignedReceipt.sign(r, nodeKey), Math.max(0, d.latencyNanos()));
            nextSeq++;
            lastTimestamp = ts;
            queue.add(p);
        }
        synchronized (commitLock) {
            if (!p.done) commitQueued();
        }
        if (p.failure != null) throw new StorageException("receipt " + p.receipt.receipt().seq() + " could not be stored: " + p.failure.getMessage(), p.failure);
        return p.receipt;
    }

    /** Writes everything queued so far in one synced batch; called with the commit lock held. */
    private void commitQueued() {
        List<Pending> batch;
        long next;
        long lastTs;
        synchronized (seqLock) {
            batch = new ArrayList<>(queue);
            queue.clear();
            if (batch.isEmpty()) return;
            next = batch.getLast().receipt.receipt().seq() + 1;
            lastTs = batch.getLast().receipt.receipt().timestampMillis();
        }
        try (KeyValueStore.WriteBatch wb = store.newBatch()) {
            for (Pending p : batch) {
                long seq = p.receipt.receipt().seq();
                wb.put(Column.RECEIPTS, seqKey(seq), encodeRecord(p.receipt, p.latencyNanos));
                wb.put(Column.RECEIPT_INDEX, idKey(p.receipt.id()), seqKey(seq));
            }
            wb.put(Column.RECEIPT_INDEX, HEAD_KEY, new ByteWriter(16).u64(next).u64(lastTs).toByteArray());
            wb.commit();
            durableNext = next;
            for (Pending p : batch) p.done = true;
        } catch (RuntimeException e) {
            LOG.error("ALERT: the receipt log cannot write receipts {}..{}; refusing further calls until restart",
                    batch.getFirst().receipt.receipt().seq(), next - 1, e);
            broken = e;
            for (Pending p : batch) {
                p.failure = e;
                p.done = true;
            }
        }
    }

    /**
     * Moves the next sequence number up to {@code seq} when the chain has settled receipts this log no longer holds
     * (a database restored from an old backup): numbers the chain already settled are never issued twice.
     */
    public void skipTo(long seq) {
        synchronized (commitLock) {
            synchronized (seqLock) {
                if (seq <= nextSeq) return;
                LOG.error("ALERT: the chain has settled this node's receipts up to {}, but the local log ends at {}: receipts {}..{} are "
                        + "missing locally; continuing at {}", seq - 1, nextSeq - 1, nextSeq, seq - 1, seq);
                try (KeyValueStore.WriteBatch wb = store.newBatch()) {
                    wb.put(Column.RECEIPT_INDEX, HEAD_KEY, new ByteWriter(16).u64(seq).u64(lastTimestamp).toByteArray());
                    wb.put(Column.RECEIPT_INDEX, new byte[] {0x05}, new ByteWriter(8).u64(seq).toByteArray());
                    wb.commit();
                }
                nextSeq = seq;
                durableNext = seq;
            }
        }
    }

    /** The sequence number the next receipt will get; every lower number is durable or being written. */
    public long nextSeq() {
        synchronized (seqLock) {
            return nextSeq;
        }
    }

    /** One past the highest durable sequence number. */
    public long durableNextSeq() {
        synchronized (commitLock) {
            return durableNext;
        }
    }

    public Optional<Stored> get(long seq) {
        if (seq < 0) return Optional.empty();
        byte[] b = store.get(Column.RECEIPTS, seqKey(seq));
        return b == null ? Optional.empty() : Optional.of(decodeRecord(seq, b));
    }

    public Optional<Stored> get(Hash id) {
        byte[] s = store.get(Column.RECEIPT_INDEX, idKey(id));
        if (s == null) return Optional.empty();
        return get(new ByteReader(s).u63("seq"));
    }

    /** Receipts {@code from} (inclusive) to {@code to} (exclusive) in sequence order; stops at the first missing one. */
    public List<Stored> range(long from, long to) {
        List<Stored> out = new ArrayList<>((int) Math.max(0, Math.min(to - from, 1 << 16)));
        for (long s = Math.max(0, from); s < to; s++) {
            Optional<Stored> r = get(s);
            if (r.isEmpty()) break;
            out.add(r.get());
        }
        return out;
    }

    /** Records a batch and points each of its receipts at it, in one atomic write. */
    public void putBatch(BatchRecord b) {
        try (KeyValueStore.WriteBatch wb = store.newBatch()) {
            wb.put(Column.RECEIPT_INDEX, batchKey(b.firstSeq()), b.encode());
            byte[] range = new ByteWriter(16).u64(b.firstSeq()).u64(b.lastSeq()).toByteArray();
            for (long s = b.firstSeq(); s <= b.lastSeq(); s++) wb.put(Column.RECEIPT_INDEX, pointerKey(s), range);
            wb.commit();
        }
    }

    /** The batch whose range starts at {@code firstSeq}, if one was recorded. */
    public Optional<BatchRecord> batchAt(long firstSeq) {
        byte[] b = store.get(Column.RECEIPT_INDEX, batchKey(firstSeq));
        return b == null ? Optional.empty() : Optional.of(decodeStored("batch record", () -> BatchRecord.decode(b)));
    }

    /** The batch receipt {@code seq} was last put in, if any. */
    public Optional<BatchRecord> batchOf(long seq) {
        byte[] p = store.get(Column.RECEIPT_INDEX, pointerKey(seq));
        if (p == null) return Optional.empty();
        ByteReader r = new ByteReader(p);
        long first = r.u63("first seq");
        return batchAt(first).filter(b -> b.covers(seq));
    }

    static byte[] seqKey(long seq) {
        return new ByteWriter(8).u64(seq).toByteArray();
    }

    private static byte[] idKey(Hash id) {
        return new ByteWriter(33).u8(ID_PREFIX).raw(id.toBytes()).toByteArray();
    }

    private static byte[] batchKey(long firstSeq) {
        return new ByteWriter(9).u8(BATCH_PREFIX).u64(firstSeq).toByteArray();
    }

    private static byte[] pointerKey(long seq) {
        return new ByteWriter(9).u8(POINTER_PREFIX).u64(seq).toByteArray();
    }

    private static byte[] encodeRecord(SignedReceipt r, long latencyNanos) {
        return new ByteWriter(ReceiptCodec.MAX_ENCODED_BYTES + 96).u8(RECORD_VERSION).bytes(r.encoding()).raw(r.signature().toBytes())
                .u64(latencyNanos).toByteArray();
    }

    private static Stored decodeRecord(long seq, byte[] b) {
        return decodeStored("receipt " + seq, () -> {
            ByteReader r = new ByteReader(b);
            if (r.u8("record version") != RECORD_VERSION) throw new CodecException("unknown receipt record version");
            byte[] encoding = r.bytes(ReceiptCodec.MAX_ENCODED_BYTES, "receipt");
            Signature sig = Signature.wrap(r.raw(Signature.LENGTH, "signature"));
            long latency = r.u63("latency");
            r.expectEnd();
            SignedReceipt sr = SignedReceipt.decode(encoding, sig);
            if (sr.receipt().seq() != seq) throw new CodecException("stored under seq " + seq + " but numbered " + sr.receipt().seq());
            return new Stored(sr, latency);
        });
    }

    private static <T> T decodeStored(String what, java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (CodecException e) {
            throw new StorageException("stored " + what + " is corrupted: " + e.getMessage(), e);
        }
    }
}
