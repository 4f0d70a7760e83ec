package io.maaschain.consensus.bft;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Bytes;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.consensus.protocol.ProtocolStateStore;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import io.maaschain.testing.Fixtures;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One protocol instance fed by hand: the upon-rules one at a time, against a chain that accepts any block not marked invalid. */
class BftProtocolTest {
    static final List<KeyPair> KEYS = BftEngineTest.KEYS;
    static final long T0 = 1_000_000;
    final BftEngine engine = new BftEngine(BftParams.fromGenesis(BftEngineTest.json(BftEngine.genesisSection(KEYS))), Fixtures.CHAIN_ID);
    final BftParams params = engine.params();
    final ValidatorSet set = params.validators();
    final FakeChain chain = new FakeChain();

    final class FakeChain implements ChainView {
        Header head = new Header(0, Hash.ZERO, 1000, Hash.ZERO, Hash.ZERO, Address.wrap(new byte[20]), 0, engine.genesisSeal());
        Map<Bytes, byte[]> state = new HashMap<>(engine.genesisState());
        final Set<Hash> invalid = new HashSet<>();
        final Map<Hash, List<Vote>> commits = new HashMap<>();
        final ProtocolStateStore protocolState = new ProtocolStateStore.InMemory();

        @Override public List<Vote> storedCommit(Hash block) { return commits.getOrDefault(block, List.of()); }
        @Override public ProtocolStateStore protocolState() { return protocolState; }

        @Override public long chainId() { return Fixtures.CHAIN_ID; }
        @Override public Hash headHash() { return head.hash(); }
        @Override public Header head() { return head; }
        @Override public StateReader headState() { return state::get; }
        @Override public BlockRef finalized() { return new BlockRef(0, head.hash()); }
        @Override public Optional<Header> header(Hash hash) { return Optional.empty(); }
        @Override public HeaderAncestry ancestry(Hash tip, long tipHeight) { return h -> head; }

        @Override
        public void check(Block block) throws Rejection {
            if (invalid.contains(block.hash())) throw new Rejection(RejectCode.INVALID_BODY, "marked invalid by the test");
        }

        /** Moves the head to {@code block} as executing it would (the engine's bookkeeping only). */
        void extend(Block block) throws Rejection {
            WorldState s = new WorldState(headState());
            engine.beginBlock(s, block.header());
            s.writes().forEach((k, v) -> state.put(k, v));
            head = block.header();
        }
    }

    KeyPair proposer(long height, int round) {
        PublicKey k = ProposerSchedule.proposer(set, height, round);
        return KEYS.stream().filter(p -> p.publicKey().equals(k)).findFirst().orElseThrow();
    }

    /** A validator that proposes neither round 0 nor round 1 of height 1. */
    KeyPair bystander() {
        return KEYS.stream().filter(k -> !k.equals(proposer(1, 0)) && !k.equals(proposer(1, 1))).findFirst().orElseThrow();
    }

    KeyPair other(KeyPair... not) {
        return KEYS.stream().filter(k -> !List.of(not).contains(k)).findFirst().orElseThrow();
    }

    Block block(long height, int round, String salt) {
        Header h = BftEngineTest.signed(proposer(height, round), height, chain.headHash(), chain.head.timestampMillis() + 1 + salt.length(), round,
                List.of());
        return new Block(h, List.of());
    }

    BftProtocol started(KeyPair self) {
        return started(self, new GuardedSigner.InMemory(), T0);
    }

    /** A protocol started at {@code t0} with {@code history} as its slashing protection (kept across a simulated restart). */
    BftProtocol started(KeyPair self, GuardedSigner.InMemory history, long t0) {
        BftProtocol p = new BftProtocol(chain, self == null ? null : new GuardedSigner(self, Fixtures.CHAIN_ID, history), params);
        p.start(t0);
        p.onTick(t0 + params.timeoutCommitMillis());
        return p;
    }

    static ConsensusMessage vote(KeyPair k, RoundVote.Step step, long height, int round, Hash value) {
        return new ConsensusMessage.VoteMessage(BftEngineTest.vote(k, step, height, round, value));
    }

