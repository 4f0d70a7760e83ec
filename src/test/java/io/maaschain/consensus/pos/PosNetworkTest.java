package io.maaschain.consensus.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class PosNetworkTest {
    private static final long EPOCH = PosGenesis.DEFAULT_EPOCH_SLOTS;

    private static void assertAgreeOnFinality(List<PosNetwork.Node> nodes, long minHeight) {
        long lowest = Long.MAX_VALUE;
        for (PosNetwork.Node n : nodes) lowest = Math.min(lowest, n.chain.finalized().height());
        assertThat(lowest).isGreaterThanOrEqualTo(minHeight);
        for (PosNetwork.Node n : nodes) {
            BlockRef f = n.chain.finalized();
            assertThat(n.chain.index().canonicalHash(f.height())).isEqualTo(f.hash());
            assertThat(n.chain.index().canonicalHash(lowest)).isEqualTo(nodes.getFirst().chain.index().canonicalHash(lowest));
        }
    }

    @Test
    void fourValidatorsFinalizeCheckpoints() {
        PosNetwork net = new PosNetwork(4);
        net.start();
        net.runUntil(net.slotStart(10 * EPOCH) + 1);
        List<PosNetwork.Node> nodes = net.nodes;
        assertThat(net.rejections).isEmpty();
        for (PosNetwork.Node n : nodes) {
            assertThat(n.chain.head().height()).as("a block in every slot").isEqualTo(10 * EPOCH);
            assertThat(n.chain.head().hash()).isEqualTo(nodes.getFirst().chain.head().hash());
        }
        // Epoch e's checkpoint is justified in epoch e and final once epoch e+1's is justified: by epoch 10, epoch 8 or 9 is final.
        assertAgreeOnFinality(nodes, 8 * EPOCH);
        var described = nodes.getFirst().chain.engine().describe(nodes.getFirst().chain.headState());
        assertThat(described).containsEntry("epoch", 10L).containsKey("finalized");
        assertThat(nodes.getFirst().protocol.describe()).contains("final");
    }

    @Test
    void finalityContinuesWithOneSilentValidator() {
        PosNetwork net = new PosNetwork(4);
        net.nodes.get(3).online = false;
        net.start();
        net.runUntil(net.slotStart(12 * EPOCH) + 1);
        List<PosNetwork.Node> live = net.nodes.subList(0, 3);
        assertThat(net.rejections).isEmpty();
        long head = live.getFirst().chain.head().height();
        assertThat(head).as("the silent validator's slots stay empty").isLessThan(12 * EPOCH).isGreaterThan(6 * EPOCH);
        for (PosNetwork.Node n : live) assertThat(n.chain.head().hash()).isEqualTo(live.getFirst().chain.head().hash());
        BlockRef f = live.getFirst().chain.finalized();
        assertThat(f.height()).isGreaterThan(head - 3 * EPOCH);
        assertAgreeOnFinality(live, head - 3 * EPOCH);
        assertThat(net.nodes.get(3).chain.head().height()).isZero();
    }

    @Test
    void theSameInputsGiveTheSameChain() {
        PosNetwork a = new PosNetwork(4);
        PosNetwork b = new PosNetwork(4);
        a.nodes.get(1).online = false;
        b.nodes.get(1).online = false;
        a.start();
        b.start();
        a.runUntil(a.slotStart(6 * EPOCH));
        b.runUntil(b.slotStart(6 * EPOCH));
        assertThat(a.nodes.getFirst().chain.head().hash()).isEqualTo(b.nodes.getFirst().chain.head().hash());
        assertThat(a.nodes.getFirst().chain.finalized()).isEqualTo(b.nodes.getFirst().chain.finalized());
    }

    @Test
    void aDoubleVoteSeenOnTheWireEndsInSlashing() {
        PosNetwork net = new PosNetwork(4);
        net.start();
        net.runUntil(net.slotStart(3 * EPOCH) + 1);
        KeyPair offender = net.nodes.get(3).key;
        Hash genesis = net.nodes.getFirst().chain.genesisHash();
        for (String target : List.of("one", "two")) {
            CheckpointVote v = new CheckpointVote(0, genesis, 7, Fixtures.digest(target), offender.publicKey(), ValidatorSeal.UNSIGNED);
            v = v.withSignature(offender.sign(VoteCodec.signingMessage(v, Fixtures.CHAIN_ID)));
            net.nodes.getFirst().driver.message(new ConsensusMessage.VoteMessage(v), net.now);
        }
        net.drain();
        net.runUntil(net.slotStart(9 * EPOCH) + 1);
        var state = net.nodes.get(1).chain.headState();
        assertThat(Bonds.get(state, offender.address()).orElseThrow().slashed()).isTrue();
        assertThat(((PosEngine) net.nodes.get(1).chain.engine()).isValidator(state, offender.publicKey())).isFalse();
        long final0 = net.nodes.get(1).chain.finalized().height();
        assertThat(final0).as("the other three keep finalizing").isGreaterThanOrEqualTo(6 * EPOCH);
    }

    @Test
    void aDoubleProposalSeenOnTheWireEndsInSlashing() {
        PosNetwork net = new PosNetwork(4);
        net.start();
        net.runUntil(net.slotStart(2 * EPOCH) + 1);
        KeyPair offender = net.nodes.get(2).key;
        for (String header : List.of("one", "two")) {
            ProposalSignature p = new ProposalSignature(40, 41, Fixtures.digest(header), offender.publicKey(), ValidatorSeal.UNSIGNED);
            p = p.withSignature(offender.sign(VoteCodec.signingMessage(p, Fixtures.CHAIN_ID)));
            net.nodes.get(1).driver.message(new ConsensusMessage.VoteMessage(p), net.now);
        }
        net.drain();
        net.runUntil(net.slotStart(6 * EPOCH) + 1);
        assertThat(Bonds.get(net.nodes.getFirst().chain.headState(), offender.address()).orElseThrow().slashed()).isTrue();
    }

    @Test
    void votesLostOnTheWireAreGossipedAgainUntilCounted() {
        PosNetwork net = new PosNetwork(4);
        net.start();
        net.runUntil(net.slotStart(2 * EPOCH) - 1);
        net.dropConsensusMessages = true;
        net.runUntil(net.slotStart(2 * EPOCH + 2) - 1); // every vote for epoch 2 is lost: each validator holds only its own
        net.dropConsensusMessages = false;
        net.runUntil(net.slotStart(2 * EPOCH + 3) + 1);
        for (PosNetwork.Node n : net.nodes) {
            assertThat(PosState.tally(n.chain.headState(), 2).voters()).as("node %d counts every epoch-2 vote", n.index).hasSize(4);
        }
        CheckpointVote first = net.sent.stream().map(m -> ((ConsensusMessage.VoteMessage) m).vote()).filter(v -> v instanceof CheckpointVote)
                .map(v -> (CheckpointVote) v).filter(v -> v.targetEpoch() == 2).findFirst().orElseThrow();
        long copies = net.sent.stream().filter(m -> m instanceof ConsensusMessage.VoteMessage vm && vm.vote().equals(first)).count();
        assertThat(copies).as("sent again after the loss").isGreaterThan(1);
        net.runUntil(net.slotStart(3 * EPOCH + 3));
        long later = net.sent.stream().filter(m -> m instanceof ConsensusMessage.VoteMessage vm && vm.vote().equals(first)).count();
        assertThat(later).as("no more once counted").isEqualTo(copies);
    }
}
