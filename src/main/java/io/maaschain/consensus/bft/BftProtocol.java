package io.maaschain.consensus.bft;

import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ProtocolStateStore;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's part of Tendermint consensus, as in "The latest gossip on BFT consensus" (Buchman, Kwon, Milosevic 2018,
 * Algorithm 1): rounds of propose, prevote and precommit, with lockedValue/lockedRound and validValue/validRound. The
 * upon-rules are evaluated after every input ({@link #evaluate}); comments name them by the paper's line numbers.
 *
 * <p>A value is a block, named by its hash. A fresh proposal for round r is a block whose seal slot is r, signed by the
 * scheduled proposer of (height, r). A re-proposal of validValue is the very same block (its slot is the round it was
 * first proposed in) with {@code validRound} = vr; it may be applied in any round after vr, since what makes it safe is
 * the polka (+2/3 prevotes) in round vr that every validator checks itself, not who relayed it.
 *
 * <p>After a commit the node waits {@code timeoutCommit} before round 0 of the next height (it counts votes meanwhile).
 * The commit's precommits are kept and go into the next block's seal, where they make the parent final on chain.
 */
public final class BftProtocol implements ConsensusProtocol {
    enum Step { PROPOSE, PREVOTE, PRECOMMIT, COMMITTED }

    private enum TimeoutKind { START, PROPOSE, PREVOTE, PRECOMMIT, STALL, REGOSSIP }

    private record Timeout(long at, TimeoutKind kind, long height, int round) {}

    /** Messages for the next height kept until the head reaches it. */
    static final int MAX_BUFFERED = 4096;
    /** Votes further ahead than this many rounds are dropped (they would only cost memory). */
    static final int MAX_ROUNDS_AHEAD = 1000;
    static final int MAX_BLOCKS_PER_SLOT = 2;
    /** Votes of older heights remembered (first seen per validator, height, round and step) to catch late twins. */
    static final int MAX_STALE_VOTES = 1024;

    private record StaleKey(PublicKey validator, long height, int round, RoundVote.Step step) {}

    private final ChainView chain;
    private final ValidatorSigner signer;
    private final ProtocolStateStore lockStore;
    private final BftParams params;
    private final long chainId;

    private long height;
    private int round;
    /** The round this height starts in: 0, or after a restart the round this validator last signed in. */
    private int firstRound;
    /** The step to resume in that round after a restart (after the vote it had signed), or null to start it afresh. */
    private Step resumeStep;
    private Step step = Step.PROPOSE;
    private boolean started;
    private Hash parentHash;
    private ValidatorSet validators;
    private Block lockedValue;
    private int lockedRound = -1;
    private Block validValue;
    private int validRound = -1;
    private final Map<Hash, Block> blocks = new LinkedHashMap<>();
    private final Map<Hash, Boolean> validity = new HashMap<>();
    /** Round -> the hash of the fresh proposal of that round (the first one seen). */
    private final Map<Integer, Hash> freshProposals = new HashMap<>();
    /** Re-proposals seen: block hash -> the valid rounds it was re-proposed with. */
    private final Map<Hash, TreeSet<Integer>> reProposals = new LinkedHashMap<>();
    private final Map<Long, ProposalSignature> proposalSignatures = new HashMap<>();
    private final Map<Integer, Integer> blocksPerSlot = new HashMap<>();
    private final TreeMap<Integer, VoteTally> prevotes = new TreeMap<>();
    private final TreeMap<Integer, VoteTally> precommits = new TreeMap<>();
    private final Set<Integer> prevoteTimeoutScheduled = new HashSet<>();
    private final Set<Integer> precommitTimeoutScheduled = new HashSet<>();
    private final Set<Integer> polkaHandled = new HashSet<>();
    private final List<Timeout> timeouts = new ArrayList<>();
    /** What this validator proposed (fresh or re-proposed) and in which round: re-gossiped while that round lasts. */
    private ConsensusMessage.Proposal ownProposal;
    private int ownProposalRound = -1;
    /** The round this validator last tried to propose in (a proposer lacking the parent's commit retries when it arrives). */
    private int proposeTriedRound = -1;
    private boolean proposeBlockedLogged;
    private Block decision;
    private List<Vote> decisionCommit = List.of();
    /** Precommits for the head block (the previous height), by round: the commit a proposal of this height carries. */
    private final TreeMap<Integer, VoteTally> lastCommit = new TreeMap<>();
    /** True once the chain holds the parent's commit certificate (stored with our decision, or recorded when assembled). */
    private boolean lastCommitStored;
    private ValidatorSet lastValidators;
    /**
     * The previous height's votes, kept for one height only to detect equivocation: an equivocator's twin often arrives
     * after its receiver has moved on, or reveals itself in the next block's seal.
     */
    private TreeMap<Integer, VoteTally> previousPrevotes = new TreeMap<>();
    private TreeMap<Integer, VoteTally> previousPrecommits = new TreeMap<>();
    /**
     * Votes of heights before the previous one (a validator that was cut off re-gossips them when it returns, and an
     * equivocator's twins come with them): not counted, only remembered, bounded, to detect a conflicting second one.
     */
    private final LinkedHashMap<StaleKey, RoundVote> staleVotes = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StaleKey, RoundVote> eldest) {
            return size() > MAX_STALE_VOTES;
        }
    };
    private final Deque<ConsensusMessage> buffered = new ArrayDeque<>();
    private final Set<PublicKey> reportedOffenders = new HashSet<>();
    private List<Action> out = new ArrayList<>();

    /** {@code signer} is null on a node that follows the chain without voting. */
    public BftProtocol(ChainView chain, ValidatorSigner signer, BftParams params) {
        this.chain = chain;
        this.signer = signer;
        this.params = params;
        this.chainId = chain.chainId();
        this.lockStore = chain.protocolState();
    }

    @Override
    public List<Action> start(long now) {
        enterHeight(now);
        return flush(now);
    }

    @Override
    public List<Action> onTick(long now) {
        catchUp(now);
        while (true) {
            Timeout due = null;
            for (Timeout t : timeouts) if (t.at() <= now && (due == null || t.at() < due.at())) due = t;
            if (due == null) break;
            timeouts.remove(due);
            fire(due, now);
        }
        evaluate(now);
        return flush(now);
    }

    @Override
    public List<Action> onHeadChanged(long now) {
        if (!chain.headHash().equals(parentHash)) enterHeight(now);
        return flush(now);
    }

    @Override
    public List<Action> onMessage(ConsensusMessage message, long now) {
        catchUp(now);
        receive(message, now);
        evaluate(now);
        return flush(now);
    }

    @Override
    public List<Action> onOwnProposal(Block block, long now) {
        catchUp(now);
        if (block.height() == height && block.header().parentHash().equals(parentHash)) {
            validity.put(block.hash(), true);
            ConsensusMessage.Proposal p = new ConsensusMessage.Proposal(block, -1);
            if (block.header().seal() instanceof ValidatorSeal seal && seal.slot() == round) {
                ownProposal = p;
                ownProposalRound = round;
            }
            out.add(new Action.Broadcast(p));
            receiveProposal(block, -1);
            evaluate(now);
        }
        return flush(now);
    }

    @Override
    public String describe() {
        return "height " + height + " round " + round + " step " + (started ? step : "NEW_HEIGHT")
                + " locked " + (lockedValue == null ? "none" : short8(lockedValue.hash()) + "@" + lockedRound)
                + " valid " + (validValue == null ? "none" : short8(validValue.hash()) + "@" + validRound)
                + " parent commit " + (parentCommit().isPresent() ? "held" : "missing");
    }

    long height() {
        return height;
    }

    int round() {
        return round;
    }

    Step step() {
        return step;
    }

    // ---- heights and rounds ----

    /** The head moved without telling us (missed notification): follow it. */
    private void catchUp(long now) {
        if (!chain.headHash().equals(parentHash)) enterHeight(now);
    }

    private void enterHeight(long now) {
        Header head = chain.head();
        Hash headHash = chain.headHash();
        List<Vote> carried = decision != null && decision.hash().equals(headHash) ? decisionCommit : List.of();
        // Precommits for the new head counted while we were still at its height (it may have come by block gossip before
        // we saw +2/3 of them): they are the commit our next proposal needs, so keep them.
        List<RoundVote> earlier = new ArrayList<>();
        if (height == head.height()) for (VoteTally t : precommits.values()) earlier.addAll(t.votesFor(headHash));
        previousPrevotes = height == head.height() ? new TreeMap<>(prevotes) : new TreeMap<>();
        previousPrecommits = height == head.height() ? new TreeMap<>(precommits) : new TreeMap<>();
        height = head.height() + 1;
        parentHash = headHash;
        validators = BftState.nextValidators(chain.headState());
        lastValidators = BftState.lastValidators(chain.headState()).orElse(null);
        round = 0;
        step = Step.PROPOSE;
        started = false;
        lockedValue = null;
        lockedRound = -1;
        validValue = null;
        validRound = -1;
        blocks.clear();
        validity.clear();
        freshProposals.clear();
        reProposals.clear();
        proposalSignatures.clear();
        blocksPerSlot.clear();
        prevotes.clear();
        precommits.clear();
        prevoteTimeoutScheduled.clear();
        precommitTimeoutScheduled.clear();
        polkaHandled.clear();
        timeouts.clear();
        decision = null;
        decisionCommit = List.of();
        ownProposal = null;
        ownProposalRound = -1;
        proposeTriedRound = -1;
        proposeBlockedLogged = false;
        lastCommit.clear();
        lastCommitStored = !carried.isEmpty();
        if (lastValidators != null) {
            for (Vote v : carried) addLastCommitVote((RoundVote) v);
            // After a restart: the commit stored with the head when this node decided it (it was verified then).
            if (carried.isEmpty()) {
                List<Vote> stored = chain.storedCommit(headHash);
                lastCommitStored = !stored.isEmpty();
                for (Vote v : stored) if (v instanceof RoundVote rv) addLastCommitVote(rv);
            }
            for (RoundVote v : earlier) addLastCommitVote(v);
        }
        restoreLock(now);
        schedule(TimeoutKind.START, now + params.timeoutCommitMillis(), 0);
        schedule(TimeoutKind.REGOSSIP, now + regossipMillis(), 0);
        List<ConsensusMessage> replay = new ArrayList<>(buffered);
        buffered.clear();
        for (ConsensusMessage m : replay) receive(m, now);
        evaluate(now);
    }

    private void startRound(int r, long now) {
        if (r > round) log("round " + round + " ends", now);
        round = r;
        step = Step.PROPOSE;
        started = true;
        schedule(TimeoutKind.PROPOSE, now + params.timeout(params.timeoutProposeMillis(), r), r);
        schedule(TimeoutKind.STALL, now + params.timeoutCapMillis(), r);
        proposeBlockedLogged = false;
        tryPropose(now);
    }

    /**
     * Line 14: the round's proposer proposes validValue, or else a fresh block. A fresh block must carry the parent's
     * commit; a proposer that does not hold it yet (it got the parent by block sync) waits for it in the propose step:
     * peers re-gossip the commit of the previous height and every proposal's seal carries it, so it usually arrives
     * before the propose timeout. It never proposes without it (the block would be invalid).
     */
    private void tryPropose(long now) {
        if (!started || step != Step.PROPOSE || proposeTriedRound == round) return;
        if (!isVoter() || !ProposerSchedule.proposer(validators, height, round).equals(signer.key())) return;
        if (validValue != null) {
            proposeTriedRound = round;
            ConsensusMessage.Proposal p = new ConsensusMessage.Proposal(validValue, validRound);
            ownProposal = p;
            ownProposalRound = round;
            out.add(new Action.Broadcast(p));
            receiveProposal(validValue, validRound);
            return;
        }
        Optional<List<Vote>> commit = parentCommit();
        if (commit.isEmpty()) {
            if (!proposeBlockedLogged) log("cannot propose yet: no +2/3 precommits for the parent " + short8(parentHash), now);
            proposeBlockedLogged = true;
            return;
        }
        proposeTriedRound = round;
        long timestamp = Math.max(now, chain.head().timestampMillis() + 1);
        out.add(new Action.Propose(parentHash, timestamp, BftEngine.unsignedSeal(round, signer.key(), commit.get()), false));
    }

    /** How often a validator that has not finished its height re-sends its own messages and the commits it relays. */
    long regossipMillis() {
        return Math.max(params.timeoutProposeMillis(), Math.max(params.timeoutPrevoteMillis(), params.timeoutPrecommitMillis()));
    }

    /**
     * Votes and proposals travel once and may be lost (drops, partitions, a peer that restarts). Tendermint re-gossips
     * what a peer lacks; we do not track peers, so a validator still at a height after {@link #regossipMillis} re-sends,
     * every such interval, a bounded set: its proposal of the round, its own prevote and precommit of the round (and of
     * its locked and valid rounds), the polka that justifies its validValue (so a re-proposal can be accepted), and the
     * +2/3 precommits that committed the parent (so a peer still at the previous height can decide, and a proposer that
     * got the parent by sync can build on it; without +2/3 it pools the partial commit it holds). At most 3n + 7 messages per interval, all already signed: nothing here
     * signs anything new, so re-gossip cannot make a validator equivocate.
     */
    private void regossip() {
        if (ownProposal != null && ownProposalRound == round) out.add(new Action.Broadcast(ownProposal));
        if (isVoter()) {
            Set<Integer> rounds = new TreeSet<>(List.of(round, Math.max(lockedRound, 0), Math.max(validRound, 0)));
            for (int r : rounds) {
                for (TreeMap<Integer, VoteTally> tallies : List.of(prevotes, precommits)) {
                    VoteTally t = tallies.get(r);
                    if (t != null) t.voteOf(signer.key()).ifPresent(v -> out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v))));
                }
            }
        }
        if (validValue != null && validRound < round) {
            VoteTally t = prevotes.get(validRound);
            if (t != null) for (RoundVote v : t.votesFor(validValue.hash())) {
                if (!isVoter() || !v.validator().equals(signer.key())) out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v)));
            }
        }
        Optional<List<Vote>> commit = parentCommit();
        if (commit.isPresent()) {
            for (Vote v : commit.get()) out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v)));
        } else if (height > 1) {
            // Nobody may hold +2/3 yet (the parent came by block gossip, or the node that decided it restarted): pool
            // what we have, the precommits of its latest rounds, so that together the validators assemble the commit.
            int rounds = 0;
            for (VoteTally t : lastCommit.descendingMap().values()) {
                if (rounds++ == 2) break;
                for (RoundVote v : t.votesFor(parentHash)) out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v)));
            }
        }
    }

    /** The precommits that committed the parent, as a block's seal carries them; the first block carries none. */
    private Optional<List<Vote>> parentCommit() {
        if (height == 1) return Optional.of(List.of());
        if (lastValidators == null) return Optional.empty();
        for (VoteTally t : lastCommit.values()) {
            if (lastValidators.isQuorum(t.power(parentHash))) {
                List<Vote> votes = new ArrayList<>(t.votesFor(parentHash));
                return Optional.of(votes.size() > ValidatorSeal.MAX_VOTES ? votes.subList(0, ValidatorSeal.MAX_VOTES) : votes);
            }
        }
        return Optional.empty();
    }

    private boolean isVoter() {
        return signer != null && validators.contains(signer.key());
    }

    // ---- inputs ----

    private void receive(ConsensusMessage m, long now) {
        switch (m) {
            case ConsensusMessage.Proposal p -> {
                long h = p.block().height();
                if (h == height + 1) buffer(m);
                else if (h == height) receiveProposal(p.block(), p.validRound());
            }
            case ConsensusMessage.VoteMessage vm -> {
                if (!(vm.vote() instanceof RoundVote v)) return;
                if (v.height() == height + 1) buffer(m);
                else if (v.height() == height) receiveVote(v);
                else if (v.height() == height - 1) {
                    detectLate(v);
                    if (v.step() == RoundVote.Step.PRECOMMIT) receiveLastCommitVote(v);
                } else if (v.height() < height - 1) detectStale(v);
            }
        }
    }

    private void buffer(ConsensusMessage m) {
        // Full (peers re-gossip while they wait for us): the oldest messages are the likeliest to be repeats.
        if (buffered.size() >= MAX_BUFFERED) buffered.pollFirst();
        buffered.add(m);
    }

    private void receiveProposal(Block block, int vr) {
        Header h = block.header();
        if (!h.parentHash().equals(parentHash) || !(h.seal() instanceof ValidatorSeal seal) || seal.slot() > Integer.MAX_VALUE) return;
        int slot = (int) seal.slot();
        if (vr != -1 && (slot > vr || vr > round + MAX_ROUNDS_AHEAD)) return;
        // Fresh proposals matter for this round and the next; one from further ahead would only take memory.
        if (vr == -1 && slot > round + 1) return;
        if (!seal.proposerKey().equals(ProposerSchedule.proposer(validators, height, slot)) || !seal.proposerKey().address().equals(h.proposer())) return;
        if (!blocks.containsKey(block.hash())) {
            ProposalSignature statement = HeaderCodec.proposalSignature(h);
            if (!statement.verify(chainId)) return;
            // The seal carries the parent's commit: it may expose an equivocator, and a proposer that got the parent by
            // sync can use it.
            for (Vote v : seal.votes()) if (v instanceof RoundVote rv && rv.height() == height - 1) detectLate(rv);
            if (parentCommit().isEmpty()) {
                for (Vote v : seal.votes()) if (v instanceof RoundVote rv) receiveLastCommitVote(rv);
            }
            ProposalSignature earlier = proposalSignatures.putIfAbsent((long) slot, statement);
            if (earlier != null && earlier.conflictsWith(statement)) report(earlier, statement);
            // An equivocating proposer could flood us with variants of its slot: keep two, and any block that +2/3 voted for.
            int sameSlot = blocksPerSlot.merge(slot, 1, Integer::sum);
            if (sameSlot > MAX_BLOCKS_PER_SLOT && !hasVoteQuorum(block.hash())) return;
            blocks.put(block.hash(), block);
        }
        if (vr == -1) freshProposals.putIfAbsent(slot, block.hash());
        else reProposals.computeIfAbsent(block.hash(), k -> new TreeSet<>()).add(vr);
    }

    private boolean hasVoteQuorum(Hash value) {
        for (VoteTally t : prevotes.values()) if (validators.isQuorum(t.power(value))) return true;
        for (VoteTally t : precommits.values()) if (validators.isQuorum(t.power(value))) return true;
        return false;
    }

    private void receiveVote(RoundVote v) {
        long power = validators.power(v.validator());
        if (power == 0 || v.round() > round + MAX_ROUNDS_AHEAD) return;
        TreeMap<Integer, VoteTally> tallies = v.step() == RoundVote.Step.PREVOTE ? prevotes : precommits;
        VoteTally known = tallies.get(v.round());
        if (known != null && known.isRepeat(v) || !v.verify(chainId)) return;
        tallies.computeIfAbsent(v.round(), r -> new VoteTally()).add(v, power).ifPresent(earlier -> report(earlier, v));
    }

    private void receiveLastCommitVote(RoundVote v) {
        if (lastValidators == null || v.height() != height - 1 || v.step() != RoundVote.Step.PRECOMMIT || !v.blockHash().equals(parentHash)) return;
        long power = lastValidators.power(v.validator());
        if (power == 0 || lastCommit.size() > MAX_ROUNDS_AHEAD && !lastCommit.containsKey(v.round())) return;
        VoteTally known = lastCommit.get(v.round());
        if (known != null && known.isRepeat(v) || !v.verify(chainId)) return;
        addLastCommitVote(v);
    }

    /**
     * Counts a precommit for the parent that is already known to be valid (verified, or our own decision's commit). The
     * first time the parent's commit reaches +2/3 without being stored, it is handed to the chain to store: a node that
     * got its head by sync then holds the commit across a restart too.
     */
    private void addLastCommitVote(RoundVote v) {
        if (!v.blockHash().equals(parentHash) || v.height() != height - 1) return;
        long power = lastValidators.power(v.validator());
        if (power == 0) return;
        lastCommit.computeIfAbsent(v.round(), r -> new VoteTally()).add(v, power);
        if (!lastCommitStored) {
            parentCommit().filter(c -> !c.isEmpty()).ifPresent(c -> {
                lastCommitStored = true;
                out.add(new Action.RecordCommit(parentHash, c));
            });
        }
    }

    // ---- what survives a restart ----

    /** Saves the lock and valid value, synced, before anything that depends on them is signed. */
    private void saveLock() {
        if (!isVoter()) return;
        List<RoundVote> polka = validValue == null ? List.of() : prevotes.get(validRound).votesFor(validValue.hash());
        if (polka.size() > ValidatorSeal.MAX_VOTES) polka = polka.subList(0, ValidatorSeal.MAX_VOTES);
        lockStore.save(new BftLock(height, parentHash, lockedRound, lockedValue, validRound, validValue, polka).encode());
    }

    /**
     * On entering a height: where a validator that restarted stands in it. Its slashing protection remembers the last
     * vote it signed: it takes that vote back (signing it again gives the same vote), resumes in that round after that
     * step, and re-sends it like its other own votes, so peers that missed it still get it (a round where +2/3 have
     * precommitted ends only when the precommits are counted). Its saved lock and valid value (with their polka) come
     * back too. A validator that only proposed in a round resumes there without proposing again.
     */
    private void restoreLock(long now) {
        firstRound = 0;
        resumeStep = null;
        if (!isVoter()) return;
        List<RoundVote> last = signer.lastRoundVotes(height);
        long proposed = signer.lastProposalSlot(height);
        for (RoundVote v : last) {
            firstRound = v.round();
            resumeStep = v.step() == RoundVote.Step.PREVOTE ? Step.PREVOTE : Step.PRECOMMIT;
            (v.step() == RoundVote.Step.PREVOTE ? prevotes : precommits).computeIfAbsent(v.round(), r -> new VoteTally())
                    .add(v, validators.power(v.validator()));
        }
        if (proposed > firstRound && proposed <= Integer.MAX_VALUE) {
            firstRound = (int) proposed;
            resumeStep = null;
        }
        if (proposed == firstRound) proposeTriedRound = firstRound;
        if (!last.isEmpty() || proposed >= 0) {
            out.add(new Action.Log("bft height " + height + ": resuming in round " + firstRound + (resumeStep == null ? "" : " after its " + resumeStep.name().toLowerCase())));
        }
        Optional<byte[]> saved = lockStore.load();
        if (saved.isEmpty()) return;
        BftLock lock;
        try {
            lock = BftLock.decode(saved.get());
        } catch (RuntimeException e) {
            // Only our own synced writes reach this record; one we cannot read is a bug or a damaged disk: say so.
            out.add(new Action.Log("bft: the saved lock cannot be read (" + e.getMessage() + "); starting without it"));
            return;
        }
        if (lock.height() != height || !lock.parent().equals(parentHash)) return;
        lockedValue = lock.lockedBlock();
        lockedRound = lock.lockedRound();
        validValue = lock.validBlock();
        validRound = lock.validRound();
        for (Block b : new Block[] {lockedValue, validValue}) if (b != null) blocks.putIfAbsent(b.hash(), b);
        for (RoundVote v : lock.validPolka()) {
            long power = validators.power(v.validator());
            VoteTally t = prevotes.computeIfAbsent(v.round(), r -> new VoteTally());
            if (power > 0 && v.height() == height && v.round() == validRound && !t.isRepeat(v)) t.add(v, power);
        }
        out.add(new Action.Log("bft height " + height + ": restored lock " + (lockedValue == null ? "none" : short8(lockedValue.hash()) + "@" + lockedRound)
                + ", valid " + (validValue == null ? "none" : short8(validValue.hash()) + "@" + validRound)));
    }

    /** The first round of the height: from its start, or after a restart from the step this validator had reached. */
    private void resumeOrStart(long now) {
        startRound(firstRound, now);
        if (resumeStep != null && step == Step.PROPOSE) step = resumeStep;
    }

    /**
     * A vote of the previous height: not counted for anything, only compared with the votes of that height we had
     * counted, so that a late twin is still reported. Bounded: the rounds we had tallies for, each vote verified once.
     */
    private void detectLate(RoundVote v) {
        VoteTally t = (v.step() == RoundVote.Step.PREVOTE ? previousPrevotes : previousPrecommits).get(v.round());
        if (t == null) {
            detectStale(v);
            return;
        }
        if (t.isRepeat(v) || lastValidators == null) return;
        long power = lastValidators.power(v.validator());
        if (power == 0 || !v.verify(chainId)) return;
        t.add(v, power).ifPresent(earlier -> report(earlier, v));
    }

    /**
     * A vote of an older height from a current validator: remembered unverified (first one per validator, height, round
     * and step); a different one for the same key is checked, both signatures, and reported. Two verifications per
     * conflicting message at most, and nothing once the offender is reported.
     */
    private void detectStale(RoundVote v) {
        if (reportedOffenders.contains(v.validator()) || validators.power(v.validator()) == 0) return;
        StaleKey key = new StaleKey(v.validator(), v.height(), v.round(), v.step());
        RoundVote known = staleVotes.get(key);
        if (known == null) {
            staleVotes.put(key, v);
            return;
        }
        if (known.blockHash().equals(v.blockHash()) || !v.verify(chainId)) return;
        if (!known.verify(chainId)) {
            staleVotes.put(key, v);
            return;
        }
        report(known, v);
    }

    /** Two conflicting signed statements by one validator: submit them as evidence, once per offender. */
    private void report(Vote a, Vote b) {
        if (!reportedOffenders.add(a.validator())) return;
        out.add(new Action.Log("equivocation by validator " + a.validator() + " at height " + height + "; submitting evidence"));
        out.add(new Action.SubmitEvidence(EvidenceCheck.of(a, b)));
    }

    // ---- timeouts ----

    private void schedule(TimeoutKind kind, long at, int r) {
        timeouts.add(new Timeout(at, kind, height, r));
    }

    private void fire(Timeout t, long now) {
        if (t.height() != height) return;
        switch (t.kind()) {
            case START -> {
                if (!started) resumeOrStart(now);
            }
            case PROPOSE -> {
                if (t.round() == round && step == Step.PROPOSE) {
                    log("propose timeout", now);
                    prevote(RoundVote.NIL);
                    step = Step.PREVOTE;
                }
            }
            case PREVOTE -> {
                if (t.round() == round && step == Step.PREVOTE) {
                    log("prevote timeout", now);
                    precommit(RoundVote.NIL);
                    step = Step.PRECOMMIT;
                }
            }
            case PRECOMMIT -> {
                if (t.round() == round && step != Step.COMMITTED) {
                    log("precommit timeout", now);
                    startRound(round + 1, now);
                }
            }
            case REGOSSIP -> {
                regossip();
                schedule(TimeoutKind.REGOSSIP, now + regossipMillis(), round);
            }
            case STALL -> {
                // Without +2/3 of any votes no step timeout runs: say so every cap interval, so a stalled network shows why.
                if (t.round() == round && step != Step.COMMITTED) {
                    log("stalled", now);
                    schedule(TimeoutKind.STALL, now + params.timeoutCapMillis(), round);
                }
            }
        }
    }

    // ---- the upon-rules ----

    /** Applies the paper's upon-rules until none fires. */
    private void evaluate(long now) {
        boolean changed = true;
        while (changed && step != Step.COMMITTED) {
            changed = tryDecide(now);
            if (changed || !started) continue;
            tryPropose(now);
            changed = trySkipRound(now) || tryProposalRules() || tryPolka() || tryNilPolka();
            scheduleStepTimeouts(now);
        }
    }

    /** Line 49: +2/3 precommits for a block in some round, and the block is known and valid: decide it. */
    private boolean tryDecide(long now) {
        for (Map.Entry<Integer, VoteTally> e : precommits.entrySet()) {
            Optional<Hash> value = e.getValue().quorumValue(validators);
            if (value.isEmpty()) continue;
            Block block = blocks.get(value.get());
            if (block == null || !isValid(block)) continue;
            decision = block;
            decisionCommit = new ArrayList<>(e.getValue().votesFor(block.hash()));
            step = Step.COMMITTED;
            out.add(new Action.Log("bft height " + height + ": committed block " + block.hash() + " in round " + e.getKey()
                    + " with " + e.getValue().power(block.hash()) + " of " + validators.totalPower() + " power"));
            out.add(new Action.Commit(block, List.copyOf(decisionCommit)));
            return true;
        }
        return false;
    }

    /** Line 55: messages from more than 1/3 of the power in a higher round: jump to it. */
    private boolean trySkipRound(long now) {
        for (int r : new TreeSet<>(union(prevotes.keySet(), precommits.keySet())).descendingSet()) {
            if (r <= round) break;
            Set<PublicKey> senders = new HashSet<>();
            for (TreeMap<Integer, VoteTally> tallies : List.of(prevotes, precommits)) {
                VoteTally t = tallies.get(r);
                if (t != null) t.voters().forEach(senders::add);
            }
            long power = 0;
            for (PublicKey k : senders) power += validators.power(k);
            if (validators.exceedsOneThird(power)) {
                startRound(r, now);
                return true;
            }
        }
        return false;
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /** Lines 22 and 28: the first proposal of the round decides this validator's prevote. */
    private boolean tryProposalRules() {
        if (step != Step.PROPOSE) return false;
        // Line 28: a re-proposal of a block with a polka in an earlier round vr.
        for (Map.Entry<Hash, TreeSet<Integer>> e : reProposals.entrySet()) {
            for (int vr : e.getValue().descendingSet()) {
                if (vr >= round || !hasPolka(vr, e.getKey())) continue;
                Block v = blocks.get(e.getKey());
                boolean ok = isValid(v) && (lockedRound <= vr || lockedValue != null && v.hash().equals(lockedValue.hash()));
                prevote(ok ? v.hash() : RoundVote.NIL);
                step = Step.PREVOTE;
                return true;
            }
        }
        // Line 22: a fresh proposal of this round.
        Hash fresh = freshProposals.get(round);
        if (fresh == null) return false;
        Block v = blocks.get(fresh);
        boolean ok = isValid(v) && (lockedRound == -1 || v.hash().equals(lockedValue.hash()));
        prevote(ok ? v.hash() : RoundVote.NIL);
        step = Step.PREVOTE;
        return true;
    }

    private boolean hasPolka(int r, Hash value) {
        VoteTally t = prevotes.get(r);
        return t != null && validators.isQuorum(t.power(value));
    }

    /** Line 36: +2/3 prevotes in this round for a known, valid block: lock on it (if still prevoting) and remember it as valid. */
    private boolean tryPolka() {
        if (step == Step.PROPOSE || polkaHandled.contains(round)) return false;
        VoteTally t = prevotes.get(round);
        if (t == null) return false;
        Optional<Hash> value = t.quorumValue(validators);
        if (value.isEmpty()) return false;
        Block v = blocks.get(value.get());
        if (v == null || !isValid(v)) return false;
        polkaHandled.add(round);
        validValue = v;
        validRound = round;
        if (step == Step.PREVOTE) {
            lockedValue = v;
            lockedRound = round;
            saveLock();
            precommit(v.hash());
            step = Step.PRECOMMIT;
        } else {
            saveLock();
        }
        return true;
    }

    /** Line 44: +2/3 prevotes for nil: precommit nil. */
    private boolean tryNilPolka() {
        if (step != Step.PREVOTE) return false;
        VoteTally t = prevotes.get(round);
        if (t == null || !validators.isQuorum(t.power(RoundVote.NIL))) return false;
        precommit(RoundVote.NIL);
        step = Step.PRECOMMIT;
        return true;
    }

    /** Lines 34 and 47: +2/3 of any prevotes (while prevoting) or precommits start the step's timeout, once per round. */
    private void scheduleStepTimeouts(long now) {
        VoteTally pv = prevotes.get(round);
        if (step == Step.PREVOTE && pv != null && validators.isQuorum(pv.total()) && prevoteTimeoutScheduled.add(round)) {
            schedule(TimeoutKind.PREVOTE, now + params.timeout(params.timeoutPrevoteMillis(), round), round);
        }
        VoteTally pc = precommits.get(round);
        if (pc != null && validators.isQuorum(pc.total()) && precommitTimeoutScheduled.add(round)) {
            schedule(TimeoutKind.PRECOMMIT, now + params.timeout(params.timeoutPrecommitMillis(), round), round);
        }
    }

    private boolean isValid(Block block) {
        Boolean known = validity.get(block.hash());
        if (known != null) return known;
        boolean ok;
        try {
            chain.check(block);
            ok = true;
        } catch (Rejection r) {
            out.add(new Action.Log("bft height " + height + ": proposed block " + block.hash() + " is invalid: " + r));
            ok = false;
        }
        validity.put(block.hash(), ok);
        return ok;
    }

    // ---- own votes ----

    private void prevote(Hash value) {
        vote(RoundVote.Step.PREVOTE, value);
    }

    private void precommit(Hash value) {
        vote(RoundVote.Step.PRECOMMIT, value);
    }

    private void vote(RoundVote.Step s, Hash value) {
        if (!isVoter()) return;
        RoundVote unsigned = new RoundVote(s, height, round, value, signer.key(), ValidatorSeal.UNSIGNED);
        Optional<Vote> signed = signer.signVote(unsigned);
        if (signed.isEmpty()) {
            out.add(new Action.Log("bft height " + height + " round " + round + ": slashing protection refused to sign a " + s
                    + " for " + shortValue(value)));
            return;
        }
        RoundVote v = (RoundVote) signed.get();
        out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v)));
        (s == RoundVote.Step.PREVOTE ? prevotes : precommits).computeIfAbsent(round, r -> new VoteTally())
                .add(v, validators.power(v.validator()));
    }

    // ---- output ----

    private List<Action> flush(long now) {
        if (!timeouts.isEmpty()) {
            long next = Long.MAX_VALUE;
            for (Timeout t : timeouts) next = Math.min(next, t.at());
            out.add(new Action.WakeAt(next));
        }
        List<Action> result = out;
        out = new ArrayList<>();
        return result;
    }

    /** One line on why the round stands where it does: the proposal, and the power behind each value against the quorum. */
    private void log(String event, long now) {
        long total = validators.totalPower();
        long quorum = total * 2 / 3 + 1;
        Hash fresh = freshProposals.get(round);
        String proposal = fresh != null ? short8(fresh) : reProposals.isEmpty() ? "none" : "re-proposal only";
        VoteTally pv = prevotes.get(round);
        VoteTally pc = precommits.get(round);
        out.add(new Action.Log("bft height " + height + " round " + round + " " + event + " in step " + step + ": proposal " + proposal
                + "; prevotes " + (pv == null ? "none" : pv.summary()) + "; precommits " + (pc == null ? "none" : pc.summary())
                + "; a quorum needs " + quorum + " of " + total + " power" + (lockedValue == null ? "" : "; locked on " + short8(lockedValue.hash()) + "@" + lockedRound)));
    }

    private static String short8(Hash h) {
        return h.toHex().substring(0, 8);
    }

    private static String shortValue(Hash h) {
        return h.equals(RoundVote.NIL) ? "nil" : short8(h);
    }
}
