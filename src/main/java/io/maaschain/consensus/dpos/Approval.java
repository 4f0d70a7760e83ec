package io.maaschain.consensus.dpos;

import io.maaschain.consensus.dpos.DposState.Candidate;
import io.maaschain.consensus.dpos.DposState.Voter;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Address;
import io.maaschain.ledger.Rejection;
import io.maaschain.state.StateReader;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import java.util.List;

/**
 * Stake-weighted approval voting. Every registered candidate's {@code approval} is kept equal to the sum of the weights
 * of the voters that list it, and each voter's weight equal to its bonded stake: whatever changes a vote or a bond
 * (vote, stake, unstake, slash) updates the totals in the same state change, so no tally is ever recomputed by a scan.
 */
final class Approval {
    private Approval() {}

    /** The voting weight of {@code a}: its bonded stake (zero without a bond, or once slashed). */
    static long bondedStake(StateReader s, Address a) {
        return Bonds.get(s, a).map(Bond::bonded).orElse(0L);
    }

    /** Replaces {@code voter}'s votes with {@code producers}, counted with its current bonded stake. */
    static void vote(WorldState s, Address voter, List<Address> producers) throws Rejection {
        Voter old = DposState.voter(s, voter).orElse(new Voter(0, List.of()));
        addToCandidates(s, old.votes(), -old.weight());
        long weight = bondedStake(s, voter);
        addToCandidates(s, producers, weight);
        DposState.putVoter(s, voter, new Voter(weight, producers));
    }

    /** After {@code voter}'s bond changed: moves its votes to its new bonded stake. */
    static void reweigh(WorldState s, Address voter) throws Rejection {
        var existing = DposState.voter(s, voter);
        if (existing.isEmpty()) return;
        Voter v = existing.get();
        long weight = bondedStake(s, voter);
        if (weight == v.weight()) return;
        addToCandidates(s, v.votes(), weight - v.weight());
        DposState.putVoter(s, voter, new Voter(weight, v.votes()));
    }

    /** Adds {@code delta} to each still-registered candidate in {@code producers} (unregistered ones count for nothing). */
    private static void addToCandidates(WorldState s, List<Address> producers, long delta) throws Rejection {
        if (delta == 0) return;
        for (Address p : producers) {
            var c = DposState.candidate(s, p);
            if (c.isEmpty()) continue;
            Candidate old = c.get();
            long approval = delta > 0 ? StateTransition.add(old.approval(), delta) : old.approval() + delta;
            if (approval < 0) throw new IllegalStateException("approval of " + p + " would fall below zero: tallies are inconsistent");
            DposState.putCandidate(s, new Candidate(old.key(), old.url(), approval));
        }
    }
}
