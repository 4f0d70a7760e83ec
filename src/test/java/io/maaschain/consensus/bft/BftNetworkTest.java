package io.maaschain.consensus.bft;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.testing.Fixtures;
import org.junit.jupiter.api.Test;

class BftNetworkTest {
    @Test
    void fourValidatorsCommitBlocksThatCarryTheirParentsCommit() {
        BftTestNet net = new BftTestNet(4);
        net.start();
        net.runUntil(net.now + 60_000, () -> net.minHeight() >= 10);

        assertThat(net.minHeight()).isGreaterThanOrEqualTo(10);
        net.assertAgreement();
        for (BftTestNet.Node n : net.nodes) {
            // Each commit is final at once locally, and on chain one block later (the child's seal proves it).
            assertThat(n.chain.finalized().height()).isGreaterThanOrEqualTo(n.chain.head().height() - 1);
            Block b5 = n.chain.index().block(n.hashAt(5));
            ValidatorSeal seal = (ValidatorSeal) b5.header().seal();
            assertThat(seal.votes()).allSatisfy(v -> assertThat(((RoundVote) v).blockHash()).isEqualTo(n.hashAt(4)));
            assertThat(BftState.finalBlock(n.chain.headState()).orElseThrow().height()).isEqualTo(n.chain.head().height() - 1);
        }
        // Nothing timed out: every height was decided in round 0, by its scheduled proposer.
        BftTestNet.Node n0 = net.nodes.getFirst();
        for (long h = 1; h <= 10; h++) {
            ValidatorSeal seal = (ValidatorSeal) n0.chain.index().block(n0.hashAt(h)).header().seal();
            assertThat(seal.slot()).isZero();
        }
    }

    @Test
    void oneSilentValidatorDoesNotStopTheOtherThree() {
        BftTestNet net = new BftTestNet(4);
        net.silent.add(2);
        net.start();
        net.runUntil(net.now + 120_000, () -> net.minHeight() >= 12);

        assertThat(net.minHeight()).isGreaterThanOrEqualTo(12);
        net.assertAgreement();
        // The silent validator's turns went to the next round's proposer.
        BftTestNet.Node n0 = net.nodes.getFirst();
        boolean someRoundSkipped = false;
        for (long h = 1; h <= 12; h++) {
            ValidatorSeal seal = (ValidatorSeal) n0.chain.index().block(n0.hashAt(h)).header().seal();
            assertThat(seal.proposerKey()).isNotEqualTo(net.keys.get(2).publicKey());
            someRoundSkipped |= seal.slot() > 0;
        }
        assertThat(someRoundSkipped).isTrue();
    }

    @Test
    void twoSilentValidatorsHaltTheChainWithoutForking() {
        BftTestNet net = new BftTestNet(4);
        net.silent.add(1);
        net.silent.add(3);
        net.start();
        net.runUntil(net.now + 30_000, () -> false);

        assertThat(net.minHeight()).isZero();
        net.assertAgreement();
        // Two of four prevoted nil after the propose timeout; without +2/3 of any prevotes no further timeout applies.
        BftProtocol p0 = net.nodes.getFirst().protocol;
        assertThat(p0.height()).isEqualTo(1);
        assertThat(p0.step()).isEqualTo(BftProtocol.Step.PREVOTE);
    }

    @Test
    void votesLostInAPartitionAreResentOnceItHeals() {
        BftTestNet net = new BftTestNet(4);
        net.start();
        net.runUntil(net.now + 30_000, () -> net.minHeight() >= 3);
        // Split 2|2: no side has a quorum, and every message sent meanwhile is lost.
        net.isolated.addAll(java.util.List.of(2, 3));
        long heightAtSplit = net.nodes.stream().mapToLong(n -> n.chain.head().height()).max().orElseThrow();
        net.runUntil(net.now + 3_000, () -> false);
        assertThat(net.nodes.stream().mapToLong(n -> n.chain.head().height()).max().orElseThrow()).isLessThanOrEqualTo(heightAtSplit + 1);

        // Healed: nobody has anything new to say in its current step, so only re-gossip can bring the lost votes back.
        net.isolated.clear();
        long healedAt = net.now;
        net.runUntil(net.now + 30_000, () -> net.minHeight() >= heightAtSplit + 3);
        assertThat(net.minHeight()).isGreaterThanOrEqualTo(heightAtSplit + 3);
        assertThat(net.now - healedAt).isLessThan(15_000);
        net.assertAgreement();
    }

