package io.maaschain.consensus.dpos;

import io.maaschain.consensus.dpos.DposState.Candidate;
import io.maaschain.consensus.dpos.DposState.Schedule;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer schedule as pure arithmetic (Antelope's {@code slot % (n*k) / k}): a round of the active schedule is
 * N×k slots from its start slot, and producer i has the k consecutive slots from {@code start + i×k}. No state, no clock.
 */
public final class Rounds {
    private Rounds() {}

    /** The producer of {@code slot} under {@code active} whose rounds start at {@code roundStart} ({@code slot >= roundStart}). */
    public static PublicKey producerAt(List<PublicKey> active, long roundStart, int k, long slot) {
        if (slot < roundStart) throw new IllegalArgumentException("slot " + slot + " precedes its round start " + roundStart);
        long length = (long) active.size() * k;
        return active.get((int) (((slot - roundStart) % length) / k));
    }

    /**
     * The schedule the tallies elect: the {@code n} candidates with the most approval (ties: lower address first), with
     * approval above zero, ordered by address. Empty if no candidate has any approval.
     */
    public static List<PublicKey> elect(List<Candidate> candidates, int n) {
        return candidates.stream()
                .filter(c -> c.approval() > 0)
                .sorted(Comparator.comparingLong(Candidate::approval).reversed().thenComparing(c -> c.key().address()))
                .limit(n)
                .sorted(Comparator.comparing(c -> c.key().address()))
                .map(Candidate::key)
                .toList();
    }

    /** What moving from the newest block's slot to {@code slot} does: the schedule after it, and the slots skipped, per producer. */
    public record Advance(Schedule schedule, Map<Address, Long> missed, boolean activated) {}

    /**
     * Moves {@code current} to a block at {@code slot} and {@code height}: every slot after the last block's and before
     * {@code slot} is missed by its scheduled producer; at the first round boundary crossed, a pending schedule whose
     * electing block is irreversible ({@code pendingHeight <= irreversibleHeight}) becomes active, and, if none is
     * pending then, {@code elected} (the tallies' schedule) becomes pending when it differs from the active one. After
     * that boundary nothing can change for the rest of the gap (the new pending schedule's block is this very block,
     * not yet irreversible), so the remaining rounds are counted in closed form however long the gap.
     */
    public static Advance advance(Schedule current, long slot, long height, int k, long irreversibleHeight, List<PublicKey> elected) {
        if (slot <= current.lastSlot()) throw new IllegalArgumentException("slot " + slot + " does not follow " + current.lastSlot());
        Map<Address, Long> missed = new HashMap<>();
        long start = current.roundStart();
        long boundary = start + current.roundLength(k);
        if (slot < boundary) {
            charge(missed, current.active(), start, k, current.lastSlot() + 1, slot);
            return new Advance(new Schedule(start, slot, current.active(), current.pending(), current.pendingHeight()), missed, false);
        }
        charge(missed, current.active(), start, k, current.lastSlot() + 1, boundary);
        List<PublicKey> active = current.active();
        List<PublicKey> pending = current.pending();
        long pendingHeight = current.pendingHeight();
        boolean activated = false;
        if (!pending.isEmpty() && pendingHeight <= irreversibleHeight) {
            activated = !pending.equals(active);
            active = pending;
            pending = List.of();
            pendingHeight = 0;
        }
        if (pending.isEmpty() && !elected.isEmpty() && !elected.equals(active)) {
            pending = elected;
            pendingHeight = height;
        }
        long length = (long) active.size() * k;
        long newStart = boundary + ((slot - boundary) / length) * length;
        charge(missed, active, boundary, k, boundary, slot);
        return new Advance(new Schedule(newStart, slot, active, pending, pendingHeight), missed, activated);
    }

    /** Adds, per producer, the slots in [{@code from}, {@code to}) of rounds of {@code active} starting at {@code origin}. */
    static void charge(Map<Address, Long> missed, List<PublicKey> active, long origin, int k, long from, long to) {
        if (to <= from) return;
        for (int i = 0; i < active.size(); i++) {
            long n = slotsBefore(active.size(), k, i, origin, to) - slotsBefore(active.size(), k, i, origin, from);
            if (n > 0) missed.merge(active.get(i).address(), n, Long::sum);
        }
    }

    /** How many slots in [origin, x) belong to producer {@code i} of a schedule of {@code n}. */
    private static long slotsBefore(int n, int k, int i, long origin, long x) {
        long length = (long) n * k;
        long offset = x - origin;
        long rest = offset % length;
        return (offset / length) * k + Math.max(0, Math.min(k, rest - (long) i * k));
    }

    /** Candidates with their approval, in address order (the input of {@link #elect}). */
    static List<Candidate> candidates(io.maaschain.state.StateReader s) {
        List<Candidate> out = new ArrayList<>();
        for (Address a : DposState.candidates(s)) DposState.candidate(s, a).ifPresent(out::add);
        return out;
    }
}
