package io.maaschain.consensus.dpos;

import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.dpos.DposState.Finality;
import io.maaschain.consensus.dpos.DposState.Tally;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.state.StateReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Irreversibility by Casper FFG checkpoint votes with one epoch per block height (docs/consensus-dpos.md, "Last
 * irreversible block"). A vote counts on a branch if it links the branch's justified block (source) to one of the
 * branch's recent blocks above it (target). When more than 2/3 of the active producers have linked the justified block
 * J to a target T, T becomes justified; if T is J's child, J becomes irreversible.
 */
public final class Checkpoints {
    /** How far below the block that carries it a vote's target may lie (older votes cannot matter any more). */
    public static final int VOTE_WINDOW = 128;

    private Checkpoints() {}

    /** More than 2/3 of {@code scheduleSize}. */
    public static boolean supermajority(int votes, int scheduleSize) {
        return 3L * votes > 2L * scheduleSize;
    }

    /**
     * Why {@code v} cannot be counted by a block at {@code height} on the branch whose state (before that block's votes)
     * is {@code state}, with {@code active} scheduled, or empty if it can. {@code state} must already record the hash
     * of the parent (height - 1) as an ancestor.
     */
    public static Optional<String> problem(StateReader state, Finality fin, List<PublicKey> active, long chainId, long height, CheckpointVote v) {
        if (!active.contains(v.validator())) return Optional.of("voter " + v.validator().address() + " is not in the active schedule");
        if (Bonds.get(state, v.validator().address()).map(Bond::slashed).orElse(false)) {
            return Optional.of("voter " + v.validator().address() + " was slashed");
        }
        BlockRef j = fin.justified();
        if (v.sourceEpoch() != j.height() || !v.sourceHash().equals(j.hash())) {
            return Optional.of("vote source " + v.sourceEpoch() + "/" + v.sourceHash() + " is not this branch's justified block " + j.height() + "/" + j.hash());
        }
        if (v.targetEpoch() >= height || v.targetEpoch() < height - VOTE_WINDOW) {
            return Optional.of("vote target height " + v.targetEpoch() + " is outside [" + Math.max(0, height - VOTE_WINDOW) + ", " + (height - 1) + "]");
        }
        Optional<io.maaschain.crypto.Hash> onBranch = DposState.ancestor(state, v.targetEpoch());
        if (onBranch.isEmpty() || !onBranch.get().equals(v.targetHash())) {
            return Optional.of("vote target " + v.targetHash() + " at height " + v.targetEpoch() + " is not on this branch");
        }
        for (Tally t : fin.tallies()) {
            if (t.height() == v.targetEpoch() && t.voters().contains(v.validator().address())) {
                return Optional.of("vote by " + v.validator().address() + " for height " + v.targetEpoch() + " was already counted");
            }
        }
        if (!v.verify(chainId)) return Optional.of("vote by " + v.validator().address() + " has an invalid signature on this chain");
        return Optional.empty();
    }

    /**
     * Counts {@code votes} (each already admitted by {@link #problem}, distinct voter and target) into {@code fin} and
     * applies the FFG rule; tallies older than the vote window of a block at {@code height} are dropped.
     */
    public static Finality count(Finality fin, List<CheckpointVote> votes, int scheduleSize, long height) {
        TreeMap<Long, Tally> byHeight = new TreeMap<>();
        fin.tallies().forEach(t -> byHeight.put(t.height(), t));
        for (CheckpointVote v : votes) {
            Tally t = byHeight.getOrDefault(v.targetEpoch(), new Tally(v.targetEpoch(), v.targetHash(), List.of()));
            TreeSet<Address> voters = new TreeSet<>(t.voters());
            voters.add(v.validator().address());
            byHeight.put(t.height(), new Tally(t.height(), t.hash(), new ArrayList<>(voters)));
        }
        BlockRef j = fin.justified();
        Optional<Tally> newest = byHeight.values().stream().filter(t -> supermajority(t.voters().size(), scheduleSize))
                .max(Comparator.comparingLong(Tally::height));
        if (newest.isEmpty()) {
            List<Tally> kept = byHeight.values().stream().filter(t -> t.height() >= height - VOTE_WINDOW).toList();
            return new Finality(j, fin.irreversible(), kept);
        }
        Tally child = byHeight.get(j.height() + 1);
        boolean finalizes = child != null && supermajority(child.voters().size(), scheduleSize) && j.height() > fin.irreversible().height();
        BlockRef irreversible = finalizes ? j : fin.irreversible();
        // Every tally links from the old justified block; votes from the new one start afresh.
        return new Finality(new BlockRef(newest.get().height(), newest.get().hash()), irreversible, List.of());
    }

    /** True if {@code votes} holds two for the same target height by one voter (a block may count each vote once). */
    static boolean hasDuplicates(List<CheckpointVote> votes) {
        Set<String> seen = new HashSet<>();
        for (CheckpointVote v : votes) {
            if (!seen.add(v.validator().toHex() + "/" + v.targetEpoch())) return true;
        }
        return false;
    }
}
