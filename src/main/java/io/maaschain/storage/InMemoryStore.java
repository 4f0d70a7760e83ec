package io.maaschain.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The in-memory twin of {@link RocksDbStore}, with the same atomic-batch semantics, for unit tests. */
public final class InMemoryStore implements KeyValueStore {
    private final Map<Column, TreeMap<byte[], byte[]>> columns = new EnumMap<>(Column.class);

    public InMemoryStore() {
        for (Column c : Column.values()) columns.put(c, new TreeMap<>(Arrays::compareUnsigned));
    }

    @Override
    public synchronized byte[] get(Column column, byte[] key) {
        byte[] v = columns.get(column).get(key);
        return v == null ? null : v.clone();
    }

    @Override
    public synchronized void scan(Column column, byte[] prefix, Visitor visitor) {
        for (var e : columns.get(column).tailMap(prefix, true).entrySet()) {
            if (!startsWith(e.getKey(), prefix) || !visitor.visit(e.getKey().clone(), e.getValue().clone())) return;
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public WriteBatch newBatch() {
        return new Batch();
    }

    @Override
    public void close() {}

    private record Op(Column column, byte[] key, byte[] value) {}

    private final class Batch implements WriteBatch {
        private final List<Op> ops = new ArrayList<>();

        @Override
        public WriteBatch put(Column column, byte[] key, byte[] value) {
            ops.add(new Op(column, key.clone(), value.clone()));
            return this;
        }

        @Override
        public WriteBatch delete(Column column, byte[] key) {
            ops.add(new Op(column, key.clone(), null));
            return this;
        }

        @Override
        public void commit() {
            synchronized (InMemoryStore.this) {
                for (Op op : ops) {
                    if (op.value == null) columns.get(op.column).remove(op.key);
                    else columns.get(op.column).put(op.key, op.value);
                }
            }
            ops.clear();
        }

        @Override
        public void close() {}
    }
}
