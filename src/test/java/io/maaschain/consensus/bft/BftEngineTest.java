package io.maaschain.consensus.bft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.consensus.BlockRef;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.SetValidator;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.Permissions;
import io.maaschain.state.WorldState;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BftEngineTest {
    static final long CHAIN = Fixtures.CHAIN_ID;
    static final List<KeyPair> KEYS = List.of(Fixtures.key(100), Fixtures.key(101), Fixtures.key(102), Fixtures.key(103));
    static final KeyPair OUTSIDER = Fixtures.key(200);
    static final KeyPair ADMIN = Fixtures.key(201);
    static final Hash PARENT_OF_ONE = Fixtures.digest("genesis");

    BftEngine engine;
    Map<Bytes, byte[]> genesis;
    ValidatorSet set;

    @BeforeEach
    void setUp() {
        engine = new BftEngine(BftParams.fromGenesis(json(BftEngine.genesisSection(KEYS))), CHAIN);
        genesis = new HashMap<>(engine.genesisState());
        set = BftState.nextValidators(genesis::get);
    }

    static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    KeyPair keyOf(PublicKey k) {
        return KEYS.stream().filter(p -> p.publicKey().equals(k)).findFirst().orElseThrow();
    }

    KeyPair scheduled(long height, int round) {
        return keyOf(ProposerSchedule.proposer(set, height, round));
    }

    static Header signed(KeyPair proposer, long height, Hash parent, long time, int round, List<Vote> votes) {
        Header unsigned = new Header(height, parent, time, Hash.ZERO, Hash.ZERO, proposer.address(), 0,
                BftEngine.unsignedSeal(round, proposer.publicKey(), votes));
        Signature sig = proposer.sign(VoteCodec.signingMessage(HeaderCodec.proposalSignature(unsigned), CHAIN));
        return unsigned.withSeal(((ValidatorSeal) unsigned.seal()).withSignature(sig));
    }

    static RoundVote vote(KeyPair k, RoundVote.Step step, long height, int round, Hash value) {
        RoundVote unsigned = new RoundVote(step, height, round, value, k.publicKey(), ValidatorSeal.UNSIGNED);
        return unsigned.withSignature(k.sign(VoteCodec.signingMessage(unsigned, CHAIN)));
    }

    static void rejects(RejectCode code, Executable call) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.code()).isEqualTo(code));
    }

    /** The state after block 1 by its scheduled proposer, and that block's header. */
    record AfterOne(WorldState state, Header one) {}

    AfterOne afterOne() throws Rejection {
        WorldState state = new WorldState(genesis::get);
        Header one = signed(scheduled(1, 0), 1, PARENT_OF_ONE, 2000, 0, List.of());
        engine.beginBlock(state, one);
        return new AfterOne(new WorldState(state), one);
    }

    List<Vote> precommits(Header parent, int... voters) {
        List<Vote> out = new ArrayList<>();
        for (int i : voters) out.add(vote(KEYS.get(i), RoundVote.Step.PRECOMMIT, parent.height(), 0, parent.hash()));
        return out;
    }

    // ---- seal (stateless) ----

    @Test
    void aProperlySignedSealPassesAndEveryForgeryIsRefused() throws Rejection {
        Header parent = new Header(0, Hash.ZERO, 1000, Hash.ZERO, Hash.ZERO, Address.wrap(new byte[20]), 0, engine.genesisSeal());
        KeyPair p = scheduled(1, 0);
        Header good = signed(p, 1, parent.hash(), 2000, 0, List.of());
        engine.validateSeal(good, h -> parent);

        ValidatorSeal seal = (ValidatorSeal) good.seal();
        Header badSig = good.withSeal(seal.withSignature(OUTSIDER.sign(new byte[] {1})));
        rejects(RejectCode.INVALID_SEAL, () -> engine.validateSeal(badSig, h -> parent));
        Header otherChain = good.withSeal(seal.withSignature(p.sign(VoteCodec.signingMessage(HeaderCodec.proposalSignature(good), CHAIN + 1))));
        rejects(RejectCode.INVALID_SEAL, () -> engine.validateSeal(otherChain, h -> parent));
        Header wrongAddress = new Header(1, parent.hash(), 2000, Hash.ZERO, Hash.ZERO, OUTSIDER.address(), 0, seal);
        rejects(RejectCode.INVALID_SEAL, () -> engine.validateSeal(wrongAddress, h -> parent));
        Header early = signed(p, 1, parent.hash(), 1000, 0, List.of());
        rejects(RejectCode.INVALID_HEADER, () -> engine.validateSeal(early, h -> parent));
        Header withReveal = good.withSeal(new ValidatorSeal(0, p.publicKey(), Fixtures.digest("r"),
                List.of(), seal.signature()));
        rejects(RejectCode.INVALID_SEAL, () -> engine.validateSeal(withReveal, h -> parent));
    }

    // ---- beginBlock ----

    @Test
    void theFirstBlockNeedsItsScheduledProposerAndNoVotes() throws Rejection {
        KeyPair right = scheduled(1, 0);
        KeyPair wrong = KEYS.stream().filter(k -> !k.equals(right)).findFirst().orElseThrow();
        WorldState state = new WorldState(genesis::get);
        rejects(RejectCode.INVALID_SEAL, () -> engine.beginBlock(state, signed(wrong, 1, PARENT_OF_ONE, 2000, 0, List.of())));
        rejects(RejectCode.INVALID_SEAL, () -> engine.beginBlock(state, signed(OUTSIDER, 1, PARENT_OF_ONE, 2000, 0, List.of())));
        Header stray = signed(right, 1, PARENT_OF_ONE, 2000, 0, List.of(vote(KEYS.get(0), RoundVote.Step.PRECOMMIT, 1, 0, Hash.ZERO)));
        rejects(RejectCode.INVALID_SEAL, () -> engine.beginBlock(state, stray));
        assertThat(state.writes()).isEmpty();

        // Round 1 belongs to someone else than round 0.
        assertThat(scheduled(1, 1)).isNotEqualTo(right);
        engine.beginBlock(state, signed(scheduled(1, 1), 1, PARENT_OF_ONE, 2000, 1, List.of()));
        assertThat(BftState.lastValidators(state)).contains(set);
        assertThat(engine.finalizedIn(state)).isEmpty();
    }

    @Test
    void aCommitOfMoreThanTwoThirdsMakesTheParentFinal() throws Rejection {
        AfterOne s = afterOne();
        engine.beginBlock(s.state(), signed(scheduled(2, 0), 2, s.one().hash(), 3000, 0, precommits(s.one(), 0, 1, 3)));
        assertThat(engine.finalizedIn(s.state())).contains(new BlockRef(1, s.one().hash()));
        assertThat(engine.describe(s.state())).containsEntry("finalHeight", 1L).containsEntry("totalPower", 4L);
    }

    @Test
    void badCommitsAreRefusedAndChangeNothing() throws Rejection {
        AfterOne s = afterOne();
        Header one = s.one();
        KeyPair p = scheduled(2, 0);
        List<List<Vote>> bad = new ArrayList<>();
        bad.add(List.of());
        bad.add(precommits(one, 0, 1)); // half the power is not enough
        bad.add(precommits(one, 0, 1, 1)); // one validator counted twice
        List<Vote> foreign = new ArrayList<>(precommits(one, 0, 1));
        foreign.add(vote(OUTSIDER, RoundVote.Step.PRECOMMIT, 1, 0, one.hash()));
        bad.add(foreign);
        List<Vote> forged = new ArrayList<>(precommits(one, 0, 1));
        forged.add(((RoundVote) precommits(one, 2).getFirst()).withSignature(KEYS.get(0).sign(new byte[] {7})));
        bad.add(forged);
        List<Vote> otherBlock = new ArrayList<>(precommits(one, 0, 1));
        otherBlock.add(vote(KEYS.get(2), RoundVote.Step.PRECOMMIT, 1, 0, Fixtures.digest("other")));
        bad.add(otherBlock);
        List<Vote> mixedRounds = new ArrayList<>(precommits(one, 0, 1));
        mixedRounds.add(vote(KEYS.get(2), RoundVote.Step.PRECOMMIT, 1, 1, one.hash()));
        bad.add(mixedRounds);
        List<Vote> prevotes = new ArrayList<>(precommits(one, 0, 1));
        prevotes.add(vote(KEYS.get(2), RoundVote.Step.PREVOTE, 1, 0, one.hash()));
        bad.add(prevotes);
        for (List<Vote> votes : bad) {
            rejects(RejectCode.INVALID_SEAL, () -> engine.beginBlock(s.state(), signed(p, 2, one.hash(), 3000, 0, votes)));
            assertThat(s.state().writes()).isEmpty();
        }
    }

    // ---- SetValidator ----

    Transaction tx(KeyPair from, Payload payload) {
        return new UnsignedTransaction(CHAIN, from.publicKey(), 0, 1, payload).sign(from);
    }

    WorldState permissioned() {
        WorldState s = new WorldState(genesis::get);
        s.put(Permissions.flagKey(), Permissions.present());
        s.put(Permissions.adminKey(ADMIN.address()), Permissions.present());
        return new WorldState(s);
    }

    @Test
    void onlyAnAdminOfAPermissionedChainSetsValidators() throws Rejection {
        WorldState open = new WorldState(genesis::get);
        rejects(RejectCode.NOT_ADMIN, () -> engine.rules().applyPayload(open, tx(ADMIN, new SetValidator(OUTSIDER.publicKey(), 5)), 1));
        WorldState s = permissioned();
        rejects(RejectCode.NOT_ADMIN, () -> engine.rules().applyPayload(s, tx(KEYS.get(0), new SetValidator(OUTSIDER.publicKey(), 5)), 1));
        assertThat(open.writes()).isEmpty();
        assertThat(s.writes()).isEmpty();

        engine.rules().applyPayload(s, tx(ADMIN, new SetValidator(OUTSIDER.publicKey(), 5)), 1);
        engine.rules().applyPayload(s, tx(ADMIN, new SetValidator(KEYS.get(0).publicKey(), 0)), 1);
        ValidatorSet next = BftState.nextValidators(s);
        assertThat(next.power(OUTSIDER.publicKey())).isEqualTo(5);
        assertThat(next.contains(KEYS.get(0).publicKey())).isFalse();
        assertThat(next.totalPower()).isEqualTo(8);
        rejects(RejectCode.NOT_VALIDATOR, () -> engine.rules().applyPayload(s, tx(ADMIN, new SetValidator(KEYS.get(0).publicKey(), 0)), 1));
    }

    @Test
    void theLastValidatorCannotBeRemoved() throws Rejection {
        WorldState s = permissioned();
        for (int i = 0; i < 3; i++) engine.rules().applyPayload(s, tx(ADMIN, new SetValidator(KEYS.get(i).publicKey(), 0)), 1);
        WorldState before = new WorldState(s);
        rejects(RejectCode.INSUFFICIENT_STAKE, () -> engine.rules().applyPayload(before, tx(ADMIN, new SetValidator(KEYS.get(3).publicKey(), 0)), 1));
        assertThat(before.writes()).isEmpty();
        assertThat(BftState.nextValidators(before).size()).isEqualTo(1);
    }

    @Test
    void validatorChangesApplyFromTheNextHeight() throws Rejection {
        // Block 1 adds a heavy validator. Block 2 is proposed by the new set's schedule, but its commit of block 1 is
        // checked against the old set, which voted on block 1: 3 of the old 4 suffice, though they are not 2/3 of the new set.
        WorldState state = permissioned();
        Header one = signed(scheduled(1, 0), 1, PARENT_OF_ONE, 2000, 0, List.of());
        engine.beginBlock(state, one);
        engine.rules().applyPayload(state, tx(ADMIN, new SetValidator(OUTSIDER.publicKey(), 100)), 1);
        ValidatorSet newSet = BftState.nextValidators(state);
        assertThat(newSet.totalPower()).isEqualTo(104);

        PublicKey proposerOfTwo = ProposerSchedule.proposer(newSet, 2, 0);
        KeyPair p2 = proposerOfTwo.equals(OUTSIDER.publicKey()) ? OUTSIDER : keyOf(proposerOfTwo);
        WorldState afterTwo = new WorldState(state);
        engine.beginBlock(afterTwo, signed(p2, 2, one.hash(), 3000, 0, precommits(one, 0, 1, 2)));
        assertThat(engine.finalizedIn(afterTwo)).contains(new BlockRef(1, one.hash()));
        assertThat(BftState.lastValidators(afterTwo)).contains(newSet);
    }

    // ---- Evidence ----

    static Evidence evidence(Vote a, Vote b) {
        return new Evidence(VoteCodec.encode(a), VoteCodec.encode(b));
    }

    @Test
    void evidenceOfADoubleVoteRemovesTheValidatorOnce() throws Rejection {
        KeyPair bad = KEYS.get(2);
        Evidence e = evidence(vote(bad, RoundVote.Step.PREVOTE, 5, 1, Fixtures.digest("a")), vote(bad, RoundVote.Step.PREVOTE, 5, 1, Fixtures.digest("b")));
        WorldState s = new WorldState(genesis::get);
        engine.rules().applyPayload(s, tx(OUTSIDER, e), 7);
        assertThat(BftState.nextValidators(s).contains(bad.publicKey())).isFalse();
        assertThat(BftState.nextValidators(s).size()).isEqualTo(3);

        WorldState again = new WorldState(s);
        rejects(RejectCode.DUPLICATE, () -> engine.rules().applyPayload(again, tx(OUTSIDER, e), 8));
        Evidence swapped = new Evidence(e.second(), e.first());
        rejects(RejectCode.DUPLICATE, () -> engine.rules().applyPayload(again, tx(OUTSIDER, swapped), 8));
        Evidence other = evidence(vote(bad, RoundVote.Step.PRECOMMIT, 6, 0, Fixtures.digest("a")), vote(bad, RoundVote.Step.PRECOMMIT, 6, 0, RoundVote.NIL));
        rejects(RejectCode.NOT_VALIDATOR, () -> engine.rules().applyPayload(again, tx(OUTSIDER, other), 8));
        assertThat(again.writes()).isEmpty();
    }

    @Test
    void evidenceOfADoubleProposalRemovesTheProposer() throws Rejection {
        KeyPair bad = KEYS.get(1);
        Header a = signed(bad, 3, Fixtures.digest("p"), 5000, 2, List.of());
        Header b = signed(bad, 3, Fixtures.digest("p"), 5001, 2, List.of());
        WorldState s = new WorldState(genesis::get);
        engine.rules().applyPayload(s, tx(OUTSIDER, evidence(HeaderCodec.proposalSignature(a), HeaderCodec.proposalSignature(b))), 7);
        assertThat(BftState.nextValidators(s).contains(bad.publicKey())).isFalse();
    }

    @Test
    void forgedOrMismatchedEvidenceIsRefusedAndChangesNothing() {
        KeyPair bad = KEYS.get(2);
        RoundVote a = vote(bad, RoundVote.Step.PREVOTE, 5, 1, Fixtures.digest("a"));
        RoundVote b = vote(bad, RoundVote.Step.PREVOTE, 5, 1, Fixtures.digest("b"));
        RoundVote forgedB = b.withSignature(KEYS.get(0).sign(VoteCodec.signingMessage(b, CHAIN)));
        RoundVote otherChainB = b.withSignature(bad.sign(VoteCodec.signingMessage(b, CHAIN + 1)));
        RoundVote otherRound = vote(bad, RoundVote.Step.PREVOTE, 5, 2, Fixtures.digest("b"));
        RoundVote otherValidator = vote(KEYS.get(3), RoundVote.Step.PREVOTE, 5, 1, Fixtures.digest("b"));
        CheckpointVote c1 = (CheckpointVote) signedCheckpoint(bad, 1, 3);
        CheckpointVote c2 = (CheckpointVote) signedCheckpoint(bad, 2, 3);
        ProposalSignature p = HeaderCodec.proposalSignature(signed(bad, 5, Hash.ZERO, 1, 1, List.of()));
        List<Evidence> forgeries = List.of(
                evidence(a, forgedB), evidence(a, otherChainB), evidence(a, a), evidence(a, otherRound), evidence(a, otherValidator),
                evidence(c1, c2), evidence(a, p), new Evidence(new byte[] {2, 0}, VoteCodec.encode(b)),
                evidence(vote(OUTSIDER, RoundVote.Step.PREVOTE, 5, 1, Hash.ZERO), vote(OUTSIDER, RoundVote.Step.PREVOTE, 5, 1, Fixtures.digest("x"))));
        for (Evidence e : forgeries) {
            WorldState s = new WorldState(genesis::get);
            assertThatThrownBy(() -> engine.rules().applyPayload(s, tx(OUTSIDER, e), 7)).isInstanceOfSatisfying(Rejection.class,
                    r -> assertThat(r.code()).isIn(RejectCode.INVALID_EVIDENCE, RejectCode.NOT_VALIDATOR));
            assertThat(s.writes()).isEmpty();
        }
    }

    private static Vote signedCheckpoint(KeyPair k, long source, long target) {
        CheckpointVote u = new CheckpointVote(source, Hash.ZERO, target, Fixtures.digest("t" + source), k.publicKey(), ValidatorSeal.UNSIGNED);
        return u.withSignature(k.sign(VoteCodec.signingMessage(u, CHAIN)));
    }

    @Test
    void otherEnginesPayloadsAreUnsupported() {
        WorldState s = new WorldState(genesis::get);
        rejects(RejectCode.UNSUPPORTED_PAYLOAD, () -> engine.rules().applyPayload(s, tx(OUTSIDER, new Stake(5, Hash.ZERO)), 1));
    }
}
