package io.maaschain.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ConsensusMessageCodec;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consensus messages are flooded along a line of nodes a - b - c, each delivered once to each node's listener; bad
 * ones (garbage, bad signatures, oversized) are dropped where they arrive and the sender is penalised.
 */
class P2pConsensusGossipTest {
    final Genesis genesis = TestChain.genesis(Fixtures.key(1));
    final List<TestNode> nodes = new ArrayList<>();
    final List<ConsensusMessage> atA = new CopyOnWriteArrayList<>();
    final List<ConsensusMessage> atB = new CopyOnWriteArrayList<>();
    final List<ConsensusMessage> atC = new CopyOnWriteArrayList<>();
    final KeyPair validator = Fixtures.key(42);
    TestNode a;
    TestNode b;
    TestNode c;
    Handshake.ChainIdentity chainId;
    int nextHeight = 1;

    @BeforeEach
    void line() throws Exception {
        // Outbound limits keep the line: a dials nobody, b only a, c only b.
        a = TestNode.start(0, genesis, cfg -> cfg.withPeerLimits(25, 0));
        b = TestNode.start(1, genesis, cfg -> cfg.withBootnodes(List.of(a.address())).withPeerLimits(25, 1));
        c = TestNode.start(2, genesis, cfg -> cfg.withBootnodes(List.of(b.address())).withPeerLimits(25, 1));
        nodes.addAll(List.of(a, b, c));
        a.p2p.consensusListener(atA::add);
        b.p2p.consensusListener(atB::add);
        c.p2p.consensusListener(atC::add);
        chainId = new Handshake.ChainIdentity(Fixtures.CHAIN_ID, a.chain.genesisHash());
        await().atMost(Duration.ofSeconds(10)).until(() -> b.p2p.peers().size() == 2 && c.p2p.peers().size() == 1);
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
    }

    /** A correctly signed prevote, different on each call. */
    ConsensusMessage vote() {
        RoundVote unsigned = new RoundVote(RoundVote.Step.PREVOTE, nextHeight++, 0, Hash.ZERO, validator.publicKey(), ValidatorSeal.UNSIGNED);
        return new ConsensusMessage.VoteMessage(sign(unsigned, validator));
    }

    static Vote sign(Vote unsigned, KeyPair key) {
        return unsigned.withSignature(key.sign(VoteCodec.signingMessage(unsigned, Fixtures.CHAIN_ID)));
    }

    /** A proposal whose block carries a validator seal signed by {@code signer} (which may not be the seal's key). */
    Block proposedBlock(KeyPair sealKey, KeyPair signer) {
        Block base = TestChain.next(a.chain, List.of(), sealKey.address());
        Header unsigned = base.header().withSeal(new ValidatorSeal(3, sealKey.publicKey(), Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED));
        Signature s = signer.sign(VoteCodec.signingMessage(HeaderCodec.proposalSignature(unsigned), Fixtures.CHAIN_ID));
        return new Block(unsigned.withSeal(((ValidatorSeal) unsigned.seal()).withSignature(s)), base.transactions());
    }

    static Frame frame(byte[] bytes) {
        return Frame.newBuilder().setConsensus(io.maaschain.p2p.proto.ConsensusMessage.newBuilder().setMessage(ByteString.copyFrom(bytes))).build();
    }

    static Frame frame(ConsensusMessage m) {
        return frame(ConsensusMessageCodec.encode(m));
    }

