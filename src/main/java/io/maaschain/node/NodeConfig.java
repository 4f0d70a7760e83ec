package io.maaschain.node;

import io.maaschain.crypto.Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a node needs to run, after the config file, environment and flags have been merged
 * (see {@link NodeConfigLoader}). {@code artifactRecheck} is how often served artifacts are re-checked against the chain.
 */
public record NodeConfig(
        Path dataDir,
        Path genesisFile,
        Path nodeKeyFile,
        String httpHost,
        int httpPort,
        Optional<Network> network,
        Mining mining,
        Duration artifactRecheck) {

    /** Peer-to-peer settings; absent for a node that runs alone. */
    public record Network(String host, int port, List<String> bootnodes, int maxInbound, int maxOutbound, boolean tls) {
        public Network {
            bootnodes = List.copyOf(bootnodes);
        }
    }

    /**
     * Block production. {@code blockIntervalMillis} paces the producer: it starts a block no sooner than this after
     * its parent, unless a full block's worth of transactions is waiting. An empty reward address means the node key's.
     */
    public record Mining(boolean enabled, Optional<Address> rewardAddress, int threads, long blockIntervalMillis) {}

    public Path databaseDir() {
        return dataDir.resolve("db");
    }
}
