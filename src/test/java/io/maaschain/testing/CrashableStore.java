package io.maaschain.testing;

import io.maaschain.storage.Column;
import io.maaschain.storage.KeyValueStore;
import io.maaschain.storage.StorageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A store that models what survives a crash, as {@code RocksDbStore} promises it: every commit is visible at once; a
 * synced commit or {@link #syncWal()} makes every earlier commit durable; {@link #processCrash()} (kill -9) keeps every
 * commit; {@link #machineCrash()} (power loss) keeps only the durable ones. {@link #failSyncs} makes syncs fail.
 */
public final class CrashableStore implements KeyValueStore {
    private record Op(Column column, byte[] key, byte[] value) {}

    private final Map<Column, TreeMap<byte[], byte[]>> visible;
    private final Map<Column, TreeMap<byte[], byte[]>> durable;
    private final List<List<Op>> unsynced = new ArrayList<>();
    public volatile boolean failSyncs;
    private int syncs;

    public CrashableStore() {
        this(empty(), empty());
    }

    private CrashableStore(Map<Column, TreeMap<byte[], byte[]>> visible, Map<Column, TreeMap<byte[], byte[]>> durable) {
        this.visible = visible;
        this.durable = durable;
    }

    private static Map<Column, TreeMap<byte[], byte[]>> empty() {
        Map<Column, TreeMap<byte[], byte[]>> m = new EnumMap<>(Column.class);
        for (Column c : Column.values()) m.put(c, new TreeMap<>(Arrays::compareUnsigned));
        return m;
    }

    private static Map<Column, TreeMap<byte[], byte[]>> copy(Map<Column, TreeMap<byte[], byte[]>> from) {
        Map<Column, TreeMap<byte[], byte[]>> m = empty();
        from.forEach((c, t) -> m.get(c).putAll(t));
        return m;
    }

    private static void apply(Map<Column, TreeMap<byte[], byte[]>> to, List<Op> ops) {
        for (Op op : ops) {
            if (op.value == null) to.get(op.column).remove(op.key);
            else to.get(op.column).put(op.key, op.value);
        }
    }

    /** The store a restart after kill -9 finds: every commit, and (as RocksDB recovery flushes it) all of it durable. */
    public synchronized CrashableStore processCrash() {
        return new CrashableStore(copy(visible), copy(visible));
    }

    /** The store a restart after a power loss finds: only what was synced. */
    public synchronized CrashableStore machineCrash() {
        return new CrashableStore(copy(durable), copy(durable));
    }

    /** How many syncs (synced commits and WAL syncs) reached the disk. */
    public synchronized int syncs() {
        return syncs;
    }

    /** Whether {@code key} of {@code column} would survive a machine crash now. */
    public synchronized boolean isDurable(Column column, byte[] key) {
        return durable.get(column).containsKey(key);
    }

    @Override
    public synchronized byte[] get(Column column, byte[] key) {
        byte[] v = visible.get(column).get(key);
        return v == null ? null : v.clone();
    }

    @Override
    public synchronized void scan(Column column, byte[] prefix, Visitor visitor) {
        for (var e : List.copyOf(visible.get(column).tailMap(prefix, true).entrySet())) {
            byte[] k = e.getKey();
            boolean match = k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
            if (!match || !visitor.visit(k.clone(), e.getValue().clone())) return;
        }
    }

    @Override
    public synchronized void syncWal() {
        if (failSyncs) throw new StorageException("fsync: input/output error");
        for (List<Op> ops : unsynced) apply(durable, ops);
        unsynced.clear();
        syncs++;
    }

    private synchronized void commit(List<Op> ops, boolean sync) {
        if (sync && failSyncs) throw new StorageException("fsync: input/output error");
        apply(visible, ops);
        unsynced.add(ops);
        if (sync) syncWal();
    }

    @Override
    public WriteBatch newBatch() {
        List<Op> ops = new ArrayList<>();
        return new WriteBatch() {
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
                CrashableStore.this.commit(List.copyOf(ops), true);
                ops.clear();
            }

            @Override
            public void commitUnsynced() {
                CrashableStore.this.commit(List.copyOf(ops), false);
                ops.clear();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void close() {}
}
