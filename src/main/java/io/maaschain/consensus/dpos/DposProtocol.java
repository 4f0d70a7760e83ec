package io.maaschain.consensus.dpos;

import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.EvidenceCheck;
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
        if (signer != null && slot > DposEngine.slotOf(head) && slot > lastProposedSlot && nowMillis >= params.slotTime(slot)) {
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
        out.add(new Action.WakeAt(params.slotTime(slot + 1)));
        return out;
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
        if (v.targetEpoch() <= view.finalized().height()) return out;
        pool.put(key, v);
        prunePool();
        checkLocalFinality(out);
        return out;
    }

    @Override
    public String describe() {
        Header head = view.head();
        return "dpos slot " + DposEngine.slotOf(head) + " head " + head.height() + " final " + view.finalized().height()
                + " votes signed " + votesSigned + " pooled " + pool.size() + " local finalizations " + localFinalizations;
    }

    // ---------------------------------------------------------------- head changes

    private void onNewHead(List<Action> out) {
        Header head = view.head();
        if (head.height() == 0) return;
        noteProposals(head, out);
        if (head.seal() instanceof ValidatorSeal seal) {
            for (Vote carried : seal.votes()) {
                if (carried instanceof CheckpointVote c) {
                    checkEquivocation(c, out);
                    pool.remove(poolKey(c));
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
        if (!engine.activeAt(state, head, DposEngine.slotOf(head) + 1).contains(signer.key())) return;
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
        remember(vote);
        pool.put(poolKey(vote), vote);
        out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(vote)));
    }

    /**
     * Finalizes the head's justified block J locally once more than 2/3 of the active producers have gossiped votes
     * linking J to one child of J: the chain's own rule, applied before a block carries the votes.
     */
    private void checkLocalFinality(List<Action> out) {
        Header head = view.head();
        if (head.height() == 0) return;
        StateReader state = view.headState();
        BlockRef j = DposEngine.justifiedIn(state);
        if (j.height() <= view.finalized().height()) return;
        List<PublicKey> active = engine.activeAt(state, head, DposEngine.slotOf(head) + 1);
        Map<Hash, Set<PublicKey>> byChild = new HashMap<>();
        for (CheckpointVote v : pool.values()) {
            if (v.sourceEpoch() != j.height() || !v.sourceHash().equals(j.hash()) || v.targetEpoch() != j.height() + 1) continue;
            if (!active.contains(v.validator()) || Bonds.get(state, v.validator().address()).map(Bond::slashed).orElse(false)) continue;
            byChild.computeIfAbsent(v.targetHash(), h -> new HashSet<>()).add(v.validator());
        }
        for (var e : byChild.entrySet()) {
            if (!Checkpoints.supermajority(e.getValue().size(), active.size())) continue;
            Optional<Header> child = view.header(e.getKey());
            if (child.isEmpty() || !child.get().parentHash().equals(j.hash())) continue;
            localFinalizations++;
            out.add(new Action.Finalize(j));
            return;
        }
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

    /** Drops votes that can no longer count (target at or below the final block, or below the justified source); bounds the pool. */
    private void prunePool() {
        long finalHeight = view.finalized().height();
        long justified = view.head().height() == 0 ? 0 : DposEngine.justifiedIn(view.headState()).height();
        pool.values().removeIf(v -> v.targetEpoch() <= finalHeight || v.sourceEpoch() < justified);
        while (pool.size() > MAX_POOL) pool.remove(pool.keySet().iterator().next());
    }
}
