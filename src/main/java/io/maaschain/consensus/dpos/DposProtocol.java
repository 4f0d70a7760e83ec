package io.maaschain.consensus.dpos;

import io.maaschain.consensus.ValidatorSeals;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.state.StateReader;
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

/**
 * One dpos node's active part. At each slot start it proposes if the head's schedule names it for the slot, carrying
 * the gossiped votes the block may count; on each new head it signs a checkpoint vote (source: the head's justified
 * block, target: the head) through its slashing-protected signer and gossips it; from gossiped votes it finalizes
 * locally by the same > 2/3 rule the chain applies; conflicting statements it sees become evidence transactions.
 */
public final class DposProtocol implements ConsensusProtocol {
    private static final int MAX_POOL = 4096;
    private static final int MAX_REMEMBERED_PER_VOTER = 64;
    private static final int MAX_REMEMBERED_PROPOSALS = 4096;
    /** How far back from a new head proposals are noted (a reorganisation brings in blocks below the head). */
    private static final int MAX_PROPOSALS_WALKED = 16;
    /** How many of its own latest votes a producer keeps sending again (a stalled producer's last votes stay the same). */
    static final int OWN_VOTES_RESENT = 8;
    /** How often a producer sends its own latest votes again: votes lost to drops, partitions or restarts are not lost for good. */
    static final long RESEND_MILLIS = 1_000;

    private final ChainView view;
    private final ValidatorSigner signer;
    private final DposEngine engine;
    private final DposParams params;
    /** Votes not yet known to be counted, keyed by voter, target height and target hash. */
    private final Map<String, CheckpointVote> pool = new LinkedHashMap<>();
    /** Recent votes by each voter, to notice double and surround votes. */
    private final Map<PublicKey, Deque<CheckpointVote>> recent = new HashMap<>();
    /** Proposal signatures of heads seen, by proposer, height and slot, to notice double proposals. */
    private final Map<String, ProposalSignature> proposals = new LinkedHashMap<>();
    private final Set<PublicKey> accused = new HashSet<>();
    /** This producer's latest signed votes, oldest first, at most {@link #OWN_VOTES_RESENT}. */
    private final Deque<CheckpointVote> ownVotes = new ArrayDeque<>();
    private long nextResend = Long.MIN_VALUE;
    private long lastProposedSlot = -1;
    private Hash lastVotedHead = Hash.ZERO;
    private long votesSigned;
    private long localFinalizations;

    /** {@code signer} is null on a node that only follows the chain. */
    public DposProtocol(ChainView view, ValidatorSigner signer, DposEngine engine) {
        this.view = view;
        this.signer = signer;
        this.engine = engine;
        this.params = engine.params();
    }

    @Override
    public List<Action> start(long nowMillis) {
        List<Action> out = new ArrayList<>();
        onNewHead(out);
        out.addAll(onTick(nowMillis));
        return out;
    }

    @Override
    public List<Action> onTick(long nowMillis) {
        List<Action> out = new ArrayList<>();
        long slot = params.slotAt(nowMillis);
        Header head = view.head();
        if (signer != null && slot > ValidatorSeals.slotOf(head) && slot > lastProposedSlot && nowMillis >= params.slotTime(slot)) {
            StateReader state = view.headState();
            PublicKey producer = engine.producerOf(state, head, slot);
            boolean slashed = Bonds.get(state, producer.address()).map(Bond::slashed).orElse(false);
            if (producer.equals(signer.key()) && !slashed) {
                lastProposedSlot = slot;
                List<CheckpointVote> votes = engine.includable(state, head, slot, pool.values());
                out.add(new Action.Propose(view.headHash(), params.slotTime(slot),
                        new ValidatorSeal(slot, signer.key(), Hash.ZERO, List.copyOf(votes), ValidatorSeal.UNSIGNED), true));
            }
        }
        resendOwnVotes(nowMillis, out);
        out.add(new Action.WakeAt(params.slotTime(slot + 1)));
        return out;
    }

