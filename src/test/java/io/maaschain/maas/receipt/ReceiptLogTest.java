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
