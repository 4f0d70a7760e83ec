package io.maaschain.p2p;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/** A chain, a pool and a P2pService on a loopback port, wired like the node does. */
final class TestNode implements AutoCloseable {
    final int n;
    final KeyPair nodeKey;
    final Address miner;
    final Blockchain chain;
    final TxPool pool;
    P2pService p2p;

    private TestNode(int n, Genesis genesis) {
        this.n = n;
        this.nodeKey = Fixtures.key(1000 + n);
        this.miner = Fixtures.key(2000 + n).address();
        VerifiedSignatures sigs = new VerifiedSignatures(10_000);
        this.chain = Blockchain.open(new InMemoryStore(), genesis, io.maaschain.consensus.ConsensusFactory.create(genesis), sigs);
        this.pool = new TxPool(chain.transition(), sigs, TxPool.Limits.DEFAULT);
        chain.addListener((removed, added, head) -> pool.onHeadChanged(removed, added, chain.headState()));
    }

    /** A node with its chain but no network yet. */
    static TestNode offline(int n, Genesis genesis) {
        return new TestNode(n, genesis);
    }

    static TestNode start(int n, Genesis genesis, UnaryOperator<P2pConfig> tweak) throws IOException {
        TestNode node = new TestNode(n, genesis);
        node.startP2p(tweak);
        return node;
    }

    static P2pConfig baseConfig() {
        return P2pConfig.of("127.0.0.1", 0).withTiming(P2pConfig.Timing.FAST).withBanMillis(60_000);
    }

    void startP2p(UnaryOperator<P2pConfig> tweak) throws IOException {
        p2p = P2pService.start(tweak.apply(baseConfig()), chain, pool, nodeKey, System::currentTimeMillis);
    }

    PeerAddress address() {
        return new PeerAddress("127.0.0.1", p2p.port());
    }

    /** Seals and imports {@code count} empty blocks on the local head; each goes out by gossip if the service runs. */
    void mine(int count) throws Rejection {
        for (int i = 0; i < count; i++) mine(List.of());
    }

    Block mine(List<Transaction> txs) throws Rejection {
        Block b = TestChain.next(chain, txs, miner);
        chain.importBlock(b, System.currentTimeMillis());
        return b;
    }

    long height() {
        return chain.head().height();
    }

    @Override
    public void close() {
        if (p2p != null) p2p.close();
    }

    @Override
    public String toString() {
        return "node" + n;
    }
}
