package io.maaschain.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.VoteCodec;
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
 * On a chain with validators (bft here), a node relays and delivers only consensus messages whose signer is in a
 * validator set of its head; others are dropped before their signature is checked, and a peer that keeps sending them
 * is banned.
 */
class P2pVoteSignerTest {
    final KeyPair validator = Fixtures.key(42);
    final KeyPair outsider = Fixtures.key(43);
    final List<TestNode> nodes = new ArrayList<>();
    final List<ConsensusMessage> atA = new CopyOnWriteArrayList<>();
    final List<ConsensusMessage> atB = new CopyOnWriteArrayList<>();
    TestNode a;
    TestNode b;
    Handshake.ChainIdentity chainId;
    int nextHeight = 1;

    @BeforeEach
    void pair() throws Exception {
        Genesis genesis = GenesisParser.parse("""
                {"chainId": %d, "timestamp": %d, "consensus": %s}""".formatted(Fixtures.CHAIN_ID, TestChain.GENESIS_TIME,
                BftEngine.genesisSection(List.of(validator))));
        a = TestNode.start(0, genesis, cfg -> cfg.withPeerLimits(25, 0));
        b = TestNode.start(1, genesis, cfg -> cfg.withBootnodes(List.of(a.address())).withPeerLimits(25, 1));
        nodes.addAll(List.of(a, b));
        a.p2p.consensusListener(atA::add);
        b.p2p.consensusListener(atB::add);
        chainId = new Handshake.ChainIdentity(Fixtures.CHAIN_ID, a.chain.genesisHash());
        await().atMost(Duration.ofSeconds(10)).until(() -> a.p2p.peers().size() == 1 && b.p2p.peers().size() == 1);
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
    }

    ConsensusMessage vote(KeyPair signer, KeyPair claimed) {
        RoundVote unsigned = new RoundVote(RoundVote.Step.PREVOTE, nextHeight++, 0, Hash.ZERO, claimed.publicKey(), ValidatorSeal.UNSIGNED);
        return new ConsensusMessage.VoteMessage(unsigned.withSignature(signer.sign(VoteCodec.signingMessage(unsigned, Fixtures.CHAIN_ID))));
    }

    int scoreAtA(KeyPair key) {
        return a.p2p.peers().stream().filter(p -> p.id().equals(key.publicKey())).findFirst().orElseThrow().score();
    }

    @Test
    void aVoteFromOutsideTheValidatorSetIsNotRelayedAndRepeatedJunkBansThePeer() throws Exception {
        try (RawPeer raw = RawPeer.connect(a.address(), chainId, Fixtures.key(700))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> a.p2p.peers().size() == 2);
            ConsensusMessage junk = vote(outsider, outsider);
            raw.send(P2pConsensusGossipTest.frame(junk));
            // A forged signature in an outsider's name costs the same small penalty: the signature is never checked.
            raw.send(P2pConsensusGossipTest.frame(vote(validator, outsider)));
            ConsensusMessage good = vote(validator, validator);
            raw.send(P2pConsensusGossipTest.frame(good));
            await().atMost(Duration.ofSeconds(10)).until(() -> atB.contains(good));
            assertThat(atA).containsExactly(good);
            assertThat(atB).containsExactly(good);
            assertThat(scoreAtA(raw.key)).isBetween(-2 * Misbehavior.CONSENSUS_MESSAGE_FROM_NON_VALIDATOR.penalty,
                    -2 * Misbehavior.CONSENSUS_MESSAGE_FROM_NON_VALIDATOR.penalty + 5);
            for (int i = 0; i < 25; i++) raw.send(P2pConsensusGossipTest.frame(vote(outsider, outsider)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.p2p.bans())
                    .anySatisfy(ban -> assertThat(ban.reason()).contains("CONSENSUS_MESSAGE_FROM_NON_VALIDATOR")));
        }
        assertThat(atA).hasSize(1);
        assertThat(atB).hasSize(1);
    }
}
