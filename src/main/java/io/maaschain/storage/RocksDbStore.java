package io.maaschain.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Logger;
import org.rocksdb.WALRecoveryMode;
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
    private final boolean readOnly;
    private boolean closed;

    private RocksDbStore(RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions, List<ColumnFamilyHandle> handles, boolean readOnly) {
        this.db = db;
        this.readOnly = readOnly;
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
            return new RocksDbStore(db, options, cf, handles, false);
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

    /**
     * Refuses, in words, a database that another process holds open (a running node): RocksDB takes an fcntl lock on
     * its LOCK file, which a read-only open does not test. Testing it writes nothing: the file is opened and locked
     * for a moment, never written, so its bytes and time stamps stay as they were.
     */
    public static void requireNotHeldByAnotherProcess(Path dir) {
        Path lock = dir.resolve("LOCK");
        if (!java.nio.file.Files.exists(lock)) return;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = ch.tryLock();
            if (held == null) {
                throw new StorageException("the database at " + dir + " is in use by another process (a node running on this data"
                        + " directory?); stop that process first, or work on a copy of the directory ('chain backup' makes one of a running node)", null);
            }
            held.release();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // A lock of this JVM: not another process.
        } catch (java.io.IOException e) {
            throw new StorageException("cannot check whether the database at " + dir + " is in use: " + e.getMessage(), e);
        }
    }

    /** How a read-only open treats a write-ahead log whose tail is damaged or cut off. */
    public enum WalCheck {
        /** Refuse to open: every record the log ever held must still be there (RocksDB kAbsoluteConsistency). */
        STRICT,
        /** Recover up to the last intact record, as a node does after a crash (RocksDB kPointInTimeRecovery). */
        POINT_IN_TIME
    }

    /**
     * Opens the database without changing a byte of it: RocksDB read-only mode (no flush, no compaction, no WAL
     * rewrite, no lock), and no info log file (RocksDB would otherwise rotate LOG). Writes are refused. Safe beside a
     * running node; it sees the data as of the open.
     */
    public static RocksDbStore openReadOnly(Path dir, WalCheck walCheck) {
        if (!Files.isDirectory(dir)) throw new StorageException("no database at " + dir);
        DBOptions options = new DBOptions().setLogger(new SilentLogger())
                .setWalRecoveryMode(walCheck == WalCheck.STRICT ? WALRecoveryMode.AbsoluteConsistency : WALRecoveryMode.PointInTimeRecovery);
        ColumnFamilyOptions cf = new ColumnFamilyOptions();
        try {
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf));
            for (Column c : Column.values()) descriptors.add(new ColumnFamilyDescriptor(c.familyName(), cf));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.openReadOnly(options, dir.toString(), descriptors, handles);
            return new RocksDbStore(db, options, cf, handles, true);
        } catch (RocksDBException e) {
            options.close();
            cf.close();
            throw new StorageException("cannot open the database at " + dir + " read-only: " + e.getMessage(), e);
        }
    }

    /**
     * Reads every block of every table file (all column families) and checks its checksum, as RocksDB's
     * {@code VerifyChecksum}; throws naming the damaged file.
     */
    public void verifyChecksums() {
        try {
            db.verifyChecksum();
        } catch (RocksDBException e) {
            throw new StorageException("checksum verification failed: " + e.getMessage(), e);
        }
    }

    /** Writes the memtables of every column family to table files (used by tests and before a checkpoint). */
    public void flush() {
        requireWritable();
        try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
            db.flush(options, handles);
        } catch (RocksDBException e) {
            throw new StorageException("flush failed: " + e.getMessage(), e);
        }
    }

    /**
     * A consistent copy of the whole database in {@code target} (which must not exist), taken while the store is in
     * use: RocksDB's checkpoint flushes the memtables and hard-links the table files (copies them across file systems).
     */
    public void checkpoint(Path target) {
        requireWritable();
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StorageException("cannot create a checkpoint in " + target + ": " + e.getMessage(), e);
        }
    }

    private void requireWritable() {
        if (readOnly) throw new StorageException("the database is open read-only");
    }

    /** Discards RocksDB's own log lines, so that a read-only open creates no LOG file. */
    private static final class SilentLogger extends Logger {
        SilentLogger() {
            super(InfoLogLevel.FATAL_LEVEL);
        }

        @Override
        protected void log(InfoLogLevel level, String message) {}
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
        requireWritable();
        return new Batch();
    }

    /** Fsyncs the write-ahead log; does not block writers on other threads. Refused once the store is closed. */
    @Override
    public synchronized void syncWal() {
        if (closed) throw new StorageException("the database is closed");
        requireWritable();
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
