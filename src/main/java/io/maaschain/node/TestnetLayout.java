package io.maaschain.node;

import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.storage.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The files of a local testnet: one shared genesis with a funded faucet key, and per node a directory with a
 * node key and a TOML config whose bootnodes are the other nodes. Existing files are kept, so a testnet restarts.
 */
public final class TestnetLayout {
    public static final String FAUCET_KEY = "faucet.key";

    private final Path dir;
    private final int basePort;
    private final int p2pBasePort;

    /** REST on {@code basePort + i}, p2p on {@code basePort + 100 + i}. */
    public TestnetLayout(Path dir, int basePort) {
        this(dir, basePort, basePort + 100);
    }

    public TestnetLayout(Path dir, int basePort, int p2pBasePort) {
        this.dir = dir;
        this.basePort = basePort;
        this.p2pBasePort = p2pBasePort;
    }

    public Path genesisFile() {
        return dir.resolve(DevSetup.GENESIS);
    }

    public Path faucetKeyFile() {
        return dir.resolve(FAUCET_KEY);
    }

    public Path nodeDir(int i) {
        return dir.resolve("node-" + i);
    }

    public int httpPort(int i) {
        return basePort + i;
    }

    public int p2pPort(int i) {
        return p2pBasePort + i;
    }

    /** Writes a pow genesis file (funding a new faucet key) unless it exists. */
    public void writeGenesis(String consensus, long nowMillis) throws IOException {
        writeGenesis(consensus, 0, nowMillis);
    }

    /**
     * Writes the genesis file unless it exists: it funds a new faucet key, and for pos, dpos and bft makes the keys of
     * nodes 0 to {@code nodes - 1} (created now if needed) the validators, each with a balance for fees.
     */
    public void writeGenesis(String consensus, int nodes, long nowMillis) throws IOException {
        Files.createDirectories(dir);
        if (Files.exists(genesisFile())) return;
        ConsensusKinds.requireAvailable(consensus);
        KeyPair faucet = faucet();
        List<KeyPair> validators = new java.util.ArrayList<>();
        if (!"pow".equals(consensus)) {
            if (nodes < 1) throw new IllegalArgumentException("a " + consensus + " testnet needs at least one validator node");
            for (int i = 0; i < nodes; i++) validators.add(nodeKey(i));
        }
        Files.writeString(genesisFile(), DevSetup.genesis(faucet, validators, consensus, nowMillis));
    }

    public KeyPair faucet() throws IOException {
        Files.createDirectories(dir);
        if (Files.exists(faucetKeyFile())) return KeyPem.privateKeyFromPem(Files.readString(faucetKeyFile()));
        KeyPair k = KeyPair.generate(new SecureRandom());
        SecretFiles.writeOwnerOnly(faucetKeyFile(), KeyPem.privateKeyToPem(k));
        return k;
    }

    /** The node's key, created now if needed, so it can be listed in a permissioned genesis before the node starts. */
    public KeyPair nodeKey(int i) throws IOException {
        Files.createDirectories(nodeDir(i));
        return Node.loadOrCreateNodeKey(nodeDir(i).resolve("node.key"));
    }

    /** Writes node {@code i}'s config, listing {@code peers} (node indexes) as bootnodes, and returns its path. */
    public Path writeNodeConfig(int i, List<Integer> peers, String p2pHost, long blockIntervalMillis, boolean tls) throws IOException {
        return writeNodeConfig(i, peers, j -> p2pHost, blockIntervalMillis, tls);
    }

    /** As above, with each node's p2p address given by {@code hostOf} (e.g. one network namespace per node). */
    public Path writeNodeConfig(int i, List<Integer> peers, IntFunction<String> hostOf, long blockIntervalMillis, boolean tls) throws IOException {
        Files.createDirectories(nodeDir(i));
        String p2pHost = hostOf.apply(i);
        String bootnodes = peers.stream().filter(j -> j != i).map(j -> "\"" + hostOf.apply(j) + ":" + p2pPort(j) + "\"").collect(Collectors.joining(", "));
        Path config = nodeDir(i).resolve("config.toml");
        Files.writeString(config, """
                data-dir = "."
                genesis = "../genesis.json"
                node-key = "node.key"

                [http]
                host = "127.0.0.1"
                port = %d

                [p2p]
                host = "%s"
                port = %d
                bootnodes = [%s]
                tls = %s

                [mining]
                enabled = true
                threads = 1
                block-interval-ms = %d
                """.formatted(httpPort(i), p2pHost, p2pPort(i), bootnodes, tls, blockIntervalMillis));
        return config;
    }
}
