package io.maaschain.consensus.pos;

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
    static final int MAX_SEEN_PER_VALIDATOR = 16;

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
        observe(chain.head(), out);
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
            wake = Math.min(wake, propose(now, out));
        }
        out.add(new Action.WakeAt(wake));
        return out;
    }

    /** Votes for the current epoch's checkpoint once it is known; returns when to look again if it is not known yet. */
    private long vote(long now, List<Action> out) {
        long epoch = params.epochOf(currentSlot);
        if (epoch <= lastVotedEpoch) return Long.MAX_VALUE;
        long first = params.firstSlot(epoch);
        Header head = chain.head();
        long waitUntil = params.slotStart(first) + params.slotMillis() / 2;
        // The boundary block is the block of the epoch's first slot: give it half a slot to arrive.
        if (slotOf(head) < first && now < waitUntil) return waitUntil;
        StateReader state = chain.headState();
        Checkpoint source = head.height() == 0 ? new Checkpoint(0, new BlockRef(0, chain.headHash())) : engine.justified(state);
        lastVotedEpoch = epoch;
        if (source.epoch() >= epoch) return Long.MAX_VALUE;
        if (engine.setAt(state, first).member(signer.key().address()).isEmpty()) return Long.MAX_VALUE;
        Hash target = checkpointOnHead(first);
        CheckpointVote unsigned = new CheckpointVote(source.epoch(), source.hash(), epoch, target, signer.key(), ValidatorSeal.UNSIGNED);
        Optional<Vote> signed = signer.signVote(unsigned);
        if (signed.isEmpty()) {
            out.add(new Action.Log("slashing protection refused a vote for epoch " + epoch + " (source epoch " + source.epoch() + ")"));
            return Long.MAX_VALUE;
        }
        CheckpointVote v = (CheckpointVote) signed.get();
        remember(v, out);
        pending.put(pendingKey(v), v);
        out.add(new Action.Broadcast(new ConsensusMessage.VoteMessage(v)));
        return Long.MAX_VALUE;
    }

    /** The hash of the last block on the head's branch whose slot is at most {@code slot}. */
    private Hash checkpointOnHead(long slot) {
        Header h = chain.head();
        Hash hash = chain.headHash();
        while (slotOf(h) > slot) {
            hash = h.parentHash();
            h = chain.header(hash).orElseThrow(() -> new IllegalStateException("the head's ancestor is missing"));
        }
        return hash;
    }

    /** Proposes if this validator owns the current slot on its head; returns when to look again if it waits for the previous block. */
    private long propose(long now, List<Action> out) {
        long slot = currentSlot;
        Header head = chain.head();
        if (slot <= lastProposedSlot || slotOf(head) >= slot) return Long.MAX_VALUE;
        StateReader state = chain.headState();
        PublicKey me = signer.key();
        if (!engine.proposerAt(state, slot).map(me::equals).orElse(false)) return Long.MAX_VALUE;
        long waitUntil = params.slotStart(slot) + params.slotMillis() / 2;
        // Give the previous slot's block half a slot to arrive, so as not to fork it away.
        if (slotOf(head) < slot - 1 && now < waitUntil) return waitUntil;
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
        if (v.targetEpoch() + 1 < params.epochOf(currentSlot)) return;
        if (!engine.isValidator(chain.headState(), v.validator())) return;
        if (!v.verify(chain.chainId())) return;
        remember(v, out);
        if (pending.size() < MAX_PENDING) pending.putIfAbsent(pendingKey(v), v);
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

    private void observe(Header h, List<Action> out) {
        if (h.height() == 0 || !(h.seal() instanceof ValidatorSeal seal)) return;
        checkProposal(HeaderCodec.proposalSignature(h), out);
        for (Vote v : seal.votes()) {
            if (v instanceof CheckpointVote c) remember(c, out); // counted by the block, so validly signed
        }
    }

    private void checkProposal(ProposalSignature p, List<Action> out) {
        String key = p.validator().toHex() + "/" + p.height() + "/" + p.slot();
        ProposalSignature earlier = seenProposals.putIfAbsent(key, p);
        if (earlier != null && earlier.conflictsWith(p)) report(p.validator(), EvidenceCheck.of(earlier, p), "two headers from " + p.validator() + " for slot " + p.slot(), out);
    }

    private void report(PublicKey offender, Evidence e, String what, List<Action> out) {
        if (!reported.add(offender)) return;
        out.add(new Action.Log("equivocation: " + what + "; submitting evidence"));
        out.add(new Action.SubmitEvidence(e));
    }

    private void prune() {
        long oldest = params.epochOf(currentSlot) - 1;
        pending.values().removeIf(v -> v.targetEpoch() < oldest);
        long finalHeight = chain.finalized().height();
        seenProposals.values().removeIf(p -> p.height() <= finalHeight);
    }

    private static String pendingKey(CheckpointVote v) {
        return String.format("%020d/%s", v.targetEpoch(), v.validator().toHex());
    }

    private static long slotOf(Header h) {
        return h.seal() instanceof ValidatorSeal s ? s.slot() : 0;
    }

    @Override
    public String describe() {
        Header head = chain.head();
        return "pos " + (signer == null ? "observer" : "validator " + signer.key().address()) + ": slot " + currentSlot + " (epoch "
                + params.epochOf(currentSlot) + "), head " + head.height() + " at slot " + slotOf(head) + ", final " + chain.finalized().height()
                + ", last vote for epoch " + lastVotedEpoch + ", " + pending.size() + " votes pending";
    }
}