    @Test
    void aValidatorRestartedMidHeightCatchesUpAndTheNetworkResumes() {
        BftTestNet net = new BftTestNet(4);
        net.start();
        net.runUntil(net.now + 30_000, () -> net.minHeight() >= 3);
        // Two validators stop: the other two cannot commit and sit in some round of the next height.
        net.silent.addAll(java.util.List.of(2, 3));
        long stuckHeight = net.nodes.get(0).protocol.height();
        net.runUntil(net.now + 4_000, () -> false);
        assertThat(net.nodes.get(0).protocol.height()).isEqualTo(stuckHeight);

        // One comes back with a fresh protocol on its stored chain and signing history: 3 of 4 must go on.
        net.restart(3);
        net.runUntil(net.now + 60_000, () -> net.minHeight() >= stuckHeight + 2);
        assertThat(net.minHeight()).isGreaterThanOrEqualTo(stuckHeight + 2);
        net.assertAgreement();
    }

    /** The defect of issue 10: the head's commit lived only in memory, so after every validator restarted nobody could propose. */
    @Test
    void everyValidatorRestartedAfterACommitTheChainGoesOn() {
        BftTestNet net = new BftTestNet(4);
        net.start();
        net.runUntil(net.now + 30_000, () -> net.minHeight() >= 3);
        net.silent.addAll(java.util.List.of(0, 1, 2, 3));
        long height = net.nodes.stream().mapToLong(n -> n.chain.head().height()).max().orElseThrow();
        for (int i = 0; i < 4; i++) net.restart(i);
        net.runUntil(net.now + 60_000, () -> net.minHeight() >= height + 3);
        assertThat(net.minHeight()).isGreaterThanOrEqualTo(height + 3);
        net.assertAgreement();
        for (var n : net.nodes) assertThat(n.driver.halted()).isEmpty();
    }

    /** Every validator restarted in the middle of a height, after some of them voted: they meet again and go on. */
    @Test
    void everyValidatorRestartedMidHeightTheChainGoesOn() {
        BftTestNet net = new BftTestNet(4);
        net.start();
        net.runUntil(net.now + 30_000, () -> net.minHeight() >= 3);
        long height = net.nodes.get(0).protocol.height();
        // Run until some validator has voted in the new height, then stop them all at that instant.
        net.runUntil(net.now + 30_000, () -> net.nodes.stream().anyMatch(n -> n.protocol.height() == height && n.protocol.step() != BftProtocol.Step.PROPOSE));
        net.silent.addAll(java.util.List.of(0, 1, 2, 3));
        for (int i = 0; i < 4; i++) net.restart(i);
        net.runUntil(net.now + 60_000, () -> net.minHeight() >= height + 2);
        assertThat(net.minHeight()).isGreaterThanOrEqualTo(height + 2);
        net.assertAgreement();
    }

    @Test
    void anEquivocatingValidatorIsRemovedThroughItsEvidence() {
        BftTestNet net = new BftTestNet(4);
        net.silent.add(3);
        net.start();
        net.runUntil(net.now + 60_000, () -> net.minHeight() >= 3);
        KeyPair byzantine = net.keys.get(3);
        long height = net.nodes.getFirst().protocol.height();
        net.send(-1, new ConsensusMessage.VoteMessage(prevote(byzantine, height, Hash.ZERO)), null);
        net.send(-1, new ConsensusMessage.VoteMessage(prevote(byzantine, height, Fixtures.digest("another"))), null);

        net.runUntil(net.now + 60_000, () -> net.live().stream()
                .allMatch(n -> !BftState.nextValidators(n.chain.headState()).contains(byzantine.publicKey())));

        for (BftTestNet.Node n : net.live()) {
            ValidatorSet set = BftState.nextValidators(n.chain.headState());
            assertThat(set.size()).isEqualTo(3);
            assertThat(set.contains(byzantine.publicKey())).isFalse();
        }
        long removedAt = net.minHeight();
        net.runUntil(net.now + 60_000, () -> net.minHeight() >= removedAt + 5);
        assertThat(net.minHeight()).isGreaterThanOrEqualTo(removedAt + 5);
        net.assertAgreement();
        // Exactly one evidence transaction made it (the others' copies are refused as duplicates or for a removed validator).
        BftTestNet.Node n0 = net.nodes.getFirst();
        long evidence = 0;
        for (long h = 1; h <= n0.chain.head().height(); h++) {
            evidence += n0.chain.index().block(n0.hashAt(h)).transactions().stream().filter(tx -> tx.payload() instanceof Evidence).count();
        }
        assertThat(evidence).isEqualTo(1);
    }

    private static RoundVote prevote(KeyPair key, long height, Hash value) {
        RoundVote unsigned = new RoundVote(RoundVote.Step.PREVOTE, height, 0, value, key.publicKey(), ValidatorSeal.UNSIGNED);
        return unsigned.withSignature(key.sign(VoteCodec.signingMessage(unsigned, Fixtures.CHAIN_ID)));
    }
}
