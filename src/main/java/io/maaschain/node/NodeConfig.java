package io.maaschain.node;

import io.maaschain.crypto.Address;
import java.nio.file.Path;

/**
 * What a node needs to run. {@code blockIntervalMillis} is the producer's pacing: it starts a block no sooner
 * than this after its parent, unless enough transactions are waiting to fill one.
 */
public record NodeConfig(
        Path dataDir,
        Path genesisFile,
        String httpHost,
        int httpPort,
        Address rewardAddress,
        int minerThreads,
        long blockIntervalMillis) {

    public Path databaseDir() {
        return dataDir.resolve("db");
    }
}
