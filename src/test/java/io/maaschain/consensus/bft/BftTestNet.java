package io.maaschain.consensus.bft;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.BlockchainView;
import io.maaschain.chain.consensus.ConsensusDriver;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.state.SignatureCheck;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.txpool.TxPool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A small deterministic network for bft tests: each validator has its own chain on an in-memory store, driven by a
 * {@link ConsensusDriver}; messages and new blocks travel through one queue ordered by virtual time, with a fixed
 * per-link delay. Silent nodes neither send nor receive. (The seeded simulation with faults lives elsewhere.)
 */
final class BftTestNet {
    static final long GENESIS_TIME = 1_700_000_000_000L;

    final List<KeyPair> keys;
    final Genesis genesis;
    final List<Node> nodes = new ArrayList<>();
    final Set<Integer> silent = new HashSet<>();
    /** Nodes that run but whose messages (both ways) are lost: a partition, or a lossy link. */
    final Set<Integer> isolated = new HashSet<>();
    private final PriorityQueue<Delivery> queue = new PriorityQueue<>();
    private long seq;
    long now = GENESIS_TIME + 1_000;

    private record Delivery(long at, long seq, int to, ConsensusMessage message, Block block) implements Comparable<Delivery> {
        @Override
        public int compareTo(Delivery o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    final class Node {
        final int index;
        final KeyPair key;
        final Blockchain chain;
        final TxPool pool;
        final BftProtocol protocol;
        final ConsensusDriver driver;
        boolean headMoved;

        final InMemoryStore store;
        final GuardedSigner.InMemory history;

        Node(int index, KeyPair key) {
            this(index, key, new InMemoryStore(), new GuardedSigner.InMemory());
        }

        /** A node on {@code store} with signing history {@code history}: a restart when both come from an earlier node. */
        Node(int index, KeyPair key, InMemoryStore store, GuardedSigner.InMemory history) {
            this.index = index;
            this.key = key;
            this.store = store;
            this.history = history;
            this.chain = Blockchain.open(store, genesis, ConsensusFactory.create(genesis), SignatureCheck.VERIFY);
            this.pool = new TxPool(chain.transition(), SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
            GuardedSigner signer = new GuardedSigner(key, Fixtures.CHAIN_ID, history);
            this.protocol = new BftProtocol(new BlockchainView(chain, () -> now), signer, ((BftEngine) chain.engine()).params());
            this.driver = new ConsensusDriver(chain, pool, new BlockBuilder(chain, SignatureCheck.VERIFY), protocol, signer, key,
                    m -> send(this.index, m, null));
            chain.addListener((removed, added, head) -> {
                headMoved = true;
                pool.onHeadChanged(removed, added, chain.headState());
                for (Block b : added) send(this.index, null, b);
            });
        }

        Hash hashAt(long height) {
            return chain.index().canonicalHash(height);
        }
    }

    BftTestNet(int validators) {
        this(validators, "");
    }

    /** {@code extraGenesis}: more top-level genesis fields, e.g. a permissioned section. */
    BftTestNet(int validators, String extraGenesis) {
        keys = new ArrayList<>();
        for (int i = 0; i < validators; i++) keys.add(Fixtures.key(100 + i));
        StringBuilder alloc = new StringBuilder();
        for (KeyPair k : keys) alloc.append(alloc.isEmpty() ? "" : ",").append("\"").append(k.address()).append("\": \"1000000\"");
        genesis = GenesisParser.parse("""
                {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 100, "maxBlockBytes": 1048576,
                 "consensus": %s, %s "alloc": {%s}}""".formatted(Fixtures.CHAIN_ID, GENESIS_TIME, BftEngine.genesisSection(keys), extraGenesis, alloc));
        for (int i = 0; i < validators; i++) nodes.add(new Node(i, keys.get(i)));
    }

    void start() {
        for (Node n : nodes) if (!silent.contains(n.index)) n.driver.start(now);
        settle();
    }

    /** Node {@code i} restarts: a fresh protocol, pool and driver on its stored chain and signing history; it runs again. */
    void restart(int i) {
        Node old = nodes.get(i);
        Node fresh = new Node(i, old.key, old.store, old.history);
        nodes.set(i, fresh);
        silent.remove(i);
        fresh.driver.start(now);
        settle();
    }

    /** Delivers {@code message} from node {@code from} (or from outside if -1) to every other node after the link delay. */
    void send(int from, ConsensusMessage message, Block block) {
        if (silent.contains(from)) return;
        for (Node n : nodes) {
            if (n.index == from || silent.contains(n.index) || isolated.contains(from) || isolated.contains(n.index)) continue;
            long delay = 2 + Math.floorMod(from * 7 + n.index * 3, 5);
            queue.add(new Delivery(now + delay, seq++, n.index, message, block));
        }
    }

    /** Runs until virtual time {@code until}, or until {@code done} holds. */
    void runUntil(long until, java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            long next = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at();
            Node waking = null;
            for (Node n : nodes) {
                if (!silent.contains(n.index) && n.driver.nextWake() < next) {
                    next = n.driver.nextWake();
                    waking = n;
                }
            }
            if (next > until) {
                now = until;
                return;
            }
            now = Math.max(now, next);
            if (waking != null) {
                waking.driver.tick(now);
            } else {
                Delivery d = queue.poll();
                Node n = nodes.get(d.to());
                if (d.message() != null) {
                    n.driver.message(d.message(), now);
                } else {
                    try {
                        n.chain.importBlock(d.block(), now);
                    } catch (Rejection r) {
                        // Already final elsewhere, or arrived before its parent: sync is not modelled here.
                    }
                }
            }
            settle();
        }
    }

    /** Tells each node whose head moved. */
    private void settle() {
        boolean any = true;
        while (any) {
            any = false;
            for (Node n : nodes) {
                if (n.headMoved) {
                    n.headMoved = false;
                    any = true;
                    n.driver.headChanged(now);
                }
            }
        }
    }

    List<Node> live() {
        return nodes.stream().filter(n -> !silent.contains(n.index)).toList();
    }

    long minHeight() {
        return live().stream().mapToLong(n -> n.chain.head().height()).min().orElseThrow();
    }

    /** No two nodes hold different blocks at any height both hold, and final blocks lie on every node's chain. */
    void assertAgreement() {
        for (Node a : nodes) {
            for (Node b : nodes) {
                long h = Math.min(a.chain.head().height(), b.chain.head().height());
                for (long i = 1; i <= h; i++) {
                    if (!a.hashAt(i).equals(b.hashAt(i))) {
                        throw new AssertionError("nodes " + a.index + " and " + b.index + " disagree at height " + i);
                    }
                }
                var f = a.chain.finalized();
                if (f.height() <= b.chain.head().height() && !b.hashAt(f.height()).equals(f.hash())) {
                    throw new AssertionError("node " + b.index + " conflicts with node " + a.index + "'s final block at height " + f.height());
                }
            }
        }
    }
}
