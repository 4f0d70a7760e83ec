package io.maaschain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.consensus.ConsensusDriver;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop feeds the protocol its inputs on one thread, wakes it when asked, and passes broadcasts to the network. */
class ConsensusLoopTest {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final List<ConsensusMessage> sent = new CopyOnWriteArrayList<>();
    final VerifiedSignatures signatures = new VerifiedSignatures(100);
    final Blockchain chain = Blockchain.open(new InMemoryStore(), TestChain.genesis(Fixtures.key(1)),
            io.maaschain.consensus.ConsensusFactory.create(TestChain.genesis(Fixtures.key(1))), signatures);
    ConsensusLoop loop;

    /** Records its inputs; asks to be woken 50 ms after start; answers every message by broadcasting it. */
    final class Recorder implements ConsensusProtocol {
        long wakeAt;

        private void seen(String what) {
            calls.add(what);
            threads.add(Thread.currentThread());
        }

        @Override
        public List<Action> start(long now) {
            seen("start");
            wakeAt = now + 50;
            return List.of(new Action.WakeAt(wakeAt));
        }

        @Override
        public List<Action> onTick(long now) {
            if (now >= wakeAt && !calls.contains("woken")) seen("woken");
            return List.of();
        }

        @Override
        public List<Action> onHeadChanged(long now) {
            seen("head " + chain.head().height());
            return List.of();
        }

        @Override
        public List<Action> onMessage(ConsensusMessage m, long now) {
            seen("message");
            return List.of(new Action.Broadcast(m), new Action.Log("relayed"));
        }

        @Override
        public List<Action> onOwnProposal(Block block, long now) {
            return List.of();
        }

        @Override
        public String describe() {
            return "inputs=" + calls.size();
        }
    }

    @AfterEach
    void stop() {
        if (loop != null) loop.close();
    }

    @Test
    void inputsReachTheProtocolInOrderOnOneThread() throws Exception {
        TxPool pool = new TxPool(chain.transition(), signatures, TxPool.Limits.DEFAULT);
        ConsensusDriver driver = new ConsensusDriver(chain, pool, new BlockBuilder(chain, signatures), new Recorder(), null, Fixtures.key(2), sent::add);
        loop = new ConsensusLoop(driver, System::currentTimeMillis);
        chain.addListener((removed, added, head) -> loop.onHeadChanged());
        loop.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.contains("woken"));
        assertThat(calls.getFirst()).isEqualTo("start");

        ConsensusMessage vote = new ConsensusMessage.VoteMessage(new RoundVote(RoundVote.Step.PREVOTE, 1, 0, Hash.ZERO,
                Fixtures.key(3).publicKey(), ValidatorSeal.UNSIGNED));
        loop.onMessage(vote);
        chain.importBlock(TestChain.next(chain, List.of(), Fixtures.key(4).address()), System.currentTimeMillis());
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.contains("head 1") && calls.contains("message"));
        assertThat(sent).containsExactly(vote);
        assertThat(threads).allMatch(t -> t.getName().equals("consensus"));
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.describe().equals("inputs=" + calls.size()));
    }
}
