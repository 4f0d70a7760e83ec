package io.maaschain.maas.receipt;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.storage.Column;
import io.maaschain.storage.KeyValueStore;
import io.maaschain.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's receipt log. Every call gets the next sequence number; {@link #append} returns once the signed receipt,
 * its index entries and the log head are written in one atomic batch to the database's write-ahead log without an
 * fsync ({@link KeyValueStore.WriteBatch#commitUnsynced()}). Concurrent appends share one write (group commit);
 * numbers are assigned and written in order. What that promises:
 *
 * <ul>
 *   <li><b>Process crash</b> (kill -9, OOM kill, JVM abort): nothing is lost. The write reached the operating system
 *       before {@code append} returned, so the reopened log holds every receipt handed out and continues right after
 *       the last one, without a gap.</li>
 *   <li><b>Machine crash</b> (power loss, kernel panic): a background task fsyncs the WAL every
 *       {@link Options#syncIntervalMillis} (20 ms), so at most the receipts of the last interval (plus one fsync) can be
 *       lost. Their numbers are never reused: numbers are handed out only below a <i>reservation</i> (a high-water mark
 *       written with a synced write ahead of use, {@link Options#reserveBlock} numbers at a time, refreshed in the
 *       background before it runs out), and a log reopened after a machine crash continues at the reservation. The
 *       numbers in between are recorded as a <i>gap</i> (ALERT in the log): lost receipts show as a gap, never as a
 *       reused number, and are never charged.</li>
 *   <li><b>Settlement</b> only ever covers synced receipts: {@link #durableNextSeq()} counts what is synced, and the
 *       batcher calls {@link #sync()} before building a batch, so a batch on chain never names a receipt a machine
 *       crash could take back.</li>
 * </ul>
 *
 * <p>A machine crash is told from a process crash by the kernel's boot id recorded with the reservation (Linux
 * {@code /proc/sys/kernel/random/boot_id}): same boot, the page cache and every write survived. Where there is no
 * boot id, every unclean stop is treated as a machine crash. {@link #close()} syncs and records a clean shutdown, so
 * a reboot after a clean stop leaves no gap.
 *
 * <p>Layout (column {@link Column#RECEIPTS}: {@code u64 seq -> record}; column {@link Column#RECEIPT_INDEX}):
 * <pre>
 *   0x00                   -> u64 next seq || u64 last timestamp          the log head
 *   0x01 || receipt id     -> u64 seq
 *   0x03 || u64 firstSeq   -> batch record                                 batches made or seen committed
 *   0x04 || u64 seq        -> u64 firstSeq || u64 lastSeq                 the batch a receipt was last put in
 *   0x05                   -> u64 seq                                      set only by skipTo
 *   0x06                   -> u8 1 || u64 reserved end || u8 clean || u64 clean next || bytes boot id   the reservation
 *   0x07 || u64 firstSeq   -> u64 end                                      numbers firstSeq..end-1 skipped after a machine crash
 * </pre>
 */
public final class ReceiptLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptLog.class);
    private static final byte[] HEAD_KEY = {0x00};
    private static final int ID_PREFIX = 0x01;
    private static final int BATCH_PREFIX = 0x03;
    private static final int POINTER_PREFIX = 0x04;
    private static final byte[] SKIP_KEY = {0x05};
    private static final byte[] RESERVATION_KEY = {0x06};
    private static final int GAP_PREFIX = 0x07;
    private static final int RECORD_VERSION = 1;
    private static final int RESERVATION_VERSION = 1;
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /**
     * @param reserveBlock       how many numbers one reservation covers; refreshed when half is used
     * @param syncIntervalMillis how often the background task fsyncs the WAL; 0 for none (tests: call {@link #sync()})
     * @param bootId             the current boot's id, or "" where the platform has none
     */
    public record Options(long reserveBlock, long syncIntervalMillis, Supplier<String> bootId) {
        public static final Options DEFAULT = new Options(5_000, 20, ReceiptLog::currentBootId);

        public Options {
            if (reserveBlock < 2 || reserveBlock > ReceiptBatch.MAX_RECEIPTS || syncIntervalMillis < 0) {
                throw new IllegalArgumentException("reserveBlock must be 2.." + ReceiptBatch.MAX_RECEIPTS + " and syncIntervalMillis >= 0");
            }
            Objects.requireNonNull(bootId, "bootId");
        }
    }

    /** What the node knows about a call when it issues the receipt; the log adds chain id, node key and seq. */
    public record Draft(long timestampMillis, String modelName, String modelVersion, Hash artifactDigest, Address caller,
                        Hash requestHash, int status, Hash responseHash, String errorCode, Hash errorMessageHash, long fee,
                        long latencyNanos, PaidBy paidBy) {
        /** A draft that records no payment. */
        public Draft(long timestampMillis, String modelName, String modelVersion, Hash artifactDigest, Address caller, Hash requestHash,
                     int status, Hash responseHash, String errorCode, Hash errorMessageHash, long fee, long latencyNanos) {
            this(timestampMillis, modelName, modelVersion, artifactDigest, caller, requestHash, status, responseHash, errorCode,
                    errorMessageHash, fee, latencyNanos, null);
        }
    }

    /** A receipt as stored, with what only this node knows about the call. */
    public record Stored(SignedReceipt receipt, long latencyNanos) {
        public long seq() {
            return receipt.receipt().seq();
        }
    }

    /** Numbers {@code firstSeq..end-1} that a machine crash may have taken: no receipt will ever carry them. */
    public record Gap(long firstSeq, long end) {
        public long lastSeq() {
            return end - 1;
        }
    }

    private static final ScheduledExecutorService SYNCER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "receipt-log-sync");
        t.setDaemon(true);
        return t;
    });

    private final KeyValueStore store;
    private final KeyPair nodeKey;
    private final long chainId;
    private final Options options;
    private final String bootId;
    private final Object seqLock = new Object();
    private final Object commitLock = new Object();
    private final Object syncLock = new Object();
    private final Object reserveLock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Guarded by seqLock; mirrored in {@link #assigned} for readers that must not take it. */
    private long nextSeq;
    private volatile long assigned;
    private long lastTimestamp;
    /** Every number below it is covered by a synced reservation. Written under reserveLock. */
    private volatile long reservedEnd;
    /** One past the last receipt written (unsynced); written under commitLock. */
    private volatile long writtenNext;
    /** One past the last receipt known synced. */
    private final AtomicLong durableNext = new AtomicLong();
    private volatile RuntimeException broken;
    /** Set by a failed WAL sync: after one, no later sync can vouch for what was written before it. */
    private volatile RuntimeException syncFailure;
    private volatile boolean closed;
    /** Set under reserveLock once close() recorded the clean shutdown; no reservation may overwrite it. */
    private boolean cleanRecorded;
    private volatile ScheduledFuture<?> syncTask;

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

    private record Reservation(long end, boolean clean, long cleanNext, String bootId) {
        byte[] encode() {
            return new ByteWriter(40).u8(RESERVATION_VERSION).u64(end).bool(clean).u64(cleanNext)
                    .bytes(bootId.getBytes(StandardCharsets.UTF_8)).toByteArray();
        }

        static Reservation decode(byte[] b) {
            return decodeStored("receipt reservation", () -> {
                ByteReader r = new ByteReader(b);
                if (r.u8("reservation version") != RESERVATION_VERSION) throw new CodecException("unknown reservation version");
                Reservation res = new Reservation(r.u63("reserved end"), r.bool("clean"), r.u63("clean next"),
                        new String(r.bytes(256, "boot id"), StandardCharsets.UTF_8));
                r.expectEnd();
                return res;
            });
        }
    }

    private ReceiptLog(KeyValueStore store, KeyPair nodeKey, long chainId, Options options) {
        this.store = store;
        this.nodeKey = nodeKey;
        this.chainId = chainId;
        this.options = options;
        String boot = options.bootId().get();
        this.bootId = boot == null ? "" : boot.strip();
        long head = 0;
        byte[] headBytes = store.get(Column.RECEIPT_INDEX, HEAD_KEY);
        if (headBytes != null) {
            ByteReader r = new ByteReader(headBytes);
            head = r.u63("next seq");
            lastTimestamp = r.u63("last timestamp");
            r.expectEnd();
        }
        if (head > 0 && store.get(Column.RECEIPTS, seqKey(head - 1)) == null && !skippedTo(head) && gapEndingAt(head).isEmpty()) {
            throw new StorageException("receipt log head says " + head + " receipts, but receipt " + (head - 1) + " is missing");
        }
        if (store.get(Column.RECEIPTS, seqKey(head)) != null) {
            throw new StorageException("receipt " + head + " is stored beyond the log head: the receipt log is corrupted");
        }
        byte[] resBytes = store.get(Column.RECEIPT_INDEX, RESERVATION_KEY);
        Reservation res = resBytes == null ? null : Reservation.decode(resBytes);
        long resume = head;
        if (res != null && res.end() < head) {
            throw new StorageException("receipt " + (head - 1) + " is stored beyond the reservation " + res.end() + ": the receipt log is corrupted");
        }
        if (res == null) {
            LOG.debug("no receipt reservation: a new log, or one whose every receipt was written synced");
        } else if (res.clean() && res.cleanNext() == head) {
            LOG.debug("the receipt log was closed cleanly at {}", head);
        } else if (!bootId.isEmpty() && bootId.equals(res.bootId())) {
            LOG.info("the receipt log was not closed cleanly, but the machine has not restarted since (boot id {}): nothing was lost", bootId);
        } else {
            resume = res.end();
        }
        try (KeyValueStore.WriteBatch wb = store.newBatch()) {
            if (resume > head) {
                LOG.error("ALERT: the machine stopped without a clean shutdown of the receipt log (boot id {} then, {} now): receipts {}..{} "
                        + "may have been issued and lost (at most those of the last {} ms before the crash); they are recorded as a gap, "
                        + "settled without charge, and their numbers are never reused; continuing at {}",
                        res.bootId().isEmpty() ? "unknown" : res.bootId(), bootId.isEmpty() ? "unknown" : bootId, head, resume - 1,
                        options.syncIntervalMillis(), resume);
                wb.put(Column.RECEIPT_INDEX, gapKey(head), new ByteWriter(8).u64(resume).toByteArray());
                wb.put(Column.RECEIPT_INDEX, HEAD_KEY, new ByteWriter(16).u64(resume).u64(lastTimestamp).toByteArray());
            }
            long end = resume + options.reserveBlock();
            wb.put(Column.RECEIPT_INDEX, RESERVATION_KEY, new Reservation(end, false, 0, bootId).encode());
            // Synced: the reservation is durable before the first number under it is used.
            wb.commit();
            reservedEnd = end;
        }
        // And so is everything a process crash left in the WAL: it counts as durable from here on.
        store.syncWal();
        nextSeq = resume;
        assigned = resume;
        writtenNext = resume;
        durableNext.set(resume);
    }

    private boolean skippedTo(long next) {
        byte[] b = store.get(Column.RECEIPT_INDEX, SKIP_KEY);
        return b != null && new ByteReader(b).u63("skipped to") == next;
    }

    /** Opens the log of {@code nodeKey}'s receipts for chain {@code chainId} in {@code store}, with the default options. */
    public static ReceiptLog open(KeyValueStore store, KeyPair nodeKey, long chainId) {
        return open(store, nodeKey, chainId, Options.DEFAULT);
    }

    /** Opens the log and starts its background WAL sync ({@link #close()} stops it). */
    public static ReceiptLog open(KeyValueStore store, KeyPair nodeKey, long chainId, Options options) {
        ReceiptLog log = new ReceiptLog(store, nodeKey, chainId, options);
        if (options.syncIntervalMillis() > 0) {
            log.syncTask = SYNCER.scheduleWithFixedDelay(log::background, options.syncIntervalMillis(), options.syncIntervalMillis(),
                    TimeUnit.MILLISECONDS);
        }
        LOG.info("receipt log of node {} opened: next seq {}, numbers reserved below {}", nodeKey.address(), log.nextSeq, log.reservedEnd);
        return log;
    }

    /** The kernel's boot id, or "" where there is none (not Linux, or not readable). */
    public static String currentBootId() {
        try {
            return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
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
     * Assigns the next sequence number, signs the receipt and writes it before returning it: it survives a crash of
     * the process at once, and a crash of the machine once synced (within {@link Options#syncIntervalMillis}).
     *
     * @throws IllegalArgumentException if the draft does not make a valid receipt (no number is used)
     * @throws StorageException if the write failed; the log then refuses every later append until the node restarts,
     *                          so no number is ever skipped
     */
    public SignedReceipt append(Draft d) {
        Pending p;
        synchronized (seqLock) {
            if (broken != null) throw new StorageException("the receipt log failed earlier and refuses new receipts: " + broken.getMessage(), broken);
            if (closed) throw new StorageException("the receipt log is closed");
            long ts = Math.max(d.timestampMillis(), lastTimestamp);
            Receipt r = new Receipt(chainId, nodeKey.publicKey(), nextSeq, ts, d.modelName(), d.modelVersion(), d.artifactDigest(), d.caller(),
                    d.requestHash(), d.status(), d.responseHash(), d.errorCode(), d.errorMessageHash(), d.fee(), d.paidBy());
            // The background task keeps the reservation ahead; only if it fell behind does a call wait for a synced write.
            if (nextSeq >= reservedEnd) reserve(nextSeq + 1);
            p = new Pending(SignedReceipt.sign(r, nodeKey), Math.max(0, d.latencyNanos()));
            nextSeq++;
            assigned = nextSeq;
            lastTimestamp = ts;
            queue.add(p);
        }
        synchronized (commitLock) {
            if (!p.done) commitQueued();
        }
        if (p.failure != null) throw new StorageException("receipt " + p.receipt.receipt().seq() + " could not be stored: " + p.failure.getMessage(), p.failure);
        return p.receipt;
    }

    /** Writes everything queued so far in one unsynced batch; called with the commit lock held. */
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
            wb.commitUnsynced();
            writtenNext = next;
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
     * Makes the reservation cover at least every number below {@code min}, with a synced write (which also makes every
     * receipt written before it durable). Lock order: seqLock (if held) before reserveLock; never the other way.
     */
    private void reserve(long min) {
        synchronized (reserveLock) {
            if (reservedEnd >= min) return;
            if (cleanRecorded) throw new StorageException("the receipt log is closed");
            long end = Math.max(min, assigned) + options.reserveBlock();
            long written = writtenNext;
            try (KeyValueStore.WriteBatch wb = store.newBatch()) {
                wb.put(Column.RECEIPT_INDEX, RESERVATION_KEY, new Reservation(end, false, 0, bootId).encode());
                wb.commit();
            }
            reservedEnd = end;
            // A synced write syncs everything written before it, unless a sync already failed (then nothing can vouch).
            if (syncFailure == null) durableNext.accumulateAndGet(written, Math::max);
        }
    }

    /**
     * Fsyncs what was written so far and returns {@link #durableNextSeq()}. A failed sync stops the log (the receipts
     * written since the last sync may not be on disk) until the node restarts.
     */
    public long sync() {
        synchronized (syncLock) {
            if (syncFailure != null) throw new StorageException("a WAL sync failed earlier: " + syncFailure.getMessage(), syncFailure);
            long written = writtenNext;
            if (durableNext.get() >= written) return durableNext.get();
            try {
                store.syncWal();
            } catch (RuntimeException e) {
                LOG.error("ALERT: the receipt log cannot sync receipts {}..{}; refusing further calls until restart, and settling "
                        + "none of them", durableNext.get(), written - 1, e);
                syncFailure = e;
                if (broken == null) broken = e;
                throw e;
            }
            return durableNext.accumulateAndGet(written, Math::max);
        }
    }

    /**
     * The background task: keep the reservation at least half a block ahead, then sync. It goes on syncing after a
     * failed write (what was written before it was handed out and must reach the disk), not after a failed sync.
     */
    private void background() {
        if (closed || syncFailure != null) return;
        try {
            long next = assigned;
            if (reservedEnd - next < (options.reserveBlock() + 1) / 2) reserve(next + (options.reserveBlock() + 1) / 2);
            sync();
        } catch (RuntimeException e) {
            if (!closed) LOG.error("receipt log background sync failed", e);
        }
    }

    /**
     * Stops the background task, syncs, and records a clean shutdown, so that the log reopens right after its last
     * receipt even after a reboot. Later appends are refused.
     */
    @Override
    public void close() {
        synchronized (seqLock) {
            if (closed) return;
            closed = true;
        }
        ScheduledFuture<?> task = syncTask;
        if (task != null) task.cancel(false);
        synchronized (commitLock) {
            commitQueued();
        }
        // After a failed write the log head is still exact (the failed batch was not written, and its calls were
        // refused), so the shutdown is recorded as clean; after a failed sync nothing can vouch for the disk.
        if (syncFailure != null) return;
        try {
            sync();
            synchronized (reserveLock) {
                cleanRecorded = true;
                long next = writtenNext;
                try (KeyValueStore.WriteBatch wb = store.newBatch()) {
                    wb.put(Column.RECEIPT_INDEX, RESERVATION_KEY, new Reservation(reservedEnd, true, next, bootId).encode());
                    wb.commit();
                }
                durableNext.accumulateAndGet(next, Math::max);
            }
            LOG.info("receipt log closed cleanly at {}", writtenNext);
        } catch (RuntimeException e) {
            LOG.warn("could not record a clean shutdown of the receipt log; the next start treats it as a crash", e);
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
                synchronized (reserveLock) {
                    long end = Math.max(reservedEnd, seq + options.reserveBlock());
                    try (KeyValueStore.WriteBatch wb = store.newBatch()) {
                        wb.put(Column.RECEIPT_INDEX, HEAD_KEY, new ByteWriter(16).u64(seq).u64(lastTimestamp).toByteArray());
                        wb.put(Column.RECEIPT_INDEX, SKIP_KEY, new ByteWriter(8).u64(seq).toByteArray());
                        wb.put(Column.RECEIPT_INDEX, RESERVATION_KEY, new Reservation(end, false, 0, bootId).encode());
                        wb.commit();
                    }
                    reservedEnd = end;
                }
                nextSeq = seq;
                assigned = seq;
                writtenNext = seq;
                durableNext.accumulateAndGet(seq, Math::max);
            }
        }
    }

    /** The sequence number the next receipt will get; every lower number is written, being written, or in a gap. */
    public long nextSeq() {
        synchronized (seqLock) {
            return nextSeq;
        }
    }

    /** One past the last receipt written: every receipt below it survives a crash of the process. */
    public long writtenNextSeq() {
        return writtenNext;
    }

    /**
     * One past the last receipt known synced: every receipt below it survives a crash of the machine, and only those
     * may be settled. Lags {@link #writtenNextSeq()} by at most the sync interval; {@link #sync()} catches up.
     */
    public long durableNextSeq() {
        return durableNext.get();
    }

    /** Every number below this is covered by a synced reservation (for status and tests). */
    public long reservedEnd() {
        return reservedEnd;
    }

    /** The gap that holds number {@code seq}, if a machine crash left one there. */
    public Optional<Gap> gapAt(long seq) {
        return gaps().stream().filter(g -> g.firstSeq() <= seq && seq < g.end()).findFirst();
    }

    /** Every gap machine crashes left in this log, in order. */
    public List<Gap> gaps() {
        List<Gap> out = new ArrayList<>();
        store.scan(Column.RECEIPT_INDEX, new byte[] {GAP_PREFIX}, (k, v) -> {
            out.add(new Gap(new ByteReader(k).skip(1).u63("gap start"), new ByteReader(v).u63("gap end")));
            return true;
        });
        return out;
    }

    private Optional<Gap> gapEndingAt(long end) {
        return gaps().stream().filter(g -> g.end() == end).findFirst();
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

    /**
     * Receipts {@code from} (inclusive) to {@code to} (exclusive) in sequence order, stepping over the gaps machine
     * crashes left; stops at the first other missing one.
     */
    public List<Stored> receipts(long from, long to) {
        List<Stored> out = new ArrayList<>((int) Math.max(0, Math.min(to - from, 1 << 16)));
        for (long s = Math.max(0, from); s < to; s++) {
            Optional<Stored> r = get(s);
            if (r.isPresent()) {
                out.add(r.get());
                continue;
            }
            Optional<Gap> g = gapAt(s);
            if (g.isEmpty()) break;
            s = g.get().end() - 1;
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

    private static byte[] gapKey(long firstSeq) {
        return new ByteWriter(9).u8(GAP_PREFIX).u64(firstSeq).toByteArray();
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
