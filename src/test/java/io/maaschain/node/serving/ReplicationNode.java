package io.maaschain.node.serving;

import io.maaschain.chain.Blockchain;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.p2p.ArtifactFetch;
import io.maaschain.p2p.ArtifactProvider;
import io.maaschain.p2p.P2pConfig;
import io.maaschain.p2p.P2pService;
import io.maaschain.p2p.PeerAddress;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A node for replication tests: its own chain, artifact store in a temp dir, and a P2pService on loopback, wired like Node. */
final class ReplicationNode implements AutoCloseable {
    static final ArtifactReplicator.Settings FAST = ArtifactReplicator.Settings.DEFAULT
            .withRetry(Duration.ofMillis(200), Duration.ofSeconds(1)).withProgressInterval(Duration.ofSeconds(1));

    final int n;
    final KeyPair nodeKey;
    final Blockchain chain;
    final TxPool pool;
    final Path dir;
    ArtifactStore store;
    P2pService p2p;
    ArtifactReplicator replicator;

    ReplicationNode(int n, Genesis genesis, Path dir) throws IOException {
        this.n = n;
        this.nodeKey = key(n);
        this.dir = dir;
        VerifiedSignatures sigs = new VerifiedSignatures(10_000);
        this.chain = Blockchain.open(new InMemoryStore(), genesis, ConsensusFactory.create(genesis), sigs);
        this.pool = new TxPool(chain.transition(), sigs, TxPool.Limits.DEFAULT);
        this.store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT, 2);
    }

    static KeyPair key(int n) {
        return Fixtures.key(1000 + n);
    }

    Address address() {
        return nodeKey.address();
    }

    ReplicationNode startP2p(List<PeerAddress> bootnodes) throws IOException {
        return startP2p(bootnodes, p -> p);
    }

    /** Starts the network; {@code wrap} may replace the provider that serves this node's store (to make a liar). */
    ReplicationNode startP2p(List<PeerAddress> bootnodes, UnaryOperator<ArtifactProvider> wrap) throws IOException {
        P2pConfig config = P2pConfig.of("127.0.0.1", 0).withTiming(P2pConfig.Timing.FAST).withBanMillis(60_000).withBootnodes(bootnodes);
        p2p = P2pService.start(config, chain, pool, nodeKey, System::currentTimeMillis);
        p2p.artifactProvider(wrap.apply(new StoreArtifactProvider(store, new io.maaschain.maas.artifact.ArtifactAccess(chain, store))));
        return this;
    }

    ArtifactReplicator startReplicator(ArtifactFetch fetch) {
        replicator = new ArtifactReplicator(store, fetch, FAST);
        return replicator;
    }

    PeerAddress peerAddress() {
        return new PeerAddress("127.0.0.1", p2p.port());
    }

    /** Reopens the artifact store, as a restarted node would. */
    void reopenStore() throws IOException {
        if (replicator != null) replicator.close();
        replicator = null;
        store.close();
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT, 2);
    }

    int scoreOf(KeyPair peer) {
        return p2p.peers().stream().filter(p -> p.id().equals(peer.publicKey())).findFirst().map(p -> p.score()).orElse(Integer.MIN_VALUE);
    }

    @Override
    public void close() {
        if (replicator != null) replicator.close();
        if (p2p != null) p2p.close();
        store.close();
    }

    /** Signs transactions with per-sender nonces and puts them in one block that every node imports. */
    static final class Script {
        private final List<ReplicationNode> nodes;
        private final Map<Address, Long> nonces = new HashMap<>();

        Script(List<ReplicationNode> nodes) {
            this.nodes = nodes;
        }

        Transaction tx(KeyPair from, Payload payload) {
            long nonce = nonces.merge(from.address(), 1L, Long::sum) - 1;
            return new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, payload).sign(from);
        }

        void block(Transaction... txs) throws Rejection {
            Block b = TestChain.next(nodes.getFirst().chain, List.of(txs), Fixtures.key(2999).address());
            for (ReplicationNode node : nodes) node.chain.importBlock(b, System.currentTimeMillis());
        }
    }
}
