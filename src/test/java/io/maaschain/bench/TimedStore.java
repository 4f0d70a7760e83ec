package io.maaschain.bench;

import io.maaschain.storage.Column;
import io.maaschain.storage.KeyValueStore;
import java.util.concurrent.atomic.LongAdder;

/** A pass-through store that adds up the wall time spent in reads, batch assembly and commits (from any thread). */
final class TimedStore implements KeyValueStore {
    final LongAdder readNanos = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder batchNanos = new LongAdder();
    final LongAdder batchOps = new LongAdder();
    final LongAdder commitNanos = new LongAdder();
    final LongAdder commits = new LongAdder();

    private final KeyValueStore inner;

    TimedStore(KeyValueStore inner) {
        this.inner = inner;
    }

    @Override
    public byte[] get(Column column, byte[] key) {
        long t = System.nanoTime();
        try {
            return inner.get(column, key);
        } finally {
            readNanos.add(System.nanoTime() - t);
            reads.increment();
        }
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
                long t = System.nanoTime();
                b.put(column, key, value);
                batchNanos.add(System.nanoTime() - t);
                batchOps.increment();
                return this;
            }

            @Override
            public WriteBatch delete(Column column, byte[] key) {
                long t = System.nanoTime();
                b.delete(column, key);
                batchNanos.add(System.nanoTime() - t);
                batchOps.increment();
                return this;
            }

            @Override
            public void commit() {
                long t = System.nanoTime();
                b.commit();
                commitNanos.add(System.nanoTime() - t);
                commits.increment();
            }

            @Override
            public void commitUnsynced() {
                long t = System.nanoTime();
                b.commitUnsynced();
                commitNanos.add(System.nanoTime() - t);
                commits.increment();
            }

            @Override
            public void close() {
                b.close();
            }
        };
    }

    @Override
    public void syncWal() {
        inner.syncWal();
    }

    void reset() {
        for (LongAdder a : new LongAdder[] {readNanos, reads, batchNanos, batchOps, commitNanos, commits}) a.reset();
    }

    @Override
    public void close() {
        inner.close();
    }
}
