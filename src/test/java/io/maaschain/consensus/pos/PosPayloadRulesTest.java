package io.maaschain.consensus.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Unstake;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.Account;
import io.maaschain.state.WorldState;
import io.maaschain.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PosPayloadRulesTest {
    private final PosTestKit kit = PosTestKit.equal(4);

    private static Transaction tx(KeyPair from, Payload p) {
        return new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), 0, 1, p).sign(from);
    }

    private void apply(PosTestKit.Branch b, KeyPair from, Payload p) throws Rejection {
        WorldState ws = b.state();
        kit.engine.rules().applyPayload(ws, tx(from, p), b.height + 1);
        ws.writes().forEach((k, v) -> {
            if (v == null) b.data.remove(k);
            else b.data.put(k, v);
        });
    }

    private void rejects(PosTestKit.Branch b, KeyPair from, Payload p, RejectCode code) {
        Map<Bytes, byte[]> before = new HashMap<>(b.data);
        assertThatThrownBy(() -> apply(b, from, p)).isInstanceOf(Rejection.class).extracting(e -> ((Rejection) e).code()).isEqualTo(code);
        assertThat(b.data.keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(b.data.get(k)).isEqualTo(v));
    }

    private static <T extends Vote> T signed(KeyPair k, T unsigned) {
        @SuppressWarnings("unchecked")
        T v = (T) unsigned.withSignature(k.sign(VoteCodec.signingMessage(unsigned, Fixtures.CHAIN_ID)));
        return v;
    }

    private void runUntilSlot(PosTestKit.Branch b, long lastSlot) throws Rejection {
        for (long s = b.lastSlot() + 1; s <= lastSlot; s++) b.extend(s);
    }

    @Test
    void stakeJoinsTheValidatorSetAtTheSecondEpochBoundary() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        KeyPair newcomer = Fixtures.key(7);
        RandaoOnion onion = RandaoOnion.forKey(newcomer, PosTestKit.DEPTH);
        runUntilSlot(b, 2);
        apply(b, newcomer, new Stake(50_000, onion.commitment()));
        assertThat(Bonds.get(b.state(), newcomer.address())).hasValueSatisfying(bond -> assertThat(bond.bonded()).isEqualTo(50_000));
        assertThat(kit.engine.isValidator(b.state(), newcomer.publicKey())).isFalse();
        runUntilSlot(b, 4); // first block of epoch 1 snapshots the set of epoch 2
        EpochSets sets = PosState.sets(b.state());
        assertThat(sets.current().member(newcomer.address())).isEmpty();
        assertThat(sets.next().member(newcomer.address())).hasValueSatisfying(m -> assertThat(m.stake()).isEqualTo(50_000));
        assertThat(sets.next().votingTotal()).isEqualTo(450_000);
        // A second stake must repeat the recorded commitment.
        rejects(b, newcomer, new Stake(1, Fixtures.digest("another onion")), RejectCode.MALFORMED);
        apply(b, newcomer, new Stake(1, onion.commitment()));
    }

    @Test
    void aBondBelowTheMinimumIsRefusedWhenWrittenAndUnstakingLeavesZeroOrTheMinimum() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        KeyPair small = Fixtures.key(8);
        Hash commitment = RandaoOnion.forKey(small, 4).commitment();
        rejects(b, small, new Stake(PosTestKit.MIN_STAKE - 1, commitment), RejectCode.INSUFFICIENT_STAKE);
        assertThat(Bonds.get(b.state(), small.address())).isEmpty();
        apply(b, small, new Stake(PosTestKit.MIN_STAKE, commitment));
        apply(b, small, new Stake(1, commitment)); // a top-up of a bond at the minimum may be any amount
        rejects(b, small, new Unstake(2), RejectCode.INSUFFICIENT_STAKE); // would leave MIN_STAKE - 1
        apply(b, small, new Unstake(1));
        apply(b, small, new Unstake(PosTestKit.MIN_STAKE)); // all of it
        assertThat(Bonds.bonded(b.state())).doesNotContain(small.address());
        runUntilSlot(b, 4);
        assertThat(PosState.sets(b.state()).next().member(small.address())).isEmpty();
    }

    @Test
    void unstakeLeavesTheSetAndReleasesAfterTheUnbondingPeriod() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        KeyPair v = kit.keys.getFirst();
        runUntilSlot(b, 1);
        rejects(b, v, new Unstake(100_001), RejectCode.INSUFFICIENT_STAKE);
        rejects(b, Fixtures.key(9), new Unstake(1), RejectCode.INSUFFICIENT_STAKE);
        long unstakeHeight = b.height + 1;
        apply(b, v, new Unstake(100_000));
        Bond bond = Bonds.get(b.state(), v.address()).orElseThrow();
        assertThat(bond.bonded()).isZero();
        assertThat(bond.unbonding()).isEqualTo(100_000);
        long release = kit.params.releaseHeight(unstakeHeight);
        assertThat(release).isEqualTo(unstakeHeight + (2 + 2) * 4);
        runUntilSlot(b, 4);
        assertThat(PosState.sets(b.state()).current().member(v.address())).as("still votes this epoch").isPresent();
        assertThat(PosState.sets(b.state()).next().member(v.address())).isEmpty();
        long balance = b.state().account(v.address()).balance();
        while (b.height + 1 < release) b.extend(b.lastSlot() + 1);
        assertThat(b.state().account(v.address()).balance()).isEqualTo(balance);
        assertThat(Bonds.get(b.state(), v.address()).orElseThrow().unbonding()).isEqualTo(100_000);
        b.extend(b.lastSlot() + 1);
        assertThat(b.state().account(v.address()).balance() - balance).isEqualTo(100_000);
        assertThat(Bonds.get(b.state(), v.address()).orElseThrow().unbonding()).isZero();
    }

    private void assertSlashed(PosTestKit.Branch b, KeyPair offender) {
        Bond bond = Bonds.get(b.state(), offender.address()).orElseThrow();
        assertThat(bond.slashed()).isTrue();
        assertThat(bond.bonded() + bond.unbonding()).isZero();
        EpochSets sets = PosState.sets(b.state());
        for (ValidatorSet s : List.of(sets.older(), sets.previous(), sets.current(), sets.next())) assertThat(s.member(offender.address())).isEmpty();
        assertThat(kit.engine.isValidator(b.state(), offender.publicKey())).isFalse();
    }

    @Test
    void evidenceOfADoubleProposalBurnsTheStake() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        KeyPair offender = kit.keys.get(2);
        ProposalSignature one = signed(offender, new ProposalSignature(5, 9, Fixtures.digest("a"), offender.publicKey(), ValidatorSeal.UNSIGNED));
        ProposalSignature two = signed(offender, new ProposalSignature(5, 9, Fixtures.digest("b"), offender.publicKey(), ValidatorSeal.UNSIGNED));
        long balance = b.state().account(offender.address()).balance();
        apply(b, kit.keys.getFirst(), EvidenceCheck.of(one, two));
        assertSlashed(b, offender);
        assertThat(b.state().account(offender.address()).balance()).as("the stake is burned, not returned").isEqualTo(balance);
        // Replayed: nothing left to slash.
        rejects(b, kit.keys.getFirst(), EvidenceCheck.of(two, one), RejectCode.INVALID_EVIDENCE);
        // A slashed account may not stake again.
        rejects(b, offender, new Stake(1, kit.onions.get(offender.address()).commitment()), RejectCode.NOT_VALIDATOR);
        // The slashed validator no longer proposes.
        for (long s = 1; s < 40; s++) assertThat(kit.engine.proposerAt(b.state(), s)).isNotEqualTo(java.util.Optional.of(offender.publicKey()));
    }

    @Test
    void evidenceOfADoubleVoteBurnsTheStake() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        KeyPair offender = kit.keys.get(1);
        CheckpointVote x = kit.sign(offender, 0, Fixtures.digest("g"), 3, Fixtures.digest("t1"), Fixtures.CHAIN_ID);
        CheckpointVote y = kit.sign(offender, 1, Fixtures.digest("s"), 3, Fixtures.digest("t2"), Fixtures.CHAIN_ID);
        apply(b, kit.keys.getFirst(), EvidenceCheck.of(x, y));
        assertSlashed(b, offender);
    }

    @Test
    void evidenceOfASurroundVoteBurnsTheStake() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        KeyPair offender = kit.keys.get(3);
        CheckpointVote outer = kit.sign(offender, 1, Fixtures.digest("s1"), 5, Fixtures.digest("t5"), Fixtures.CHAIN_ID);
        CheckpointVote inner = kit.sign(offender, 2, Fixtures.digest("s2"), 4, Fixtures.digest("t4"), Fixtures.CHAIN_ID);
        apply(b, kit.keys.getFirst(), EvidenceCheck.of(outer, inner));
        assertSlashed(b, offender);
    }

    @Test
    void evidenceThatProvesNothingIsRejected() {
        PosTestKit.Branch b = kit.genesis();
        KeyPair v = kit.keys.get(1);
        CheckpointVote a = kit.sign(v, 0, Fixtures.digest("g"), 1, Fixtures.digest("t1"), Fixtures.CHAIN_ID);
        CheckpointVote later = kit.sign(v, 1, Fixtures.digest("t1"), 2, Fixtures.digest("t2"), Fixtures.CHAIN_ID);
        rejects(b, kit.keys.getFirst(), EvidenceCheck.of(a, later), RejectCode.INVALID_EVIDENCE);
        // Same conflict, but signed for another chain.
        CheckpointVote c1 = kit.sign(v, 0, Fixtures.digest("g"), 3, Fixtures.digest("t1"), Fixtures.CHAIN_ID + 1);
        CheckpointVote c2 = kit.sign(v, 0, Fixtures.digest("g"), 3, Fixtures.digest("t2"), Fixtures.CHAIN_ID + 1);
        rejects(b, kit.keys.getFirst(), EvidenceCheck.of(c1, c2), RejectCode.INVALID_EVIDENCE);
        // Forged: the second statement's signature is someone else's.
        CheckpointVote d2 = kit.sign(v, 0, Fixtures.digest("g"), 1, Fixtures.digest("t2"), Fixtures.CHAIN_ID);
        rejects(b, kit.keys.getFirst(), EvidenceCheck.of(a, d2.withSignature(kit.keys.get(2).sign(new byte[] {7}))), RejectCode.INVALID_EVIDENCE);
        // Malformed bytes.
        rejects(b, kit.keys.getFirst(), new Evidence(new byte[] {1, 2, 3}, new byte[] {4}), RejectCode.INVALID_EVIDENCE);
        // Round votes are bft statements.
        RoundVote r1 = signed(v, new RoundVote(RoundVote.Step.PREVOTE, 3, 0, Fixtures.digest("x"), v.publicKey(), ValidatorSeal.UNSIGNED));
        RoundVote r2 = signed(v, new RoundVote(RoundVote.Step.PREVOTE, 3, 0, Fixtures.digest("y"), v.publicKey(), ValidatorSeal.UNSIGNED));
        rejects(b, kit.keys.getFirst(), EvidenceCheck.of(r1, r2), RejectCode.INVALID_EVIDENCE);
        // Conflicting statements of someone who never bonded.
        KeyPair s = Fixtures.key(55);
        rejects(b, kit.keys.getFirst(), EvidenceCheck.of(kit.sign(s, 0, Hash.ZERO, 1, Fixtures.digest("p"), Fixtures.CHAIN_ID),
                kit.sign(s, 0, Hash.ZERO, 1, Fixtures.digest("q"), Fixtures.CHAIN_ID)), RejectCode.INVALID_EVIDENCE);
    }

    @Test
    void otherConsensusPayloadsAreUnsupported() {
        rejects(kit.genesis(), kit.keys.getFirst(), new RegisterProducer("http://x"), RejectCode.UNSUPPORTED_PAYLOAD);
    }

    @Test
    void genesisBondsAreTheValidators() {
        PosTestKit.Branch b = kit.genesis();
        for (KeyPair k : kit.keys) {
            assertThat(Bonds.get(b.state(), k.address())).hasValueSatisfying(bond -> assertThat(bond.revealCommitment())
                    .isEqualTo(kit.onions.get(k.address()).commitment()));
            assertThat(kit.engine.isValidator(b.state(), k.publicKey())).isTrue();
        }
        assertThat(b.state().account(kit.keys.getFirst().address())).isEqualTo(Account.EMPTY);
        assertThat(kit.engine.finalizedIn(b.state())).isEmpty();
        assertThat(kit.engine.describe(b.state())).containsEntry("epoch", 0L).containsEntry("totalStake", 400_000L);
    }
}