    /**
     * Every {@link #RESEND_MILLIS}, gossips again this producer's latest votes whose target is above {@link #voteFloor}.
     * Gossip is fire-and-forget: a vote dropped or cut off by a partition would otherwise never reach the proposers, and
     * a producer whose slashing protection refuses to vote on the current branch (it already used a newer source) can
     * only help that branch catch up with the votes it signed before, which are exactly these.
     */
    private void resendOwnVotes(long nowMillis, List<Action> out) {
        if (nowMillis < nextResend) return;
        nextResend = nowMillis + RESEND_MILLIS;
        long floor = voteFloor();
        for (CheckpointVote v : ownVotes) {
            if (v.targetEpoch() > floor) out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v)));
        }
    }

    @Override
    public List<Action> onHeadChanged(long nowMillis) {
        List<Action> out = new ArrayList<>();
        onNewHead(out);
        return out;
    }

    @Override
    public List<Action> onOwnProposal(Block block, long nowMillis) {
        List<Action> out = new ArrayList<>();
        if (view.headHash().equals(block.hash())) onNewHead(out);
        return out;
    }

    @Override
    public List<Action> onMessage(ConsensusMessage message, long nowMillis) {
        List<Action> out = new ArrayList<>();
        if (!(message instanceof ConsensusMessage.VoteMessage m) || !(m.vote() instanceof CheckpointVote v)) return out;
        if (!v.verify(view.chainId())) return out;
        String key = poolKey(v);
        if (pool.containsKey(key)) return out;
        checkEquivocation(v, out);
        if (v.targetEpoch() <= voteFloor()) return out;
        pool.put(key, v);
        prunePool();
        checkLocalFinality(out);
        return out;
    }

    @Override
    public String describe() {
        Header head = view.head();
        return "dpos slot " + ValidatorSeals.slotOf(head) + " head " + head.height() + " final " + view.finalized().height()
                + " votes signed " + votesSigned + " pooled " + pool.size() + " local finalizations " + localFinalizations;
    }

    // ---------------------------------------------------------------- head changes

    private void onNewHead(List<Action> out) {
        Header head = view.head();
        if (head.height() == 0) return;
        noteProposals(head, out);
        if (head.seal() instanceof ValidatorSeal seal) {
            for (Vote carried : seal.votes()) {
                // Kept in the pool: a branch that wins later may not carry them yet (they leave at finality).
                if (carried instanceof CheckpointVote c) {
                    checkEquivocation(c, out);
                    pool.putIfAbsent(poolKey(c), c);
                }
            }
        }
        voteOn(head, out);
        prunePool();
        checkLocalFinality(out);
    }

    /** Signs (source: the head's justified block, target: the head) if this node is an active producer; gossips it. */
    private void voteOn(Header head, List<Action> out) {
        Hash hash = view.headHash();
        if (signer == null || hash.equals(lastVotedHead)) return;
        lastVotedHead = hash;
        StateReader state = view.headState();
        if (!engine.activeAt(state, head, ValidatorSeals.slotOf(head) + 1).contains(signer.key())) return;
        BlockRef source = DposEngine.justifiedIn(state);
        if (source.height() >= head.height()) return;
        CheckpointVote unsigned = new CheckpointVote(source.height(), source.hash(), head.height(), hash, signer.key(), ValidatorSeal.UNSIGNED);
        Optional<Vote> signed = signer.signVote(unsigned);
        if (signed.isEmpty()) {
            out.add(new Action.Log("dpos: slashing protection refused a vote " + source.height() + " -> " + head.height()));
            return;
        }
        CheckpointVote vote = (CheckpointVote) signed.get();
        votesSigned++;
        ownVotes.addLast(vote);
        if (ownVotes.size() > OWN_VOTES_RESENT) ownVotes.removeFirst();
        remember(vote);
        pool.put(poolKey(vote), vote);
        out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(vote)));
    }

    /**
     * Applies the chain's FFG rule to the gossiped votes before any block carries them. Starting from the head's
     * justified block J, any block T of the canonical chain that more than 2/3 of the active producers linked from a
     * justified block j (an ancestor of T) is justified too; a justified j whose child more than 2/3 linked from j is
     * final. The newest such j above the final block is finalized ({@code Action.Finalize}). This lets a node that
     * missed the blocks carrying the votes (or whose branch has not counted them yet) learn irreversibility from votes.
     */
    private void checkLocalFinality(List<Action> out) {
        Header head = view.head();
        if (head.height() == 0) return;
        StateReader state = view.headState();
        BlockRef j = DposEngine.justifiedIn(state);
        long finalHeight = view.finalized().height();
        List<PublicKey> active = engine.activeAt(state, head, ValidatorSeals.slotOf(head) + 1);
        HeaderAncestry canonical = view.ancestry(view.headHash(), head.height());
        // source hash -> target height -> distinct voters; only links between canonical blocks from J upwards count
        Map<String, Map<Long, Set<PublicKey>>> links = new HashMap<>();
        for (CheckpointVote v : pool.values()) {
            if (v.targetEpoch() > head.height() || v.sourceEpoch() < j.height()) continue;
            if (!active.contains(v.validator()) || Bonds.get(state, v.validator().address()).map(Bond::slashed).orElse(false)) continue;
            if (!canonical.headerAt(v.targetEpoch()).hash().equals(v.targetHash())) continue;
            if (!canonical.headerAt(v.sourceEpoch()).hash().equals(v.sourceHash())) continue;
            links.computeIfAbsent(v.sourceHash().toHex(), h -> new TreeMap<>())
                    .computeIfAbsent(v.targetEpoch(), h -> new HashSet<>()).add(v.validator());
        }
        // Canonical justified blocks in height order: every link starts at one and ends above it.
        TreeMap<Long, Hash> justified = new TreeMap<>();
        if (canonical.headerAt(j.height()).hash().equals(j.hash())) justified.put(j.height(), j.hash());
        BlockRef newestFinal = null;
        for (Long h = justified.isEmpty() ? null : justified.firstKey(); h != null; h = justified.higherKey(h)) {
            Map<Long, Set<PublicKey>> targets = links.getOrDefault(justified.get(h).toHex(), Map.of());
            for (var t : targets.entrySet()) {
                if (t.getKey() <= h || !Checkpoints.supermajority(t.getValue().size(), active.size())) continue;
                justified.putIfAbsent(t.getKey(), canonical.headerAt(t.getKey()).hash());
                if (t.getKey() == h + 1 && h > finalHeight) newestFinal = new BlockRef(h, justified.get(h));
            }
        }
        if (newestFinal == null) return;
        localFinalizations++;
        out.add(new Action.Finalize(newestFinal));
    }

    // ---------------------------------------------------------------- equivocation

    /** Notes the proposals of the head and of the ancestors a reorganisation may have brought in (up to the first one seen). */
    private void noteProposals(Header head, List<Action> out) {
        Header h = head;
        for (int i = 0; i < MAX_PROPOSALS_WALKED && h.height() > 0; i++) {
            if (!noteProposal(h, out)) return;
            Optional<Header> parent = view.header(h.parentHash());
            if (parent.isEmpty()) return;
            h = parent.get();
        }
    }

    /** False if exactly this proposal was noted before. */
    private boolean noteProposal(Header header, List<Action> out) {
        ProposalSignature p = HeaderCodec.proposalSignature(header);
        String key = p.validator().toHex() + "/" + p.height() + "/" + p.slot();
        ProposalSignature earlier = proposals.get(key);
        if (earlier == null) {
            proposals.put(key, p);
            if (proposals.size() > MAX_REMEMBERED_PROPOSALS) proposals.remove(proposals.keySet().iterator().next());
            return true;
        }
        if (earlier.conflictsWith(p)) {
            accuse(earlier, p, out);
            return true;
        }
        return false;
    }

    private void checkEquivocation(CheckpointVote v, List<Action> out) {
        Deque<CheckpointVote> seen = recent.get(v.validator());
        if (seen != null) {
            for (CheckpointVote earlier : seen) {
                if (earlier.conflictsWith(v) && v.verify(view.chainId()) && earlier.verify(view.chainId())) {
                    accuse(earlier, v, out);
                    return;
                }
            }
        }
        remember(v);
    }

    private void remember(CheckpointVote v) {
        Deque<CheckpointVote> seen = recent.computeIfAbsent(v.validator(), k -> new ArrayDeque<>());
        if (seen.contains(v)) return;
        seen.addLast(v);
        if (seen.size() > MAX_REMEMBERED_PER_VOTER) seen.removeFirst();
    }

    private void accuse(Vote a, Vote b, List<Action> out) {
        if (!accused.add(a.validator())) return;
        out.add(new Action.Log("dpos: " + a.validator().address() + " equivocated; submitting evidence"));
        out.add(new Action.SubmitEvidence(EvidenceCheck.of(a, b)));
    }

    // ---------------------------------------------------------------- pool

    private static String poolKey(CheckpointVote v) {
        return v.validator().toHex() + "/" + v.targetEpoch() + "/" + v.targetHash().toHex() + "/" + v.sourceEpoch() + "/" + v.sourceHash().toHex();
    }

    /**
     * The height at or below which no vote can matter any more: the lower of this node's final block and the
     * irreversible block its head's state records. Votes for targets between the two are still needed: local finality
     * can run ahead of the chain's state, and the chain's own justification must still catch up with those votes (its
     * producers may already have signed newer sources, so they cannot vote for it again).
     */
    private long voteFloor() {
        long recorded = view.head().height() == 0 ? 0 : DposState.finality(view.headState()).irreversible().height();
        return Math.min(view.finalized().height(), recorded);
    }

    /**
     * Drops votes that can no longer count on any branch (target at or below {@link #voteFloor}); bounds the pool, oldest
     * first. Votes from an older source than the head's justified block stay: a branch that wins later may still
     * need them to catch up with the justification of this one.
     */
    private void prunePool() {
        long floor = voteFloor();
        pool.values().removeIf(v -> v.targetEpoch() <= floor);
        while (pool.size() > MAX_POOL) pool.remove(pool.keySet().iterator().next());
    }
}
