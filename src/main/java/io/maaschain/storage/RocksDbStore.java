package io.maaschain.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * RocksDB on disk, one column family per {@link Column}. {@link WriteBatch#commit()} writes with {@code sync=true}, so
 * a block reported as committed survives a crash or power loss. {@link WriteBatch#commitUnsynced()} writes with
 * {@code sync=false}: the WAL record reaches the operating system (write(2); {@code manual_wal_flush} is off, so
 * RocksDB keeps no WAL buffer of its own) and survives kill -9, and {@link #syncWal()} later makes it survive a
 * machine crash too. Recovery replays the WAL up to the last intact record (point-in-time), so a crash never leaves
 * a torn batch or a later batch without an earlier one.
 */
public final class RocksDbStore implements KeyValueStore {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final Map<Column, ColumnFamilyHandle> byColumn = new EnumMap<>(Column.class);
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private final WriteOptions unsyncedWrites = new WriteOptions().setSync(false);
    private boolean closed;

    private RocksDbStore(RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions, List<ColumnFamilyHandle> handles) {
        this.db = db;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.handles.addAll(handles);
        Column[] cols = Column.values();
        for (int i = 0; i < cols.length; i++) byColumn.put(cols[i], handles.get(i + 1));
    }

    public static RocksDbStore open(Path dir) {
        try {
            Files.createDirectories(dir);
            DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(2);
            ColumnFamilyOptions cf = new ColumnFamilyOptions().optimizeLevelStyleCompaction();
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf));
            for (Column c : Column.values()) descriptors.add(new ColumnFamilyDescriptor(c.familyName(), cf));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles);
            return new RocksDbStore(db, options, cf, handles);
        } catch (RocksDBException e) {
            // RocksDB's own text for a held lock: "IO error: While lock file: .../LOCK: Resource temporarily unavailable"
            // (another process), or "lock hold by current process ... /LOCK: No locks available" (this one).
            if (e.getMessage() != null && e.getMessage().contains("/LOCK: ")) {
                throw new StorageException("the database at " + dir + " is in use by another process (a node running on this data"
                        + " directory?); stop that process first, or work on a copy of the directory", e);
            }
            throw new StorageException("cannot open the database at " + dir + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create the database directory " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(Column column, byte[] key) {
        try {
            return db.get(byColumn.get(column), key);
        } catch (RocksDBException e) {
            throw new StorageException("read from " + column + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void scan(Column column, byte[] prefix, Visitor visitor) {
        try (RocksIterator it = db.newIterator(byColumn.get(column))) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!InMemoryStore.startsWith(key, prefix) || !visitor.visit(key, it.value())) break;
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("scan of " + column + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public WriteBatch newBatch() {
        return new Batch();
    }

    /** Fsyncs the write-ahead log; does not block writers on other threads. Refused once the store is closed. */
    @Override
    public synchronized void syncWal() {
        if (closed) throw new StorageException("the database is closed");
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw new StorageException("WAL sync failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (ColumnFamilyHandle h : handles) h.close();
        syncWrites.close();
        unsyncedWrites.close();
        db.close();
        dbOptions.close();
        cfOptions.close();
    }

    private final class Batch implements WriteBatch {
        private final org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch();

        @Override
        public WriteBatch put(Column column, byte[] key, byte[] value) {
            try {
                batch.put(byColumn.get(column), key, value);
            } catch (RocksDBException e) {
                throw new StorageException("batch put failed: " + e.getMessage(), e);
            }
            return this;
        }

        @Override
        public WriteBatch delete(Column column, byte[] key) {
            try {
                batch.delete(byColumn.get(column), key);
            } catch (RocksDBException e) {
                throw new StorageException("batch delete failed: " + e.getMessage(), e);
            }
            return this;
        }

        @Override
        public void commit() {
            try {
                db.write(syncWrites, batch);
            } catch (RocksDBException e) {
                throw new StorageException("atomic commit failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void commitUnsynced() {
            try {
                db.write(unsyncedWrites, batch);
            } catch (RocksDBException e) {
                throw new StorageException("atomic commit failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            batch.close();
        }
    }
}
