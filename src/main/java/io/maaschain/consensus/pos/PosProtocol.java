package io.maaschain.consensus.pos;

import io.maaschain.consensus.ValidatorSeals;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.state.StateReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One proof-of-stake validator (or observer, without a signer): proposes in the slots the head state gives it, votes
 * once per epoch for the epoch's checkpoint on its head, gossips its votes and carries others' in its blocks, and turns
 * equivocation it sees (two conflicting votes, two headers for one slot) into evidence. Deterministic: the only inputs
 * are the time, the chain view and messages; collections iterate in insertion or key order.
 */
public final class PosProtocol implements ConsensusProtocol {
    static final int MAX_PENDING = 4096;
    /** Distinct votes kept per (target epoch, validator): an equivocator's twins must not crowd out its countable vote. */
    static final int MAX_PENDING_PER_VALIDATOR_EPOCH = 4;
    static final int MAX_SEEN_PER_VALIDATOR = 16;
    static final int MAX_SEEN_PROPOSALS = 1024;
    /** How far back from a new head the proposals of blocks a reorganisation brought in are checked for equivocation. */
    static final int MAX_PROPOSALS_WALKED = 64;

    private final PosEngine engine;
    private final PosParams params;
    private final ChainView chain;
    private final ValidatorSigner signer;
    private final RandaoOnion onion;
    /** Votes not known to be counted yet, in (target epoch, validator) order so that blocks carry them deterministically. */
    private final TreeMap<String, CheckpointVote> pending = new TreeMap<>();
    private final Map<Address, List<CheckpointVote>> seenVotes = new LinkedHashMap<>();
    private final Map<String, ProposalSignature> seenProposals = new LinkedHashMap<>();
    /** Offenders already reported: one piece of evidence slashes everything, later ones would only fail. */
    private final Set<PublicKey> reported = new LinkedHashSet<>();
    private long lastProposedSlot = -1;
    private long lastVotedEpoch = 0;
    /** This validator's votes that blocks may still carry: gossiped again once per slot until its head counts them. */
    private final List<CheckpointVote> ownVotes = new ArrayList<>();
    private long nextRegossip = Long.MIN_VALUE;
    /** The epoch whose vote slashing protection last refused (logged once; the vote is retried as the head moves). */
    private long refusedEpoch = -1;
    private long currentSlot = 0;

    /** {@code signer} and {@code onion} (the validator's key's onion) are null on a node that only follows the chain. */
    public PosProtocol(PosEngine engine, ChainView chain, ValidatorSigner signer, RandaoOnion onion) {
        if ((signer == null) != (onion == null)) throw new IllegalArgumentException("a validator needs both its signer and its onion");
        this.engine = engine;
        this.params = engine.params();
        this.chain = chain;
        this.signer = signer;
        this.onion = onion;
    }

    @Override
    public List<Action> start(long nowMillis) {
        return step(nowMillis);
    }

    @Override
    public List<Action> onTick(long nowMillis) {
        return step(nowMillis);
    }

    @Override
    public List<Action> onHeadChanged(long nowMillis) {
        List<Action> out = new ArrayList<>();
        observeBranch(out);
        out.addAll(step(nowMillis));
        return out;
    }

    @Override
    public List<Action> onMessage(ConsensusMessage message, long nowMillis) {
        List<Action> out = new ArrayList<>();
        if (message instanceof ConsensusMessage.VoteMessage m) {
            switch (m.vote()) {
                case CheckpointVote v -> receive(v, out);
                case ProposalSignature p -> {
                    if (p.verify(chain.chainId())) checkProposal(p, out);
                }
                default -> { } // round votes belong to bft
            }
        }
        if (!out.isEmpty()) out.addAll(step(nowMillis));
        return out;
    }

    @Override
    public List<Action> onOwnProposal(Block block, long nowMillis) {
        List<Action> out = new ArrayList<>();
        observe(block.header(), out);
        return out;
    }

