package io.maaschain.consensus.pos;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.BlockchainView;
import io.maaschain.chain.consensus.ConsensusDriver;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.state.SignatureCheck;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Validators in one thread on a virtual clock: each has its own chain on an in-memory store, pool, driver, guarded signer
 * and protocol; blocks and consensus messages go through one FIFO queue with no delay. Offline nodes neither send nor receive.
 */
final class PosNetwork {
    static final long DEPTH = 4096;

    final class Node {
        final int index;
        final KeyPair key;
        final Blockchain chain;
        final TxPool pool;
        final PosProtocol protocol;
        final ConsensusDriver driver;
        boolean online = true;

        Node(int index, KeyPair key) {
            this.index = index;
            this.key = key;
            this.chain = Blockchain.open(new InMemoryStore(), genesis, ConsensusFactory.create(genesis), SignatureCheck.VERIFY);
            this.pool = new TxPool(chain.transition(), SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
            GuardedSigner signer = new GuardedSigner(key, Fixtures.CHAIN_ID, new GuardedSigner.InMemory());
            this.protocol = new PosProtocol((PosEngine) chain.engine(), new BlockchainView(chain, () -> now), signer, RandaoOnion.forKey(key, DEPTH));
            this.driver = new ConsensusDriver(chain, pool, new BlockBuilder(chain, SignatureCheck.VERIFY), protocol, signer, key,
                    m -> gossip(this, m));
            chain.addListener((removed, added, head) -> {
                pool.onHeadChanged(removed, added, chain.headState());
                for (Block b : added) for (Node n : nodes) if (n != this) queue.add(() -> n.receive(b));
                queue.add(() -> { if (online) driver.headChanged(now); });
            });
        }

        void receive(Block b) {
            if (!online) return;
            try {
                chain.importBlock(b, now);
            } catch (Rejection r) {
                rejections.add("node " + index + ": " + r);
            }
        }
    }

    final Genesis genesis;
    final List<Node> nodes = new ArrayList<>();
    final Deque<Runnable> queue = new ArrayDeque<>();
    final List<String> rejections = new ArrayList<>();
    /** Every consensus message broadcast, delivered or not. */
    final List<ConsensusMessage> sent = new ArrayList<>();
    /** While true, consensus messages are lost (blocks still travel). */
    boolean dropConsensusMessages;
    long now = TestChain.GENESIS_TIME;

    PosNetwork(int validators) {
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < validators; i++) keys.add(Fixtures.key(200 + i));
        StringBuilder alloc = new StringBuilder();
        for (KeyPair k : keys) alloc.append(alloc.isEmpty() ? "" : ",").append('"').append(k.address()).append("\": 1000000");
        genesis = GenesisParser.parse("""
                {"chainId": %d, "timestamp": %d, "minTxFee": 1, "consensus": %s, "alloc": {%s}}
                """.formatted(Fixtures.CHAIN_ID, TestChain.GENESIS_TIME, PosGenesis.section(keys, DEPTH), alloc));
        for (int i = 0; i < validators; i++) nodes.add(new Node(i, keys.get(i)));
    }

    private void gossip(Node from, ConsensusMessage m) {
        sent.add(m);
        if (dropConsensusMessages) return;
        for (Node n : nodes) if (n != from) queue.add(() -> { if (n.online) n.driver.message(m, now); });
    }

    void start() {
        for (Node n : nodes) if (n.online) n.driver.start(now);
        drain();
    }

    /** Runs until the virtual clock reaches {@code until}, waking each node when it asked to be woken. */
    void runUntil(long until) {
        while (true) {
            long next = Long.MAX_VALUE;
            for (Node n : nodes) if (n.online) next = Math.min(next, n.driver.nextWake());
            if (next > until) break;
            now = Math.max(now, next);
            for (Node n : nodes) if (n.online && n.driver.nextWake() <= now) n.driver.tick(now);
            drain();
        }
        now = until;
    }

    void drain() {
        while (!queue.isEmpty()) queue.poll().run();
    }

    long slotStart(long slot) {
        return TestChain.GENESIS_TIME + slot * PosGenesis.DEFAULT_SLOT_MILLIS;
    }
}
