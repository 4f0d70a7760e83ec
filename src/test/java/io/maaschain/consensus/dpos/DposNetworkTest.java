package io.maaschain.consensus.dpos;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.BlockchainView;
import io.maaschain.chain.consensus.ConsensusDriver;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.state.SignatureCheck;
import io.maaschain.txpool.TxPool;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * Four dpos producers in one process: real chains on in-memory stores, the real driver, slashing-protected signers, an
 * in-test network with a fixed 5 ms delay and a virtual clock. Deterministic: no threads, no wall clock.
 */
class DposNetworkTest {
    static final long DELAY = 5;

    final DposFixture f = new DposFixture(4, 4, 2);
    final List<Node> nodes = new ArrayList<>();
    final PriorityQueue<Event> events = new PriorityQueue<>();
    long now = DposFixture.GENESIS_TIME + 1;
    long seq;

    record Event(long time, long seq, int node, Object payload) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    record HeadChanged() {}

    final class Node {
        final int index;
        final KeyPair key;
        final Blockchain chain;
        final TxPool pool;
        final ConsensusDriver driver;
        boolean down;

        Node(int index, KeyPair key) {
            this.index = index;
            this.key = key;
            this.chain = f.open();
            this.pool = new TxPool(chain.transition(), SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
            BlockchainView view = new BlockchainView(chain, () -> now);
            GuardedSigner signer = new GuardedSigner(key, DposFixture.CHAIN_ID, new GuardedSigner.InMemory());
            DposProtocol protocol = new DposProtocol(view, signer, f.engine);
            this.driver = new ConsensusDriver(chain, pool, new BlockBuilder(chain, SignatureCheck.VERIFY), protocol, signer, key,
                    message -> sendToOthers(index, message));
            chain.addListener((removed, added, head) -> {
                pool.onHeadChanged(removed, added, chain.headState());
                added.forEach(b -> sendToOthers(index, b));
                post(index, new HeadChanged(), now);
            });
        }
    }

    void post(int node, Object payload, long time) {
        events.add(new Event(time, seq++, node, payload));
    }

    void sendToOthers(int from, Object payload) {
        for (Node n : nodes) if (n.index != from) post(n.index, payload, now + DELAY);
    }

    void start() {
        for (int i = 0; i < f.producers.size(); i++) nodes.add(new Node(i, f.producers.get(i)));
        for (Node n : nodes) n.driver.start(now);
    }

    /** Runs the network until the virtual clock reaches {@code until}. */
    void runUntil(long until) {
        while (true) {
            long next = events.isEmpty() ? Long.MAX_VALUE : events.peek().time();
            for (Node n : nodes) if (!n.down) next = Math.min(next, n.driver.nextWake());
            if (next > until) break;
            now = Math.max(now, next);
            while (!events.isEmpty() && events.peek().time() <= now) deliver(events.poll());
            for (Node n : nodes) if (!n.down && n.driver.nextWake() <= now) n.driver.tick(now);
        }
        now = until;
    }

    void deliver(Event e) {
        Node n = nodes.get(e.node());
        if (n.down) return;
        switch (e.payload()) {
            case Block b -> {
                try {
                    n.chain.importBlock(b, now);
                } catch (Rejection r) {
                    // an already-final conflict or an unknown parent: a real node would fetch or drop it
                }
            }
            case ConsensusMessage m -> n.driver.message(m, now);
            case HeadChanged h -> n.driver.headChanged(now);
            default -> throw new IllegalStateException("unexpected event " + e.payload());
        }
    }

    long slotEnd(long slot) {
        return DposFixture.time(slot) + 100;
    }

    @Test
    void producersMakeBlocksIrreversibleWithinASlotAndKeepGoingWithoutASilentProducer() {
        start();
        runUntil(slotEnd(40));
        for (Node n : nodes) {
            assertThat(n.chain.head().height()).isEqualTo(40);
            // Block h-1 is final once the votes on block h (one slot later) are gossiped: finality within a slot plus two network delays.
            assertThat(n.chain.finalized().height()).as("node " + n.index + " final").isEqualTo(39);
            assertThat(f.engine.finalizedIn(n.chain.headState()).orElseThrow().height()).isGreaterThanOrEqualTo(37);
        }
        assertThat(DposEngine.missedSlots(nodes.get(0).chain.headState())).isEmpty();

        Node silent = nodes.get(3);
        silent.down = true;
        long finalBefore = nodes.get(0).chain.finalized().height();
        runUntil(slotEnd(80));
        long missedExpected = 0;
        for (long slot = 41; slot < 80; slot++) if ((slot % 8) / 2 == 3) missedExpected++;
        for (Node n : nodes.subList(0, 3)) {
            assertThat(n.chain.head().height()).isEqualTo(40 + 40 - missedExpected);
            assertThat(DposEngine.missedSlots(n.chain.headState())).containsExactlyEntriesOf(java.util.Map.of(silent.key.address(), missedExpected));
            assertThat(n.chain.finalized().height()).isGreaterThan(finalBefore + 20).isGreaterThanOrEqualTo(n.chain.head().height() - 3);
        }
        BlockRef f0 = nodes.get(0).chain.finalized();
        for (Node n : nodes.subList(1, 3)) {
            assertThat(n.chain.index().canonicalHash(f0.height())).isEqualTo(f0.hash());
        }
    }

    @Test
    void aDoubleVoteSeenOnTheNetworkEndsInSlashingAndFinalityContinues() {
        start();
        runUntil(slotEnd(10));
        Node byzantine = nodes.get(2);
        var head = byzantine.chain.head();
        CheckpointVote honest = new CheckpointVote(DposEngine.justifiedIn(byzantine.chain.headState()).height(),
                DposEngine.justifiedIn(byzantine.chain.headState()).hash(), head.height(), head.hash(), byzantine.key.publicKey(), ValidatorSeal.UNSIGNED);
        CheckpointVote other = new CheckpointVote(honest.sourceEpoch(), honest.sourceHash(), honest.targetEpoch(), Hash.ZERO,
                byzantine.key.publicKey(), ValidatorSeal.UNSIGNED);
        // Bypasses the guarded signer on purpose: a faulty or malicious producer signing two targets at one height.
        sendToOthers(byzantine.index, new ConsensusMessage.VoteMessage(DposFixture.signed(honest, byzantine.key)));
        sendToOthers(byzantine.index, new ConsensusMessage.VoteMessage(DposFixture.signed(other, byzantine.key)));
        runUntil(slotEnd(30));
        for (Node n : nodes) {
            assertThat(Bonds.get(n.chain.headState(), byzantine.key.address()).orElseThrow().slashed()).as("node " + n.index).isTrue();
            assertThat(DposState.candidate(n.chain.headState(), byzantine.key.address())).isEmpty();
        }
        long finalAfterSlash = nodes.get(0).chain.finalized().height();
        runUntil(slotEnd(50));
        for (Node n : List.of(nodes.get(0), nodes.get(1), nodes.get(3))) {
            assertThat(n.chain.finalized().height()).isGreaterThan(finalAfterSlash + 10);
        }
    }
}
