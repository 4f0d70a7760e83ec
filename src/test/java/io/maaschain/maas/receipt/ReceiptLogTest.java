package io.maaschain.maas.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.storage.Column;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.storage.KeyValueStore;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.storage.StorageException;
import io.maaschain.testing.CrashableStore;
import io.maaschain.testing.Fixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptLogTest {
    static final KeyPair NODE = Fixtures.key(3);
    static final AtomicLong CLOCK = new AtomicLong(1_700_000_000_000L);

    static ReceiptLog.Draft draft(int i) {
        boolean ok = i % 3 != 0;
        Hash req = Sha256.hash(("request " + i).getBytes(StandardCharsets.UTF_8));
        return ok
                ? new ReceiptLog.Draft(CLOCK.incrementAndGet(), "iris", "1.0.0", Fixtures.digest("iris"), Fixtures.key(2).address(), req, 200,
                        Sha256.hash(("response " + i).getBytes()), "", null, 7, 1_000_000L * (i % 50))
                : new ReceiptLog.Draft(CLOCK.incrementAndGet(), "iris", "", null, null, req, 401, null, "UNAUTHENTICATED",
                        Sha256.hash("no".getBytes()), 0, 10_000);
    }

    @Test
    void numbersFollowEachOtherFromZeroAndReceiptsAreSignedAndFindable() {
        ReceiptLog log = ReceiptLog.open(new InMemoryStore(), NODE, 1337);
        for (int i = 0; i < 20; i++) {
            SignedReceipt r = log.append(draft(i));
            assertThat(r.receipt().seq()).isEqualTo(i);
            assertThat(r.hasValidSignature()).isTrue();
            assertThat(log.get(r.id()).orElseThrow().receipt()).isEqualTo(r);
        }
        assertThat(log.nextSeq()).isEqualTo(20);
        assertThat(log.range(5, 10)).extracting(ReceiptLog.Stored::seq).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(log.get(20)).isEmpty();
    }

    @Test
    void timestampsNeverDecreaseAlongTheSequence() {
        ReceiptLog log = ReceiptLog.open(new InMemoryStore(), NODE, 1337);
        ReceiptLog.Draft d = draft(1);
        SignedReceipt a = log.append(d);
        SignedReceipt b = log.append(new ReceiptLog.Draft(d.timestampMillis() - 500, "iris", "", null, null, null, 413, null, "TOO_LARGE", Hash.ZERO, 0, 0));
        assertThat(b.receipt().timestampMillis()).isEqualTo(a.receipt().timestampMillis());
    }

    @Test
    void anInvalidDraftUsesNoNumber() {
        ReceiptLog log = ReceiptLog.open(new InMemoryStore(), NODE, 1337);
        log.append(draft(1));
        assertThatThrownBy(() -> log.append(new ReceiptLog.Draft(1, "iris", "", null, null, null, 500, null, "lower", Hash.ZERO, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(log.append(draft(2)).receipt().seq()).isEqualTo(1);
    }

    @Test
    void concurrentAppendsShareFsyncsButNeverRepeatOrSkipANumber(@TempDir Path dir) throws Exception {
        try (RocksDbStore store = RocksDbStore.open(dir)) {
            ReceiptLog log = ReceiptLog.open(store, NODE, 1337);
            ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t * 1000;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 150; i++) seqs.add(log.append(draft(base + i)).receipt().seq());
                }));
            }
            for (Thread t : threads) t.join();
            Set<Long> unique = new HashSet<>(seqs);
            assertThat(unique).hasSize(1200);
            assertThat(unique).allMatch(s -> s >= 0 && s < 1200);
            assertThat(log.writtenNextSeq()).isEqualTo(1200);
            assertThat(log.sync()).isEqualTo(1200);
            assertThat(log.durableNextSeq()).isEqualTo(1200);
            for (long s = 0; s < 1200; s++) assertThat(log.get(s)).as("receipt %d", s).isPresent();
        }
    }

    @Test
    void reopeningContinuesWhereTheLogEnded(@TempDir Path dir) {
        Hash id;
        try (RocksDbStore store = RocksDbStore.open(dir)) {
            ReceiptLog log = ReceiptLog.open(store, NODE, 1337);
            for (int i = 0; i < 10; i++) id = log.append(draft(i)).id();
        }
        try (RocksDbStore store = RocksDbStore.open(dir)) {
            ReceiptLog log = ReceiptLog.open(store, NODE, 1337);
            assertThat(log.nextSeq()).isEqualTo(10);
            assertThat(log.append(draft(10)).receipt().seq()).isEqualTo(10);
            assertThat(log.get(9).orElseThrow().receipt().hasValidSignature()).isTrue();
        }
    }

    @Test
    void aWriteFailureStopsTheLogInsteadOfSkippingNumbers() {
        FailingStore store = new FailingStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337);
        log.append(draft(1));
        store.fail = true;
        assertThatThrownBy(() -> log.append(draft(2))).isInstanceOf(StorageException.class);
        store.fail = false;
        assertThatThrownBy(() -> log.append(draft(3))).isInstanceOf(StorageException.class).hasMessageContaining("refuses");
        ReceiptLog reopened = ReceiptLog.open(store, NODE, 1337);
        assertThat(reopened.append(draft(4)).receipt().seq()).isEqualTo(1);
    }

    @Test
    void skipToNeverReissuesNumbersTheChainSettled() {
        InMemoryStore store = new InMemoryStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337);
        log.append(draft(1));
        log.skipTo(42);
        assertThat(log.append(draft(2)).receipt().seq()).isEqualTo(42);
        assertThat(ReceiptLog.open(store, NODE, 1337).nextSeq()).isEqualTo(43);
    }

    @Test
    void batchPointersFindTheBatchOfAReceipt() {
        ReceiptLog log = ReceiptLog.open(new InMemoryStore(), NODE, 1337);
        for (int i = 0; i < 10; i++) log.append(draft(i));
        BatchRecord b = new BatchRecord(3, 6, Hash.ZERO, Fixtures.digest("tx"), 4, 1, 0);
        log.putBatch(b);
        assertThat(log.batchOf(5)).contains(b);
        assertThat(log.batchOf(7)).isEmpty();
        assertThat(log.batchAt(3)).contains(b);
    }

    /**
     * The real thing: a child JVM appends receipts on several threads and prints each number once {@code append}
     * returned; it is killed with SIGKILL mid-stream. Every printed receipt must be on disk, the numbers on disk must
     * run from 0 without a gap, and the reopened log must continue right after them.
     */
    @Test
    void noAcknowledgedReceiptIsLostAndNoNumberIsSkippedAcrossKillMinus9(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                ReceiptLogCrashChild.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<Long> acknowledged = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 400 && (line = out.readLine()) != null) acknowledged.add(Long.parseLong(line.strip()));
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(400);
        try (RocksDbStore store = RocksDbStore.open(dir)) {
            ReceiptLog log = ReceiptLog.open(store, NODE, 1337);
            long next = log.nextSeq();
            for (long s : acknowledged) assertThat(log.get(s)).as("acknowledged receipt %d", s).isPresent();
            for (long s = 0; s < next; s++) {
                assertThat(log.get(s)).as("receipt %d below the head", s).isPresent();
                assertThat(log.get(s).orElseThrow().receipt().hasValidSignature()).isTrue();
            }
            assertThat(store.get(Column.RECEIPTS, ReceiptLog.seqKey(next))).isNull();
            assertThat(log.append(draft(0)).receipt().seq()).isEqualTo(next);
        }
    }

    static ReceiptLog.Options options(String bootId, long block) {
        return new ReceiptLog.Options(block, 0, () -> bootId);
    }

    @Test
    void receiptsAreVisibleOnceWrittenAndDurableOnceSynced() {
        CrashableStore store = new CrashableStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337, options("boot-a", 100));
        for (int i = 0; i < 5; i++) log.append(draft(i));
        assertThat(log.writtenNextSeq()).isEqualTo(5);
        assertThat(log.get(4)).isPresent();
        assertThat(log.durableNextSeq()).isZero();
        assertThat(store.isDurable(Column.RECEIPTS, ReceiptLog.seqKey(4))).isFalse();
        assertThat(log.sync()).isEqualTo(5);
        assertThat(log.durableNextSeq()).isEqualTo(5);
        assertThat(store.isDurable(Column.RECEIPTS, ReceiptLog.seqKey(4))).isTrue();
    }

    @Test
    void aProcessCrashLosesNoReceiptAndLeavesNoGap() {
        CrashableStore store = new CrashableStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337, options("boot-a", 100));
        for (int i = 0; i < 30; i++) {
            log.append(draft(i));
            if (i == 9) log.sync();
        }
        ReceiptLog reopened = ReceiptLog.open(store.processCrash(), NODE, 1337, options("boot-a", 100));
        assertThat(reopened.nextSeq()).isEqualTo(30);
        assertThat(reopened.gaps()).isEmpty();
        assertThat(reopened.range(0, 30)).hasSize(30);
        assertThat(reopened.durableNextSeq()).isEqualTo(30);
        assertThat(reopened.append(draft(30)).receipt().seq()).isEqualTo(30);
    }

    @Test
    void aMachineCrashLeavesAVisibleGapAndNeverReusesANumber() {
        CrashableStore store = new CrashableStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337, options("boot-a", 100));
        for (int i = 0; i < 30; i++) log.append(draft(i));
        log.sync();
        List<Long> handedOut = new ArrayList<>();
        for (int i = 30; i < 45; i++) handedOut.add(log.append(draft(i)).receipt().seq());
        long reserved = log.reservedEnd();
        assertThat(reserved).isEqualTo(100);

        // Power loss: the 15 unsynced receipts are gone; their numbers, and the rest of the reservation, become a gap.
        CrashableStore afterCrash = store.machineCrash();
        ReceiptLog reopened = ReceiptLog.open(afterCrash, NODE, 1337, options("boot-b", 100));
        assertThat(reopened.range(0, 100)).hasSize(30);
        assertThat(reopened.nextSeq()).isEqualTo(reserved);
        assertThat(reopened.gaps()).containsExactly(new ReceiptLog.Gap(30, 100));
        assertThat(reopened.gapAt(44)).contains(new ReceiptLog.Gap(30, 100));
        assertThat(reopened.gapAt(100)).isEmpty();
        SignedReceipt next = reopened.append(draft(45));
        assertThat(next.receipt().seq()).isEqualTo(100).isNotIn(handedOut);
        assertThat(next.receipt().timestampMillis()).isGreaterThanOrEqualTo(reopened.get(29).orElseThrow().receipt().receipt().timestampMillis());
        // Stepping over the gap: every stored receipt, in order.
        assertThat(reopened.receipts(0, 101)).extracting(ReceiptLog.Stored::seq).hasSize(31).endsWith(29L, 100L);

        // A process crash after that keeps the gap and adds none.
        ReceiptLog again = ReceiptLog.open(afterCrash.processCrash(), NODE, 1337, options("boot-b", 100));
        assertThat(again.nextSeq()).isEqualTo(101);
        assertThat(again.gaps()).containsExactly(new ReceiptLog.Gap(30, 100));
    }

    @Test
    void theReservationIsSyncedAheadOfEveryNumberHandedOut() {
        CrashableStore store = new CrashableStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337, options("boot-a", 10));
        int syncsAtOpen = store.syncs();
        for (int i = 0; i < 60; i++) {
            long seq = log.append(draft(i)).receipt().seq();
            // Whenever the machine dies, the reopened log starts above every number handed out so far.
            ReceiptLog afterPowerLoss = ReceiptLog.open(store.machineCrash(), NODE, 1337, options("boot-b", 10));
            assertThat(afterPowerLoss.nextSeq()).as("after receipt %d", seq).isGreaterThan(seq);
        }
        // One synced write per block of 10 numbers, none per receipt.
        assertThat(store.syncs() - syncsAtOpen).isBetween(5, 6);
    }

    @Test
    void theBackgroundTaskSyncsAndKeepsTheReservationAheadOffTheHotPath() {
        CrashableStore store = new CrashableStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337, new ReceiptLog.Options(100, 5, () -> "boot-a"));
        try {
            for (int i = 0; i < 60; i++) log.append(draft(i));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> log.durableNextSeq() == 60 && log.reservedEnd() >= 110);
            assertThat(store.isDurable(Column.RECEIPTS, ReceiptLog.seqKey(59))).isTrue();
        } finally {
            log.close();
        }
    }

    @Test
    void aCleanShutdownLeavesNoGapEvenAfterAReboot() {
        CrashableStore store = new CrashableStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337, options("boot-a", 100));
        for (int i = 0; i < 7; i++) log.append(draft(i));
        log.close();
        assertThatThrownBy(() -> log.append(draft(7))).isInstanceOf(StorageException.class).hasMessageContaining("closed");
        ReceiptLog reopened = ReceiptLog.open(store.machineCrash(), NODE, 1337, options("boot-b", 100));
        assertThat(reopened.nextSeq()).isEqualTo(7);
        assertThat(reopened.gaps()).isEmpty();
        assertThat(reopened.range(0, 7)).hasSize(7);
    }

    @Test
    void aFailedSyncStopsTheLogAndNoLaterSyncVouchesForWhatItMissed() {
        CrashableStore store = new CrashableStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337, options("boot-a", 100));
        log.append(draft(1));
        log.sync();
        log.append(draft(2));
        store.failSyncs = true;
        assertThatThrownBy(log::sync).isInstanceOf(StorageException.class);
        assertThat(log.durableNextSeq()).isEqualTo(1);
        assertThatThrownBy(() -> log.append(draft(3))).isInstanceOf(StorageException.class).hasMessageContaining("refuses");
        store.failSyncs = false;
        assertThatThrownBy(log::sync).isInstanceOf(StorageException.class);
        assertThat(log.durableNextSeq()).isEqualTo(1);
        // No clean shutdown is recorded either: after a reboot the log continues past its reservation.
        log.close();
        ReceiptLog reopened = ReceiptLog.open(store.machineCrash(), NODE, 1337, options("boot-b", 100));
        assertThat(reopened.nextSeq()).isEqualTo(100);
        assertThat(reopened.gaps()).containsExactly(new ReceiptLog.Gap(1, 100));
    }

    @Test
    void afterAFailedWriteWhatWasWrittenIsStillSyncedAndTheShutdownIsClean() {
        FailingStore store = new FailingStore();
        ReceiptLog log = ReceiptLog.open(store, NODE, 1337, options("boot-a", 100));
        log.append(draft(1));
        store.fail = true;
        assertThatThrownBy(() -> log.append(draft(2))).isInstanceOf(StorageException.class);
        store.fail = false;
        assertThat(log.sync()).isEqualTo(1);
        log.close();
        ReceiptLog reopened = ReceiptLog.open(store, NODE, 1337, options("boot-b", 100));
        assertThat(reopened.nextSeq()).isEqualTo(1);
        assertThat(reopened.gaps()).isEmpty();
    }

    /** A store whose commits can be made to fail. */
    static final class FailingStore implements KeyValueStore {
        final InMemoryStore inner = new InMemoryStore();
        volatile boolean fail;

        @Override
        public byte[] get(Column column, byte[] key) {
            return inner.get(column, key);
        }

        @Override
        public void scan(Column column, byte[] prefix, Visitor visitor) {
            inner.scan(column, prefix, visitor);
        }

        @Override
        public WriteBatch newBatch() {
            WriteBatch b = inner.newBatch();
            return new WriteBatch() {
                @Override
                public WriteBatch put(Column column, byte[] key, byte[] value) {
                    b.put(column, key, value);
                    return this;
                }

                @Override
                public WriteBatch delete(Column column, byte[] key) {
                    b.delete(column, key);
                    return this;
                }

                @Override
                public void commit() {
                    if (fail) throw new StorageException("disk full");
                    b.commit();
                }

                @Override
                public void close() {
                    b.close();
                }
            };
        }

        @Override
        public void close() {}
    }
}
