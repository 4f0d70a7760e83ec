package io.maaschain.bench;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.p2p.P2pConfig;
import io.maaschain.p2p.P2pService;
import io.maaschain.p2p.PeerAddress;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Network figures for BENCHMARKS.md, over real gRPC sockets on loopback with RocksDB on disk:
 * (1) block propagation latency across 4 nodes (p50, p99), (2) a late joiner's sync throughput beside the rate at
 * which one node commits the same blocks when it imports them from disk without a network (the reference).
 * Run: bench/run.sh network (or the main class with the test classpath).
 */
public final class NetworkBench {
    static final int SENDERS = 2_000;

    record Node(Path dir, RocksDbStore store, Blockchain chain, TxPool pool, P2pService p2p, KeyPair key) implements AutoCloseable {
        @Override
        public void close() {
            if (p2p != null) p2p.close();
            store.close();
        }
    }

    static Node node(Path root, String name, Genesis genesis, List<PeerAddress> bootnodes, int n, boolean network) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        RocksDbStore store = RocksDbStore.open(dir.resolve("db"));
        VerifiedSignatures sigs = new VerifiedSignatures(1_000_000);
        Blockchain chain = Blockchain.open(store, genesis, ConsensusFactory.create(genesis), sigs);
        TxPool pool = new TxPool(chain.transition(), sigs, TxPool.Limits.DEFAULT);
        KeyPair key = Fixtures.key(5000 + n);
        P2pService p2p = network ? P2pService.start(P2pConfig.of("127.0.0.1", 0).withBootnodes(bootnodes)
                .withTiming(P2pConfig.Timing.FAST), chain, pool, key, System::currentTimeMillis) : null;
        return new Node(dir, store, chain, pool, p2p, key);
    }

    static Genesis genesis(List<KeyPair> funded) {
        StringBuilder alloc = new StringBuilder();
        for (KeyPair k : funded) alloc.append(alloc.isEmpty() ? "" : ",").append('"').append(k.address()).append("\": \"1000000000\"");
        return GenesisParser.parse("""
                {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 50000, "maxBlockBytes": 16777216,
                 "consensus": {"kind": "pow", "powLimitBits": "0x207fffff", "initialBits": "0x207fffff",
                               "targetBlockTimeMillis": 1000, "retargetInterval": 10, "noRetargeting": true, "blockReward": 50},
                 "alloc": {%s}}""".formatted(Fixtures.CHAIN_ID, System.currentTimeMillis() - 86_400_000L, alloc));
    }

    public static void main(String[] args) throws Exception {
        int propagationBlocks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int syncBlocks = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int txPerBlock = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        Path root = Files.createTempDirectory("maaschain-netbench");
        List<KeyPair> senders = IntStream.range(0, SENDERS).parallel().mapToObj(i -> Fixtures.key(100_000 + i)).toList();
        Genesis genesis = genesis(senders);
        propagation(root.resolve("propagation"), genesis, senders, propagationBlocks);
        sync(root.resolve("sync"), genesis, senders, syncBlocks, txPerBlock);
    }

    /** Four nodes in a full mesh; blocks of 100 transfers produced on a random node, arrival timed at the others. */
    static void propagation(Path root, Genesis genesis, List<KeyPair> senders, int blocks) throws Exception {
        List<Node> nodes = new ArrayList<>();
        Map<Hash, long[]> arrivals = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < 4; i++) {
                List<PeerAddress> boot = nodes.stream().map(n -> new PeerAddress("127.0.0.1", n.p2p().port())).toList();
                Node n = node(root, "n" + i, genesis, boot, i, true);
                int index = i;
                n.chain().addListener((removed, added, head) -> {
                    long now = System.nanoTime();
                    for (Block b : added) arrivals.computeIfAbsent(b.hash(), h -> new long[4])[index] = now;
                });
                nodes.add(n);
            }
            waitFor(() -> nodes.stream().allMatch(n -> n.p2p().peers().size() == 3), 30_000);
            Random random = new Random(1);
            long[] nonces = new long[senders.size()];
            List<Long> latencies = new ArrayList<>();
            for (int b = 0; b < blocks; b++) {
                Node producer = nodes.get(random.nextInt(4));
                List<Transaction> txs = new ArrayList<>();
                for (int t = 0; t < 100; t++) {
                    int s = random.nextInt(senders.size());
                    txs.add(Fixtures.transfer(senders.get(s), senders.get((s + 1) % senders.size()).address(), 1, nonces[s]++, 1));
                }
                Block block = TestChain.seal(new BlockBuilder(producer.chain(), tx -> true).build(txs, producer.key().address(),
                        System.currentTimeMillis()).block());
                producer.chain().importBlock(block, System.currentTimeMillis());
                long sent = arrivals.get(block.hash())[nodes.indexOf(producer)];
                waitFor(() -> Arrays.stream(arrivals.get(block.hash())).allMatch(t -> t != 0), 10_000);
                for (long t : arrivals.get(block.hash())) if (t != sent) latencies.add(t - sent);
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("RESULT propagation blocks=%d samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", blocks, sorted.length,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
        } finally {
            nodes.forEach(Node::close);
        }
    }

    /** Build full blocks on A; time a fresh node importing them from A's disk (reference), then a late joiner syncing them. */
    static void sync(Path root, Genesis genesis, List<KeyPair> senders, int blocks, int txPerBlock) throws Exception {
        try (Node a = node(root, "a", genesis, List.of(), 10, true)) {
            long[] nonces = new long[senders.size()];
            int next = 0;
            for (int b = 0; b < blocks; b++) {
                int[] from = new int[txPerBlock];
                long[] nonce = new long[txPerBlock];
                for (int t = 0; t < txPerBlock; t++, next = (next + 1) % senders.size()) {
                    from[t] = next;
                    nonce[t] = nonces[next]++;
                }
                List<Transaction> txs = IntStream.range(0, txPerBlock).parallel().mapToObj(t -> Fixtures.transfer(senders.get(from[t]),
                        senders.get((from[t] + 7) % senders.size()).address(), 1, nonce[t], 1)).toList();
                Block block = TestChain.seal(new BlockBuilder(a.chain(), tx -> true).build(txs, a.key().address(), System.currentTimeMillis()).block());
                a.chain().importBlock(block, System.currentTimeMillis());
            }
            long txs = (long) blocks * txPerBlock;

            List<Block> stored = new ArrayList<>();
            for (long h = 1; h <= a.chain().head().height(); h++) stored.add(a.chain().index().canonicalBlock(h));
            try (Node reference = node(root, "reference", genesis, List.of(), 11, false)) {
                long t0 = System.nanoTime();
                for (Block b : stored) reference.chain().importBlock(b, System.currentTimeMillis());
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("RESULT commit_reference blocks=%d txs=%d seconds=%.2f blocks_per_s=%.1f tx_per_s=%.0f%n", blocks, txs, s, blocks / s, txs / s);
            }
            try (Node late = node(root, "late", genesis, List.of(new PeerAddress("127.0.0.1", a.p2p().port())), 12, true)) {
                long t0 = System.nanoTime();
                long target = a.chain().head().height();
                waitFor(() -> late.chain().head().height() >= target, 600_000);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("RESULT sync blocks=%d txs=%d seconds=%.2f blocks_per_s=%.1f tx_per_s=%.0f%n", blocks, txs, s, blocks / s, txs / s);
            }
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("timed out");
            Thread.sleep(1);
        }
    }
}
