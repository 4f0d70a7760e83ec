package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteWriter;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.util.List;

/**
 * What a block does to the proof-of-stake state before its transactions: records the checkpoints its parent is the
 * boundary block of, enters a new epoch (snapshotting the set after it), releases matured unbonding stake, checks that
 * the proposer owns the slot and that its reveal opens its onion by one layer, mixes the reveal in, and counts the FFG
 * votes it carries.
 */
final class PosBlockRules {
    private final PosParams params;
    private final CasperFfg ffg;

    PosBlockRules(PosParams params) {
        this.params = params;
        this.ffg = new CasperFfg(params.chainId());
    }

    /** Where {@link #prepare} leaves a block: its epoch, the updated sets and finality record, and the mix before its reveal. */
    record Prepared(long epoch, EpochSets sets, FinalityRecord finality, Hash mix) {}

    void begin(WorldState state, Header h) throws Rejection {
        WorldState layer = state.child();
        ValidatorSeal seal = sealOf(h);
        Prepared p = prepare(layer, h);
        FinalityRecord fin = p.finality();
        for (Vote v : seal.votes()) fin = ffg.count(layer, p.sets(), fin, p.finality().justified(), v, p.epoch());
        PosState.put(layer, p.sets());
        PosState.put(layer, fin);
        PosState.put(layer, new SlotRecord(seal.slot(), p.epoch(), mix(p.mix(), seal.reveal())));
        layer.mergeIntoParent();
    }

    /**
     * The subset of {@code candidates}, in order, that a block {@code h} (its seal without votes) can carry: each is
     * tried on top of the ones accepted before it, exactly as {@link #begin} will count them. At most {@link ValidatorSeal#MAX_VOTES}.
     */
    List<Vote> includable(StateReader parentState, Header h, List<? extends Vote> candidates) throws Rejection {
        WorldState layer = new WorldState(parentState);
        Prepared p = prepare(layer, h);
        FinalityRecord fin = p.finality();
        List<Vote> out = new java.util.ArrayList<>();
        for (Vote v : candidates) {
            if (out.size() == ValidatorSeal.MAX_VOTES) break;
            WorldState trial = layer.child();
            try {
                fin = ffg.count(trial, p.sets(), fin, p.finality().justified(), v, p.epoch());
                trial.mergeIntoParent();
                out.add(v);
            } catch (Rejection ignored) {
                // Not countable on this branch (stale source, already counted, foreign): leave it out.
            }
        }
        return out;
    }

    /** Everything but the votes; writes reveal and bond changes into {@code layer}, returns the rest. */
    Prepared prepare(WorldState layer, Header h) throws Rejection {
        ValidatorSeal seal = sealOf(h);
        SlotRecord last = PosState.slot(layer);
        long slot = seal.slot();
        if (slot <= last.lastSlot()) throw new Rejection(RejectCode.INVALID_SEAL, "slot " + slot + " does not follow the parent's slot " + last.lastSlot());
        if (slot > params.maxSlot()) throw new Rejection(RejectCode.INVALID_SEAL, "slot " + slot + " is too far in the future");
        long epoch = params.epochOf(slot);
        long oldestKept = Math.max(0, epoch - CasperFfg.INCLUSION_EPOCHS);

        FinalityRecord fin = PosState.finality(layer);
        if (h.height() == 1) {
            // Genesis is the first justified and final checkpoint; its hash is known only from block 1 on.
            Checkpoint genesis = new Checkpoint(0, new BlockRef(0, h.parentHash()));
            fin = fin.withJustified(genesis).withFinalized(genesis);
        }
        // The parent is the boundary block of every epoch whose first slot lies in [parent's slot, this slot).
        long from = Math.max(Math.ceilDiv(last.lastSlot(), params.epochSlots()), oldestKept);
        for (long e = from; e <= (slot - 1) / params.epochSlots(); e++) {
            fin = fin.withCheckpoint(new Checkpoint(e, new BlockRef(h.height() - 1, h.parentHash())), oldestKept);
        }
        fin = fin.pruned(oldestKept);

        EpochSets sets = PosState.sets(layer);
        if (epoch > last.epoch()) {
            sets = sets.enter(epoch, snapshot(layer, epoch + 1, last.mix(), sets.next()));
            for (long e = Math.max(0, last.epoch() - CasperFfg.INCLUSION_EPOCHS); e <= last.epoch(); e++) {
                if (e < oldestKept) layer.delete(PosState.tallyKey(e));
            }
        }
        Bonds.releaseMatured(layer, h.height());

        ValidatorSet.Member proposer = sets.current().proposer(slot)
                .orElseThrow(() -> new Rejection(RejectCode.NOT_VALIDATOR, "epoch " + epoch + " has no validators"));
        if (!proposer.key().equals(seal.proposerKey()) || !proposer.address().equals(h.proposer())) {
            throw new Rejection(RejectCode.NOT_VALIDATOR, "slot " + slot + " belongs to " + proposer.address() + ", not " + h.proposer());
        }
        RevealRecord reveal = PosState.reveal(layer, proposer.address())
                .orElseThrow(() -> new Rejection(RejectCode.NOT_VALIDATOR, proposer.address() + " has no reveal commitment"));
        if (!RandaoOnion.follows(seal.reveal(), reveal.last())) {
            throw new Rejection(RejectCode.INVALID_SEAL, "reveal " + seal.reveal() + " does not hash to the proposer's last reveal " + reveal.last());
        }
        layer.put(PosState.revealKey(proposer.address()), new RevealRecord(seal.reveal(), Math.addExact(reveal.count(), 1)).encode());
        return new Prepared(epoch, sets, fin, last.mix());
    }

    /** The set for {@code epoch} from the bonds now; if nobody qualifies, the previous set carries forward so the chain can go on. */
    private ValidatorSet snapshot(StateReader state, long epoch, Hash seed, ValidatorSet fallback) {
        List<ValidatorSet.Member> members = PosState.snapshot(state, params.minStake());
        if (members.isEmpty()) members = fallback.members();
        long total = 0;
        for (ValidatorSet.Member m : members) total = Math.addExact(total, m.stake());
        return new ValidatorSet(epoch, seed, total, members);
    }

    static Hash mix(Hash mix, Hash reveal) {
        return Sha256.hash(new ByteWriter(2 * Hash.LENGTH).raw(mix.toBytes()).raw(reveal.toBytes()).toByteArray());
    }

    static ValidatorSeal sealOf(Header h) throws Rejection {
        if (!(h.seal() instanceof ValidatorSeal s)) throw new Rejection(RejectCode.INVALID_SEAL, "a proof-of-stake block needs a validator seal");
        return s;
    }
}
