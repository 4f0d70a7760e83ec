package io.maaschain.node;

import io.maaschain.crypto.Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a node needs to run, after the config file, environment and flags have been merged
 * (see {@link NodeConfigLoader}).
 */
public record NodeConfig(
        Path dataDir,
        Path genesisFile,
        Path nodeKeyFile,
        String httpHost,
        int httpPort,
        Optional<Network> network,
        Mining mining,
        Serving serving,
        Artifacts artifacts) {

    /** A config with the default artifact store bounds. */
    public NodeConfig(Path dataDir, Path genesisFile, Path nodeKeyFile, String httpHost, int httpPort, Optional<Network> network,
                      Mining mining, Serving serving) {
        this(dataDir, genesisFile, nodeKeyFile, httpHost, httpPort, network, mining, serving, Artifacts.DEFAULT);
    }

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

    /**
     * Inference serving: how often served artifacts are re-checked against the chain, and models served through a
     * remote Open Inference Protocol v2 server (KServe, Triton, another maaschain node) instead of embedded.
     */
    public record Serving(Duration artifactRecheck, List<RemoteModel> remote) {
        public static final Serving DEFAULT = new Serving(Duration.ofMinutes(5), List.of());

        public Serving {
            remote = List.copyOf(remote);
        }
    }

    /**
     * The artifact store's admission bounds ({@code [artifacts]}, docs/operator-guide.md "Artifact store"): bytes one
     * account may hold (its uploaded artifacts and partial uploads), free disk space uploads never eat into, and how long
     * an idle partial upload is kept before it is deleted as abandoned.
     */
    public record Artifacts(long accountQuotaBytes, long diskReserveBytes, Duration uploadExpiry) {
        public static final Artifacts DEFAULT = new Artifacts(16L << 30, 1L << 30, Duration.ofHours(24));

        public Artifacts {
            if (accountQuotaBytes < 0 || diskReserveBytes < 0) throw new IllegalArgumentException("quota and reserve must not be negative");
            if (uploadExpiry.isNegative() || uploadExpiry.isZero()) throw new IllegalArgumentException("the upload expiry must be positive");
        }
    }

    /** {@code name@version=url}: the model version (registered on chain) is answered by the server at {@code url}. */
    public record RemoteModel(String name, String version, java.net.URI url) {
        public static RemoteModel parse(String text) {
            int at = text.indexOf('@');
            int eq = text.indexOf('=');
            if (at < 1 || eq < at + 2 || eq == text.length() - 1) {
                throw new IllegalArgumentException("a remote model is name@version=url, got '" + text + "'");
            }
            return new RemoteModel(text.substring(0, at), text.substring(at + 1, eq), java.net.URI.create(text.substring(eq + 1)));
        }
    }

    public Duration artifactRecheck() {
        return serving.artifactRecheck();
    }

    public Path databaseDir() {
        return dataDir.resolve("db");
    }
}