    static List<RoundVote> ownVotes(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Action.Broadcast b && b.message() instanceof ConsensusMessage.VoteMessage)
                .map(a -> (RoundVote) ((ConsensusMessage.VoteMessage) ((Action.Broadcast) a).message()).vote()).toList();
    }

    @Test
    void aLockedValidatorPrevotesNilForAnotherBlockButRePrevotesItsLock() {
        KeyPair self = bystander();
        BftProtocol p = started(self);
        long t = T0 + params.timeoutCommitMillis();
        Block a = block(1, 0, "a");
        assertThat(ownVotes(p.onMessage(new ConsensusMessage.Proposal(a, -1), t))).singleElement()
                .satisfies(v -> assertThat(v.blockHash()).isEqualTo(a.hash()));

        // A polka for A: this validator precommits A and locks on it.
        KeyPair x = other(self);
        KeyPair y = other(self, x);
        p.onMessage(vote(x, RoundVote.Step.PREVOTE, 1, 0, a.hash()), t);
        List<RoundVote> precommit = ownVotes(p.onMessage(vote(y, RoundVote.Step.PREVOTE, 1, 0, a.hash()), t));
        assertThat(precommit).singleElement().satisfies(v -> {
            assertThat(v.step()).isEqualTo(RoundVote.Step.PRECOMMIT);
            assertThat(v.blockHash()).isEqualTo(a.hash());
        });
        assertThat(p.describe()).contains("locked " + a.hash().toHex().substring(0, 8) + "@0");

        // The others precommit nil: +2/3 precommits of any kind, the precommit timeout, round 1.
        p.onMessage(vote(x, RoundVote.Step.PRECOMMIT, 1, 0, RoundVote.NIL), t);
        p.onMessage(vote(y, RoundVote.Step.PRECOMMIT, 1, 0, RoundVote.NIL), t);
        t += params.timeout(params.timeoutPrecommitMillis(), 0);
        p.onTick(t);
        assertThat(p.round()).isEqualTo(1);

        Block b = block(1, 1, "bb");
        assertThat(ownVotes(p.onMessage(new ConsensusMessage.Proposal(b, -1), t))).singleElement()
                .satisfies(v -> assertThat(v.blockHash()).isEqualTo(RoundVote.NIL));

        // Prevotes of round 2 from more than a third of the power: skip to round 2, where A is re-proposed with its polka.
        // (If this validator proposes round 2 itself, it re-proposes A, its valid value, as soon as it enters the round.)
        List<Action> round2 = new java.util.ArrayList<>(p.onMessage(vote(x, RoundVote.Step.PREVOTE, 1, 2, RoundVote.NIL), t));
        round2.addAll(p.onMessage(vote(y, RoundVote.Step.PREVOTE, 1, 2, RoundVote.NIL), t));
        assertThat(p.round()).isEqualTo(2);
        round2.addAll(p.onMessage(new ConsensusMessage.Proposal(a, 0), t));
        assertThat(ownVotes(round2)).singleElement().satisfies(v -> {
            assertThat(v.round()).isEqualTo(2);
            assertThat(v.blockHash()).isEqualTo(a.hash());
        });
    }

    @Test
    void anInvalidProposalGetsANilPrevote() {
        BftProtocol p = started(bystander());
        Block a = block(1, 0, "a");
        chain.invalid.add(a.hash());
        assertThat(ownVotes(p.onMessage(new ConsensusMessage.Proposal(a, -1), T0 + 500))).singleElement()
                .satisfies(v -> assertThat(v.isNil()).isTrue());
    }

    @Test
    void proposalsFromTheWrongProposerOrWithBadSignaturesAreIgnored() {
        BftProtocol p = started(bystander());
        Block a = block(1, 0, "a");
        Header h = a.header();
        ValidatorSeal seal = (ValidatorSeal) h.seal();
        Block forged = new Block(h.withSeal(seal.withSignature(KEYS.getFirst().sign(new byte[] {1}))), List.of());
        KeyPair wrong = other(proposer(1, 0));
        Block wrongProposer = new Block(BftEngineTest.signed(wrong, 1, chain.headHash(), 2000, 0, List.of()), List.of());
        assertThat(p.onMessage(new ConsensusMessage.Proposal(forged, -1), T0 + 500)).noneMatch(x -> x instanceof Action.Broadcast);
        assertThat(p.onMessage(new ConsensusMessage.Proposal(wrongProposer, -1), T0 + 500)).noneMatch(x -> x instanceof Action.Broadcast);
        assertThat(p.step()).isEqualTo(BftProtocol.Step.PROPOSE);
    }

    @Test
    void aFollowerWithoutASignerCommitsButNeverVotes() {
        BftProtocol p = started(null);
        Block a = block(1, 0, "a");
        long t = T0 + 500;
        List<Action> actions = new java.util.ArrayList<>(p.onMessage(new ConsensusMessage.Proposal(a, -1), t));
        for (int i = 0; i < 3; i++) actions.addAll(p.onMessage(vote(KEYS.get(i), RoundVote.Step.PRECOMMIT, 1, 0, a.hash()), t));
        assertThat(actions).noneMatch(x -> x instanceof Action.Broadcast);
        assertThat(actions).anyMatch(x -> x instanceof Action.Commit c && c.block().equals(a) && c.commit().size() >= 3);
    }

    @Test
    void theCommitGoesIntoTheNextProposalsSeal() throws Rejection {
        KeyPair self = proposer(2, 0);
        BftProtocol p = started(self);
        Block a = block(1, 0, "a");
        long t = T0 + 500;
        p.onMessage(new ConsensusMessage.Proposal(a, -1), t);
        List<Action> actions = new java.util.ArrayList<>();
        for (KeyPair k : KEYS) if (!k.equals(self)) actions.addAll(p.onMessage(vote(k, RoundVote.Step.PRECOMMIT, 1, 0, a.hash()), t));
        assertThat(actions).anyMatch(x -> x instanceof Action.Commit c && c.block().equals(a) && c.commit().size() >= 3);

        chain.extend(a);
        p.onHeadChanged(t);
        List<Action> next = p.onTick(t + params.timeoutCommitMillis());
        Action.Propose propose = next.stream().filter(x -> x instanceof Action.Propose).map(x -> (Action.Propose) x).findFirst().orElseThrow();
        assertThat(propose.parent()).isEqualTo(a.hash());
        assertThat(propose.seal().slot()).isZero();
        assertThat(propose.seal().votes()).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(v -> assertThat(((RoundVote) v).blockHash()).isEqualTo(a.hash()));
        CommitCheck.verify(propose.seal().votes(), set, 1, a.hash(), Fixtures.CHAIN_ID);
    }

    @Test
    void equivocationIsReportedOncePerOffender() {
        BftProtocol p = started(bystander());
        KeyPair bad = other(bystander());
        long t = T0 + 500;
        List<Action> actions = new java.util.ArrayList<>();
        actions.addAll(p.onMessage(vote(bad, RoundVote.Step.PREVOTE, 1, 0, Fixtures.digest("x")), t));
        actions.addAll(p.onMessage(vote(bad, RoundVote.Step.PREVOTE, 1, 0, Fixtures.digest("y")), t));
        actions.addAll(p.onMessage(vote(bad, RoundVote.Step.PREVOTE, 1, 0, Fixtures.digest("z")), t));
        actions.addAll(p.onMessage(vote(bad, RoundVote.Step.PRECOMMIT, 1, 0, RoundVote.NIL), t));
        actions.addAll(p.onMessage(vote(bad, RoundVote.Step.PRECOMMIT, 1, 0, Fixtures.digest("y")), t));
        assertThat(actions.stream().filter(x -> x instanceof Action.SubmitEvidence)).hasSize(1);
    }

    @Test
    void aDoubleProposalIsReportedAndOnlyTheFirstIsPrevoted() {
        BftProtocol p = started(bystander());
        List<Action> actions = new java.util.ArrayList<>();
        Block first = block(1, 0, "v");
        for (String salt : List.of("v", "vv", "vvv", "vvvv", "vvvvv")) actions.addAll(p.onMessage(new ConsensusMessage.Proposal(block(1, 0, salt), -1), T0 + 500));
        assertThat(actions.stream().filter(x -> x instanceof Action.SubmitEvidence)).hasSize(1);
        assertThat(ownVotes(actions)).singleElement().satisfies(v -> assertThat(v.blockHash()).isEqualTo(first.hash()));
    }

    @Test
    void aStalledRoundSaysWhatItLacks() {
        BftProtocol p = started(bystander());
        long t = T0 + params.timeoutCommitMillis() + params.timeoutProposeMillis();
        List<Action> actions = p.onTick(t);
        assertThat(actions).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Action.Log.class, l -> assertThat(l.message())
                .contains("height 1 round 0 propose timeout").contains("proposal none").contains("a quorum needs 3 of 4 power")));
        assertThat(ownVotes(actions)).singleElement().satisfies(v -> assertThat(v.isNil()).isTrue());
        List<Action> later = p.onTick(T0 + params.timeoutCommitMillis() + params.timeoutCapMillis());
        assertThat(later).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Action.Log.class, l -> assertThat(l.message())
                .contains("stalled in step PREVOTE").contains("prevotes nil=1")));
    }

    static List<ConsensusMessage> broadcasts(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Action.Broadcast).map(a -> ((Action.Broadcast) a).message()).toList();
    }

    @Test
    void aLostVoteIsResentEveryRegossipIntervalUntilTheHeightEnds() {
        KeyPair self = bystander();
        BftProtocol p = started(self);
        long t = T0 + params.timeoutCommitMillis();
        Block a = block(1, 0, "a");
        RoundVote prevote = ownVotes(p.onMessage(new ConsensusMessage.Proposal(a, -1), t)).getFirst();
        // Nobody answers (our prevote was lost): at the re-gossip time the very same signed prevote goes out again.
        List<Action> first = p.onTick(T0 + p.regossipMillis());
        assertThat(ownVotes(first)).containsExactly(prevote);
        assertThat(ownVotes(p.onTick(T0 + 2 * p.regossipMillis()))).containsExactly(prevote);
        // Nothing is re-sent before the interval is up.
        assertThat(p.onTick(T0 + 2 * p.regossipMillis() + 1)).noneMatch(x -> x instanceof Action.Broadcast);
    }

    @Test
    void theProposerResendsItsProposalWhileItsRoundLasts() {
        KeyPair self = proposer(1, 0);
        BftProtocol p = started(self);
        Block a = block(1, 0, "a");
        p.onOwnProposal(a, T0 + params.timeoutCommitMillis());
        assertThat(broadcasts(p.onTick(T0 + p.regossipMillis()))).contains(new ConsensusMessage.Proposal(a, -1));
    }

    @Test
    void aCommittedValidatorResendsTheParentsCommitForPeersStillAtThatHeight() throws Rejection {
        KeyPair self = bystander();
        BftProtocol p = started(self);
        Block a = block(1, 0, "a");
        long t = T0 + 500;
        p.onMessage(new ConsensusMessage.Proposal(a, -1), t);
        for (KeyPair k : KEYS) if (!k.equals(self)) p.onMessage(vote(k, RoundVote.Step.PRECOMMIT, 1, 0, a.hash()), t);
        chain.extend(a);
        p.onHeadChanged(t);
        List<RoundVote> resent = ownVotes(p.onTick(t + p.regossipMillis()));
        assertThat(resent).hasSizeGreaterThanOrEqualTo(3).allSatisfy(v -> {
            assertThat(v.height()).isEqualTo(1);
            assertThat(v.step()).isEqualTo(RoundVote.Step.PRECOMMIT);
            assertThat(v.blockHash()).isEqualTo(a.hash());
        });
        CommitCheck.verify(List.copyOf(resent), set, 1, a.hash(), Fixtures.CHAIN_ID);
    }

    @Test
    void aProposerThatGotTheParentBySyncUsesThePrecommitsItCountedBefore() throws Rejection {
        KeyPair self = proposer(2, 0);
        BftProtocol p = started(self);
        Block a = block(1, 0, "a");
        long t = T0 + 500;
        // Precommits for A arrive, but not A's proposal: no decision; then A arrives as a block (sync).
        for (KeyPair k : KEYS) if (!k.equals(self)) p.onMessage(vote(k, RoundVote.Step.PRECOMMIT, 1, 0, a.hash()), t);
        assertThat(p.height()).isEqualTo(1);
        chain.extend(a);
        p.onHeadChanged(t);
        Action.Propose propose = p.onTick(t + params.timeoutCommitMillis()).stream().filter(x -> x instanceof Action.Propose)
                .map(x -> (Action.Propose) x).findFirst().orElseThrow();
        CommitCheck.verify(propose.seal().votes(), set, 1, a.hash(), Fixtures.CHAIN_ID);
    }

    @Test
    void aProposerWithoutTheParentsCommitProposesAsSoonAsTheCommitArrives() throws Rejection {
        KeyPair self = proposer(2, 0);
        BftProtocol p = started(self);
        Block a = block(1, 0, "a");
        chain.extend(a);
        long t = T0 + 500;
        p.onHeadChanged(t);
        List<Action> blocked = p.onTick(t + params.timeoutCommitMillis());
        assertThat(blocked).noneMatch(x -> x instanceof Action.Propose);
        assertThat(blocked).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Action.Log.class,
                l -> assertThat(l.message()).contains("cannot propose yet")));
        // Peers re-gossip the commit of height 1; with the third precommit the proposal goes out, still in round 0.
        List<Action> actions = new java.util.ArrayList<>();
        for (KeyPair k : KEYS) if (!k.equals(self)) actions.addAll(p.onMessage(vote(k, RoundVote.Step.PRECOMMIT, 1, 0, a.hash()), t + 200));
        Action.Propose propose = actions.stream().filter(x -> x instanceof Action.Propose).map(x -> (Action.Propose) x).findFirst().orElseThrow();
        assertThat(propose.seal().slot()).isZero();
        CommitCheck.verify(propose.seal().votes(), set, 1, a.hash(), Fixtures.CHAIN_ID);
    }

    @Test
    void anEquivocatorsSecondVoteStillCountsTowardsAPolka() {
        KeyPair self = bystander();
        BftProtocol p = started(self);
        long t = T0 + params.timeoutCommitMillis();
        Block a = block(1, 0, "a");
        p.onMessage(new ConsensusMessage.Proposal(a, -1), t);
        KeyPair bad = other(self);
        KeyPair honest = other(self, bad);
        // The equivocator's nil prevote reaches us first, its prevote for A later; A's polka needs the second one.
        List<Action> actions = new java.util.ArrayList<>(p.onMessage(vote(bad, RoundVote.Step.PREVOTE, 1, 0, RoundVote.NIL), t));
        actions.addAll(p.onMessage(vote(honest, RoundVote.Step.PREVOTE, 1, 0, a.hash()), t));
        actions.addAll(p.onMessage(vote(bad, RoundVote.Step.PREVOTE, 1, 0, a.hash()), t));
        assertThat(actions.stream().filter(x -> x instanceof Action.SubmitEvidence)).hasSize(1);
        assertThat(ownVotes(actions)).anySatisfy(v -> {
            assertThat(v.step()).isEqualTo(RoundVote.Step.PRECOMMIT);
            assertThat(v.blockHash()).isEqualTo(a.hash());
        });
    }

    // ---- restarts ----

    /** The proposal of {@code a} in round 0 of height 1, then prevotes for it from {@code x} and {@code y}; returns the actions of the last. */
    static List<Action> polkaFor(BftProtocol p, Block a, KeyPair x, KeyPair y, long t) {
        p.onMessage(new ConsensusMessage.Proposal(a, -1), t);
        p.onMessage(vote(x, RoundVote.Step.PREVOTE, 1, 0, a.hash()), t);
        return p.onMessage(vote(y, RoundVote.Step.PREVOTE, 1, 0, a.hash()), t);
    }

    @Test
    void aRestartedValidatorKeepsItsLockAndResumesAfterTheRoundItSignedIn() {
        KeyPair self = bystander();
        GuardedSigner.InMemory history = new GuardedSigner.InMemory();
        BftProtocol before = started(self, history, T0);
        long t = T0 + params.timeoutCommitMillis();
        Block a = block(1, 0, "a");
        KeyPair x = other(self);
        KeyPair y = other(self, x);
        assertThat(ownVotes(polkaFor(before, a, x, y, t))).singleElement()
                .satisfies(v -> assertThat(v.step()).isEqualTo(RoundVote.Step.PRECOMMIT));

        // The process dies; a new one starts from the same disk (chain store and signing history). It resumes in round 0
        // after its precommit, which it takes back from its slashing protection and re-sends.
        BftProtocol after = new BftProtocol(chain, new GuardedSigner(self, Fixtures.CHAIN_ID, history), params);
        after.start(t + 10);
        List<Action> resumed = after.onTick(t + 10 + params.timeoutCommitMillis() + after.regossipMillis());
        assertThat(after.describe()).contains("locked " + a.hash().toHex().substring(0, 8) + "@0")
                .contains("valid " + a.hash().toHex().substring(0, 8) + "@0");
        assertThat(after.round()).isZero();
        assertThat(after.step()).isEqualTo(BftProtocol.Step.PRECOMMIT);
        assertThat(ownVotes(resumed)).anySatisfy(v -> {
            assertThat(v.step()).isEqualTo(RoundVote.Step.PRECOMMIT);
            assertThat(v.blockHash()).isEqualTo(a.hash());
        });

        // The others precommitted nil: the round ends, and in round 1 a fresh proposal of another block gets nil from it.
        long t2 = t + 10 + params.timeoutCommitMillis() + after.regossipMillis();
        after.onMessage(vote(x, RoundVote.Step.PRECOMMIT, 1, 0, RoundVote.NIL), t2);
        after.onMessage(vote(y, RoundVote.Step.PRECOMMIT, 1, 0, RoundVote.NIL), t2);
        t2 += params.timeout(params.timeoutPrecommitMillis(), 0);
        after.onTick(t2);
        assertThat(after.round()).isEqualTo(1);
        Block b = block(1, 1, "bb");
        assertThat(ownVotes(after.onMessage(new ConsensusMessage.Proposal(b, -1), t2))).singleElement()
                .satisfies(v -> assertThat(v.blockHash()).isEqualTo(RoundVote.NIL));
    }

    @Test
    void aRestartedValidatorAcceptsARePropsalOfItsValidValueWithThePolkaItSaved() {
        KeyPair self = bystander();
        GuardedSigner.InMemory history = new GuardedSigner.InMemory();
        BftProtocol before = started(self, history, T0);
        long t = T0 + params.timeoutCommitMillis();
        Block a = block(1, 0, "a");
        KeyPair x = other(self);
        KeyPair y = other(self, x);
        polkaFor(before, a, x, y, t);

        // Every validator restarted: nobody re-sends the round-0 prevotes. The saved polka lets a re-proposal through.
        BftProtocol after = started(self, history, t + 10);
        long t2 = t + 10 + params.timeoutCommitMillis();
        for (KeyPair k : List.of(x, y)) after.onMessage(vote(k, RoundVote.Step.PRECOMMIT, 1, 0, RoundVote.NIL), t2);
        t2 += params.timeout(params.timeoutPrecommitMillis(), 0);
        after.onTick(t2);
        int r = after.round();
        assertThat(r).isEqualTo(1);
        List<Action> actions = after.onMessage(new ConsensusMessage.Proposal(a, 0), t2);
        if (!ProposerSchedule.proposer(set, 1, r).equals(self.publicKey())) {
            assertThat(ownVotes(actions)).singleElement().satisfies(v -> {
                assertThat(v.step()).isEqualTo(RoundVote.Step.PREVOTE);
                assertThat(v.round()).isEqualTo(r);
                assertThat(v.blockHash()).isEqualTo(a.hash());
            });
        }
    }

    @Test
    void afterARestartTheProposerUsesTheStoredCommitOfTheHead() throws Rejection {
        Block a = block(1, 0, "a");
        List<Vote> commit = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) commit.add(BftEngineTest.vote(KEYS.get(i), RoundVote.Step.PRECOMMIT, 1, 0, a.hash()));
        chain.extend(a);
        chain.commits.put(a.hash(), commit);

        KeyPair self = proposer(2, 0);
        BftProtocol p = new BftProtocol(chain, new GuardedSigner(self, Fixtures.CHAIN_ID, new GuardedSigner.InMemory()), params);
        p.start(T0);
        List<Action> actions = p.onTick(T0 + params.timeoutCommitMillis());
        Action.Propose propose = actions.stream().filter(x -> x instanceof Action.Propose).map(x -> (Action.Propose) x).findFirst().orElseThrow();
        assertThat(propose.seal().votes()).containsExactlyInAnyOrderElementsOf(commit);
        assertThat(actions).noneMatch(x -> x instanceof Action.RecordCommit);
    }

    @Test
    void aCommitAssembledFromPeersIsHandedToTheChainToStoreOnce() throws Rejection {
        Block a = block(1, 0, "a");
        chain.extend(a); // got by sync: no commit stored
        BftProtocol p = started(other(proposer(2, 0)));
        List<Action> actions = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            actions.addAll(p.onMessage(vote(KEYS.get(i), RoundVote.Step.PRECOMMIT, 1, 0, a.hash()), T0 + params.timeoutCommitMillis()));
        }
        assertThat(actions.stream().filter(x -> x instanceof Action.RecordCommit)).singleElement()
                .satisfies(x -> {
                    Action.RecordCommit r = (Action.RecordCommit) x;
                    assertThat(r.block()).isEqualTo(a.hash());
                    assertThat(r.votes()).hasSizeGreaterThanOrEqualTo(3);
                });
    }
}
