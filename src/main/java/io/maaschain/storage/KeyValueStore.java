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

        /** Applies the batch atomically and, before returning, makes it durable (WAL fsync). */
        void commit();

        @Override
        void close();
    }
}