    private List<Action> step(long now) {
        List<Action> out = new ArrayList<>();
        currentSlot = params.slotAt(now);
        prune();
        long wake = params.slotStart(currentSlot + 1);
        if (signer != null) {
            wake = Math.min(wake, vote(now, out));
            wake = Math.min(wake, regossip(now, out));
            wake = Math.min(wake, propose(now, out));
        }
        out.add(new Action.WakeAt(wake));
        return out;
    }

    /**
     * Votes for the current epoch's checkpoint once it is known; returns when to look again if it is not known yet.
     * The checkpoint is known once the head's branch holds a block of this epoch (a vote cast before the boundary block
     * arrives names its parent and can never count). The vote also waits for the previous epoch's justification, since
     * a block counts only votes whose source is its branch's latest justified checkpoint. Neither wait lasts beyond
     * half the epoch: the vote can still be included in this epoch and the next.
     */
    private long vote(long now, List<Action> out) {
        long epoch = params.epochOf(currentSlot);
        if (epoch <= lastVotedEpoch) return Long.MAX_VALUE;
        long first = params.firstSlot(epoch);
        Header head = chain.head();
        StateReader state = chain.headState();
        Checkpoint source = head.height() == 0 ? new Checkpoint(0, new BlockRef(0, chain.headHash())) : engine.justified(state);
        long waitUntil = params.slotStart(first) + params.epochSlots() * params.slotMillis() / 2;
        boolean checkpointKnown = ValidatorSeals.slotOf(head) >= first;
        boolean sourceFresh = source.epoch() >= epoch - 1;
        if ((!checkpointKnown || !sourceFresh) && now < waitUntil) return waitUntil;
        if (source.epoch() >= epoch || engine.setAt(state, first).member(signer.key().address()).isEmpty()) {
            lastVotedEpoch = epoch;
            return Long.MAX_VALUE;
        }
        Hash target = checkpointOnHead(first);
        CheckpointVote unsigned = new CheckpointVote(source.epoch(), source.hash(), epoch, target, signer.key(), ValidatorSeal.UNSIGNED);
        Optional<Vote> signed = signer.signVote(unsigned);
        if (signed.isEmpty()) {
            // Usually: this validator voted with a newer source on a branch it has left. Once this branch justifies
            // that source (it may count the votes that did it on the other branch), a vote becomes possible again.
            if (refusedEpoch != epoch) {
                refusedEpoch = epoch;
                out.add(new Action.Log("slashing protection refused a vote for epoch " + epoch + " (source epoch " + source.epoch()
                        + "); retrying while the epoch lasts"));
            }
            return Long.MAX_VALUE;
        }
        lastVotedEpoch = epoch;
        CheckpointVote v = (CheckpointVote) signed.get();
        remember(v, out);
        addPending(v);
        ownVotes.add(v);
        if (ownVotes.size() > CasperFfg.INCLUSION_EPOCHS + 1) ownVotes.removeFirst();
        nextRegossip = now + params.slotMillis();
        out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v)));
        return Long.MAX_VALUE;
    }

    /**
     * Gossips this validator's votes again, at most once per slot, while blocks can still carry them and the head's
     * branch has not counted them: a vote lost to a drop or a partition, or counted only on a branch that lost, would
     * otherwise never count. At most {@code INCLUSION_EPOCHS + 1} messages per slot.
     */
    private long regossip(long now, List<Action> out) {
        long oldest = params.epochOf(currentSlot) - CasperFfg.INCLUSION_EPOCHS;
        ownVotes.removeIf(v -> v.targetEpoch() < oldest);
        StateReader state = chain.headState();
        List<CheckpointVote> uncounted = ownVotes.stream()
                .filter(v -> !PosState.tally(state, v.targetEpoch()).hasVoted(v.validator().address())).toList();
        if (uncounted.isEmpty()) return Long.MAX_VALUE;
        if (now < nextRegossip) return nextRegossip;
        nextRegossip = now + params.slotMillis();
        for (CheckpointVote v : uncounted) {
            addPending(v);
            out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v)));
        }
        return nextRegossip;
    }

    /** The hash of the last block on the head's branch whose slot is at most {@code slot}. */
    private Hash checkpointOnHead(long slot) {
        Header h = chain.head();
        Hash hash = chain.headHash();
        while (ValidatorSeals.slotOf(h) > slot) {
            hash = h.parentHash();
            h = chain.header(hash).orElseThrow(() -> new IllegalStateException("the head's ancestor is missing"));
        }
        return hash;
    }

    /** Proposes if this validator owns the current slot on its head; returns when to look again if it waits for the previous block. */
    private long propose(long now, List<Action> out) {
        long slot = currentSlot;
        Header head = chain.head();
        if (slot <= lastProposedSlot || ValidatorSeals.slotOf(head) >= slot) return Long.MAX_VALUE;
        StateReader state = chain.headState();
        PublicKey me = signer.key();
        if (!engine.proposerAt(state, slot).map(me::equals).orElse(false)) return Long.MAX_VALUE;
        long waitUntil = params.slotStart(slot) + params.slotMillis() / 2;
        // Give the previous slot's block half a slot to arrive, so as not to fork it away.
        if (ValidatorSeals.slotOf(head) < slot - 1 && now < waitUntil) return waitUntil;
        Optional<Hash> reveal = onion.reveal(engine.revealCount(state, me));
        lastProposedSlot = slot;
        if (reveal.isEmpty()) {
            out.add(new Action.Log("cannot propose at slot " + slot + ": this validator's RANDAO onion is used up"));
            return Long.MAX_VALUE;
        }
        ValidatorSeal bare = new ValidatorSeal(slot, me, reveal.get(), List.of(), ValidatorSeal.UNSIGNED);
        Header probe = new Header(head.height() + 1, chain.headHash(), params.slotStart(slot), Hash.ZERO, Hash.ZERO, me.address(), 0, bare);
        List<Vote> votes;
        try {
            votes = engine.includableVotes(state, probe, List.copyOf(pending.values()));
        } catch (Rejection r) {
            out.add(new Action.Log("not proposing at slot " + slot + ": " + r));
            return Long.MAX_VALUE;
        }
        out.add(new Action.Propose(chain.headHash(), params.slotStart(slot), new ValidatorSeal(slot, me, reveal.get(), votes, ValidatorSeal.UNSIGNED), true));
        return Long.MAX_VALUE;
    }

    private void receive(CheckpointVote v, List<Action> out) {
        if (v.targetEpoch() + CasperFfg.INCLUSION_EPOCHS < params.epochOf(currentSlot)) return;
        if (!engine.isValidator(chain.headState(), v.validator())) return;
        if (!v.verify(chain.chainId())) return;
        remember(v, out);
        addPending(v);
    }

    /** Keeps {@code v} for inclusion, within the bounds (in total, and per validator and target epoch). */
    private void addPending(CheckpointVote v) {
        if (pending.size() >= MAX_PENDING) return;
        String key = pendingKey(v);
        if (pending.containsKey(key)) return;
        String prefix = pendingPrefix(v);
        if (pending.subMap(prefix, prefix + "~").size() >= MAX_PENDING_PER_VALIDATOR_EPOCH) return;
        pending.put(key, v);
    }

    /** Records a validly signed vote and reports it if it conflicts with one seen before. */
    private void remember(CheckpointVote v, List<Action> out) {
        List<CheckpointVote> seen = seenVotes.computeIfAbsent(v.validator().address(), a -> new ArrayList<>());
        for (CheckpointVote s : seen) {
            if (s.equals(v)) return;
            if (s.conflictsWith(v)) report(v.validator(), EvidenceCheck.of(s, v), "conflicting checkpoint votes of " + v.validator(), out);
        }
        seen.add(v);
        if (seen.size() > MAX_SEEN_PER_VALIDATOR) seen.removeFirst();
    }

    /**
     * Observes the new head and the blocks a reorganisation brought in below it, back to the first block seen before:
     * a twin block may enter the canonical chain in the middle of a reorganisation and never be the head itself.
     */
    private void observeBranch(List<Action> out) {
        Header h = chain.head();
        for (int i = 0; i < MAX_PROPOSALS_WALKED && h.height() > 0; i++) {
            if (!observe(h, out)) return;
            Optional<Header> parent = chain.header(h.parentHash());
            if (parent.isEmpty()) return;
            h = parent.get();
        }
    }

    /** Checks a block's proposal and the votes it carries; false if exactly this block was observed before. */
    private boolean observe(Header h, List<Action> out) {
        if (h.height() == 0 || !(h.seal() instanceof ValidatorSeal seal)) return false;
        if (!checkProposal(HeaderCodec.proposalSignature(h), out)) return false;
        for (Vote v : seal.votes()) {
            if (v instanceof CheckpointVote c) {
                remember(c, out); // counted by the block, so validly signed
                if (c.targetEpoch() + CasperFfg.INCLUSION_EPOCHS >= params.epochOf(currentSlot)) addPending(c); // for a branch that lacks it
            }
        }
        return true;
    }

    /** Records a validly signed proposal statement, reporting a conflict; false if exactly this statement was seen before. */
    private boolean checkProposal(ProposalSignature p, List<Action> out) {
        String key = p.validator().toHex() + "/" + p.height() + "/" + p.slot();
        ProposalSignature earlier = seenProposals.putIfAbsent(key, p);
        if (earlier == null) {
            if (seenProposals.size() > MAX_SEEN_PROPOSALS) seenProposals.remove(seenProposals.keySet().iterator().next());
            return true;
        }
        if (earlier.equals(p)) return false;
        if (earlier.conflictsWith(p)) report(p.validator(), EvidenceCheck.of(earlier, p), "two headers from " + p.validator() + " for slot " + p.slot(), out);
        return true;
    }

    private void report(PublicKey offender, Evidence e, String what, List<Action> out) {
        if (!reported.add(offender)) return;
        out.add(new Action.Log("equivocation: " + what + "; submitting evidence"));
        out.add(new Action.SubmitEvidence(e));
    }

    private void prune() {
        long oldest = params.epochOf(currentSlot) - CasperFfg.INCLUSION_EPOCHS;
        pending.values().removeIf(v -> v.targetEpoch() < oldest);
        // Twins of final blocks are still slashable: keep statements a while below the final height too.
        long keepFrom = chain.finalized().height() - MAX_PROPOSALS_WALKED;
        seenProposals.values().removeIf(p -> p.height() < keepFrom);
    }

    /** Orders pending votes by target epoch, then validator; distinct votes of one validator for one epoch are kept apart. */
    private static String pendingKey(CheckpointVote v) {
        return pendingPrefix(v) + "/" + String.format("%020d", v.sourceEpoch()) + "/" + v.sourceHash() + "/" + v.targetHash();
    }

    private static String pendingPrefix(CheckpointVote v) {
        return String.format("%020d/%s", v.targetEpoch(), v.validator().toHex());
    }


    @Override
    public String describe() {
        Header head = chain.head();
        return "pos " + (signer == null ? "observer" : "validator " + signer.key().address()) + ": slot " + currentSlot + " (epoch "
                + params.epochOf(currentSlot) + "), head " + head.height() + " at slot " + ValidatorSeals.slotOf(head) + ", final " + chain.finalized().height()
                + ", last vote for epoch " + lastVotedEpoch + ", " + pending.size() + " votes pending"
                + (refusedEpoch > lastVotedEpoch ? ", votes refused by slashing protection since epoch " + refusedEpoch : "");
    }
}