    RawPeer connectRaw(int n) throws Exception {
        RawPeer raw = RawPeer.connect(a.address(), chainId, Fixtures.key(n));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.p2p.peers().size() == 2);
        return raw;
    }

    int scoreAtA(KeyPair key) {
        return a.p2p.peers().stream().filter(p -> p.id().equals(key.publicKey())).findFirst().orElseThrow().score();
    }

    /** Sends a good message after whatever was sent before and waits for it at c: everything earlier has been handled. */
    void flushThrough(RawPeer raw, List<ConsensusMessage> at) {
        ConsensusMessage sentinel = vote();
        raw.send(frame(sentinel));
        await().atMost(Duration.ofSeconds(10)).until(() -> at.contains(sentinel));
    }

    @Test
    void aLocalMessageReachesEveryNodeOnceAndDoesNotEchoBack() throws Exception {
        ConsensusMessage m = vote();
        a.p2p.broadcastConsensus(m);
        a.p2p.broadcastConsensus(m);
        await().atMost(Duration.ofSeconds(10)).until(() -> atC.contains(m));
        ConsensusMessage later = vote();
        a.p2p.broadcastConsensus(later);
        await().atMost(Duration.ofSeconds(10)).until(() -> atC.contains(later));
        assertThat(atB).containsExactly(m, later);
        assertThat(atC).containsExactly(m, later);
        assertThat(atA).isEmpty();
    }

    @Test
    void aSignedProposalFromAPeerIsDeliveredAndRelayedWithItsBlockIntact() throws Exception {
        Block block = proposedBlock(validator, validator);
        ConsensusMessage proposal = new ConsensusMessage.Proposal(block, 2);
        try (RawPeer raw = connectRaw(601)) {
            raw.send(frame(proposal));
            raw.send(frame(proposal));
            flushThrough(raw, atC);
            assertThat(atA).hasSize(2).first().isEqualTo(proposal);
            assertThat(atC).hasSize(2).first().isEqualTo(proposal);
            assertThat(((ConsensusMessage.Proposal) atC.getFirst()).block().hash()).isEqualTo(block.hash());
            assertThat(scoreAtA(raw.key)).isZero();
        }
    }

    @Test
    void garbageIsPenalisedAndGoesNowhere() throws Exception {
        try (RawPeer raw = connectRaw(602)) {
            raw.send(frame(new byte[] {9, 9, 9}));
            flushThrough(raw, atC);
            assertThat(scoreAtA(raw.key)).isBetween(-Misbehavior.INVALID_CONSENSUS_MESSAGE.penalty, -Misbehavior.INVALID_CONSENSUS_MESSAGE.penalty + 5);
            assertThat(atA).hasSize(1);
            assertThat(atC).hasSize(1);
            raw.send(frame(new byte[0]));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.p2p.bans())
                    .anySatisfy(ban -> assertThat(ban.reason()).contains("INVALID_CONSENSUS_MESSAGE")));
        }
        assertThat(a.height()).isZero();
    }

    @Test
    void aVoteWithABadSignatureIsPenalisedAndNotRelayed() throws Exception {
        RoundVote honest = (RoundVote) ((ConsensusMessage.VoteMessage) vote()).vote();
        ConsensusMessage forged = new ConsensusMessage.VoteMessage(honest.withSignature(Fixtures.key(43).sign(
                VoteCodec.signingMessage(honest, Fixtures.CHAIN_ID))));
        ConsensusMessage otherChain = new ConsensusMessage.VoteMessage(honest.withSignature(validator.sign(
                VoteCodec.signingMessage(honest, Fixtures.CHAIN_ID + 1))));
        try (RawPeer raw = connectRaw(603)) {
            raw.send(frame(forged));
            flushThrough(raw, atC);
            assertThat(scoreAtA(raw.key)).isBetween(-Misbehavior.INVALID_CONSENSUS_MESSAGE.penalty, -Misbehavior.INVALID_CONSENSUS_MESSAGE.penalty + 5);
            raw.send(frame(otherChain));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.p2p.bans())
                    .anySatisfy(ban -> assertThat(ban.reason()).contains("bad signature")));
        }
        assertThat(atA).hasSize(1).doesNotContain(forged, otherChain);
        assertThat(atC).hasSize(1).doesNotContain(forged, otherChain);
    }

    @Test
    void aProposalSignedByAnotherKeyThanItsSealsIsPenalisedAndNotRelayed() throws Exception {
        ConsensusMessage forged = new ConsensusMessage.Proposal(proposedBlock(validator, Fixtures.key(44)), -1);
        try (RawPeer raw = connectRaw(604)) {
            raw.send(frame(forged));
            flushThrough(raw, atC);
            assertThat(scoreAtA(raw.key)).isBetween(-Misbehavior.INVALID_CONSENSUS_MESSAGE.penalty, -Misbehavior.INVALID_CONSENSUS_MESSAGE.penalty + 5);
        }
        assertThat(atA).hasSize(1).doesNotContain(forged);
        assertThat(atC).hasSize(1).doesNotContain(forged);
    }

    @Test
    void aConsensusMessageOverTheLimitGetsThePeerBanned() throws Exception {
        int limit = ConsensusGossip.messageLimit(a.chain.transition().params());
        assertThat(limit + 64).isLessThan(Protocol.messageLimit(a.chain.transition().params(), 0));
        byte[] oversized = new byte[limit + 1];
        oversized[0] = ConsensusMessageCodec.PROPOSAL_TAG;
        try (RawPeer raw = connectRaw(605)) {
            raw.send(frame(oversized));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.p2p.bans())
                    .anySatisfy(ban -> {
                        assertThat(ban.id()).isEqualTo(raw.key.publicKey());
                        assertThat(ban.reason()).contains("OVERSIZED_FRAME").contains("consensus message");
                    }));
        }
        assertThat(atA).isEmpty();
        assertThat(atB).isEmpty();
    }

    @Test
    void aPeerThatConnectsLaterIsSentTheRecentMessagesItMissed() throws Exception {
        ConsensusMessage early = vote();
        a.p2p.broadcastConsensus(early);
        await().atMost(Duration.ofSeconds(10)).until(() -> atC.contains(early));
        TestNode late = TestNode.start(3, genesis, cfg -> cfg.withBootnodes(List.of(c.address())).withPeerLimits(25, 1));
        nodes.add(late);
        List<ConsensusMessage> atLate = new CopyOnWriteArrayList<>();
        late.p2p.consensusListener(atLate::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> atLate.contains(early));
        assertThat(atLate).containsExactly(early);
    }
}
