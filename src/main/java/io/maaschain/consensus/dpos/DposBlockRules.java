package io.maaschain.consensus.dpos;

import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.dpos.DposState.Finality;
import io.maaschain.consensus.dpos.DposState.Schedule;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dpos rules of a block that need its parent's state (docs/consensus-dpos.md): the schedule moved to the block's
 * slot, the proposer entitled to it, the checkpoint votes it carries, missed slots and the release of matured stake.
 */
final class DposBlockRules {
    private final DposParams params;

    DposBlockRules(DposParams params) {
        this.params = params;
    }

    /** What a block at {@code slot} on a state finds: the schedule after its slot, and its entitled producer. */
    record Slot(Rounds.Advance advance, Finality finality, PublicKey producer) {}

    /**
     * Moves {@code layer} (the parent's state) to the start of a block at {@code height} and {@code slot} whose parent is
     * {@code parentHash}: fills in the genesis hash at height 1, records the parent as an ancestor, and advances the
     * schedule. Writes the ancestor and genesis fix-up into {@code layer}; the schedule is returned, not written.
     */
    Slot enter(WorldState layer, long height, Hash parentHash, long slot) {
        Finality fin = DposState.finality(layer);
        if (height == 1 && fin.justified().hash().equals(Hash.ZERO)) {
            BlockRef genesis = new BlockRef(0, parentHash);
            fin = new Finality(genesis, fin.irreversible().height() == 0 ? genesis : fin.irreversible(), fin.tallies());
        }
        layer.put(DposState.ancestorKey(height - 1), parentHash.toBytes());
        long expired = height - 2 - Checkpoints.VOTE_WINDOW;
        if (expired >= 0 && layer.get(DposState.ancestorKey(expired)) != null) layer.delete(DposState.ancestorKey(expired));
        Schedule schedule = DposState.schedule(layer);
        Rounds.Advance adv = Rounds.advance(schedule, slot, height, params.blocksPerProducer(), fin.irreversible().height(),
                Rounds.elect(Rounds.candidates(layer), params.activeProducers()));
        if (adv.activated()) fin = new Finality(fin.justified(), fin.irreversible(), List.of());
        Schedule s = adv.schedule();
        return new Slot(adv, fin, Rounds.producerAt(s.active(), s.roundStart(), params.blocksPerProducer(), slot));
    }

    /**
     * The state rules of a block: its proposer owns its slot and is not slashed, its votes count (see
     * {@link Checkpoints#problem}); then it charges skipped slots, counts the votes, releases matured unbonding stake.
     * All writes go to a layer merged only when every check passed.
     */
    void begin(WorldState state, Header header) throws Rejection {
        if (!(header.seal() instanceof ValidatorSeal seal)) throw new Rejection(RejectCode.INVALID_SEAL, "a dpos block needs a validator seal");
        WorldState layer = state.child();
        Schedule before = DposState.schedule(layer);
        if (seal.slot() <= before.lastSlot()) {
            throw new Rejection(RejectCode.INVALID_SEAL, "slot " + seal.slot() + " does not follow the last block's slot " + before.lastSlot());
        }
        Slot slot = enter(layer, header.height(), header.parentHash(), seal.slot());
        if (!slot.producer().address().equals(header.proposer())) {
            throw new Rejection(RejectCode.NOT_VALIDATOR, "slot " + seal.slot() + " belongs to " + slot.producer().address() + ", not " + header.proposer());
        }
        if (Bonds.get(layer, header.proposer()).map(Bond::slashed).orElse(false)) {
            throw new Rejection(RejectCode.NOT_VALIDATOR, "producer " + header.proposer() + " was slashed");
        }
        List<CheckpointVote> votes = new ArrayList<>();
        for (Vote v : seal.votes()) {
            if (!(v instanceof CheckpointVote c)) throw new Rejection(RejectCode.INVALID_SEAL, "a dpos seal carries only checkpoint votes");
            votes.add(c);
        }
        if (Checkpoints.hasDuplicates(votes)) throw new Rejection(RejectCode.INVALID_SEAL, "the seal carries one producer's vote for one height twice");
        List<PublicKey> active = slot.advance().schedule().active();
        for (CheckpointVote v : votes) {
            Optional<String> problem = Checkpoints.problem(layer, slot.finality(), active, params.chainId(), header.height(), v);
            if (problem.isPresent()) throw new Rejection(RejectCode.INVALID_SEAL, problem.get());
        }
        Map<Address, Long> missed = new HashMap<>(DposState.missedSlots(layer));
        slot.advance().missed().forEach((a, n) -> missed.merge(a, n, Long::sum));
        DposState.putMissedSlots(layer, missed);
        DposState.putSchedule(layer, slot.advance().schedule());
        DposState.putFinality(layer, Checkpoints.count(slot.finality(), votes, active.size(), header.height()));
        Bonds.releaseMatured(layer, header.height());
        layer.mergeIntoParent();
    }

    /**
     * The votes from {@code pool} that a block at {@code slot} on this head may carry, at most
     * {@link ValidatorSeal#MAX_VOTES}, in a deterministic order (target height, then voter).
     */
    List<CheckpointVote> includable(StateReader headState, Header head, long slot, Collection<CheckpointVote> pool) {
        WorldState scratch = new WorldState(headState);
        Slot s = enter(scratch, head.height() + 1, head.hash(), slot);
        List<CheckpointVote> sorted = new ArrayList<>(pool);
        sorted.sort(Comparator.comparingLong(CheckpointVote::targetEpoch).thenComparing(v -> v.validator().address()));
        List<CheckpointVote> out = new ArrayList<>();
        for (CheckpointVote v : sorted) {
            if (out.size() >= ValidatorSeal.MAX_VOTES) break;
            if (Checkpoints.hasDuplicates(concat(out, v))) continue;
            if (Checkpoints.problem(scratch, s.finality(), s.advance().schedule().active(), params.chainId(), head.height() + 1, v).isEmpty()) out.add(v);
        }
        return out;
    }

    private static List<CheckpointVote> concat(List<CheckpointVote> list, CheckpointVote v) {
        List<CheckpointVote> out = new ArrayList<>(list);
        out.add(v);
        return out;
    }
}
