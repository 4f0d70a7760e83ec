package io.maaschain.cli;

import io.maaschain.storage.Column;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.storage.StorageException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Damage to a node database below the chain rules, found without changing a file: table files whose block checksums
 * fail (any column family), and a write-ahead log whose tail is cut off or damaged, which a node would silently recover
 * from by dropping the blocks committed after the damage.
 */
final class DatabaseDamage {
    private DatabaseDamage() {}

    /** A sentence naming the damage, or empty if the files are whole. */
    static Optional<String> find(Path dbDir) {
        RocksDbStore strict;
        try {
            strict = RocksDbStore.openReadOnly(dbDir, RocksDbStore.WalCheck.STRICT);
        } catch (StorageException e) {
            return Optional.of(lostOrDamaged(dbDir, e));
        }
        try (strict) {
            strict.verifyChecksums();
            return Optional.empty();
        } catch (StorageException e) {
            return Optional.of("damaged table file: " + e.getMessage());
        }
    }

    /** The strict open failed: if a crash-style recovery opens it, the log lost its tail, and with it blocks. */
    private static String lostOrDamaged(Path dbDir, StorageException strictFailure) {
        try (RocksDbStore recovered = RocksDbStore.openReadOnly(dbDir, RocksDbStore.WalCheck.POINT_IN_TIME)) {
            long[] highest = {-1};
            recovered.scan(Column.CANONICAL, new byte[0], (key, value) -> {
                highest[0] = java.nio.ByteBuffer.wrap(key).getLong();
                return true;
            });
            String at = highest[0] < 0 ? "no block at all" : "height " + highest[0];
            return "blocks were lost: the write-ahead log is cut off or damaged, and the database recovers only up to " + at
                    + "; everything committed after that is gone (" + strictFailure.getMessage() + ")";
        } catch (RuntimeException e) {
            return "the database cannot be opened: " + strictFailure.getMessage();
        }
    }
}
