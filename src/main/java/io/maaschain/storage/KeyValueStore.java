package io.maaschain.storage;


/**
 * The node's storage port, as Besu's KeyValueStorage: typed columns, point reads, ordered scans and
 * atomic write batches. RocksDB backs it on disk; an in-memory twin backs unit tests.
 */
public interface KeyValueStore extends AutoCloseable {
    /** The value under {@code key}, or null. */
    byte[] get(Column column, byte[] key);

    /** Visits the entries of a column whose keys start with {@code prefix}, in key order, until the visitor returns false. */
    void scan(Column column, byte[] prefix, Visitor visitor);

    WriteBatch newBatch();

    /**
     * Makes every batch committed before this call durable against a crash of the machine, as if it had been committed
     * with {@link WriteBatch#commit()} (RocksDB: one fsync of the write-ahead log). The default does nothing, which is
     * right for stores whose {@link WriteBatch#commitUnsynced()} is already as durable as a synced commit.
     */
    default void syncWal() {}

    @FunctionalInterface
    interface Visitor {
        /** Returns false to stop the scan. */
        boolean visit(byte[] key, byte[] value);
    }

    @Override
    void close();

    /** Changes applied all together or not at all. */
    interface WriteBatch extends AutoCloseable {
        WriteBatch put(Column column, byte[] key, byte[] value);

        WriteBatch delete(Column column, byte[] key);

        /**
         * Applies the batch atomically and, before returning, makes it durable (WAL fsync): it survives a crash of the
         * process and of the machine.
         */
        void commit();

        /**
         * Applies the batch atomically and, before returning, hands it to the operating system without waiting for the
         * disk (RocksDB: the write-ahead log record is written with write(2), {@code sync=false}). It is visible at once
         * and survives a crash of the process (kill -9), but a crash of the machine or a power loss may lose it until a
         * later {@link KeyValueStore#syncWal()} or synced commit. Batches are never torn: after any crash the store
         * holds a prefix of the committed batches, in commit order. The default is a synced {@link #commit()}.
         */
        default void commitUnsynced() {
            commit();
        }

        @Override
        void close();
    }
}
