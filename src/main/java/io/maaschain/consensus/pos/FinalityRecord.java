package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The branch's Casper FFG position (state key 0x25): its highest justified checkpoint (the source every counted vote
 * must name), its final checkpoint, and the checkpoints of the epochs whose votes blocks may still carry.
 */
public record FinalityRecord(Checkpoint justified, Checkpoint finalized, List<Checkpoint> recent) {
    public FinalityRecord {
        Objects.requireNonNull(justified, "justified");
        Objects.requireNonNull(finalized, "finalized");
        recent = List.copyOf(recent);
    }

    public Optional<Checkpoint> checkpoint(long epoch) {
        for (Checkpoint c : recent) if (c.epoch() == epoch) return Optional.of(c);
        return Optional.empty();
    }

    /** With {@code c} recorded and checkpoints of epochs before {@code oldestKept} dropped. */
    public FinalityRecord withCheckpoint(Checkpoint c, long oldestKept) {
        List<Checkpoint> next = new ArrayList<>();
        for (Checkpoint x : recent) if (x.epoch() >= oldestKept && x.epoch() != c.epoch()) next.add(x);
        if (c.epoch() >= oldestKept) next.add(c);
        next.sort(java.util.Comparator.comparingLong(Checkpoint::epoch));
        return new FinalityRecord(justified, finalized, next);
    }

    public FinalityRecord pruned(long oldestKept) {
        return new FinalityRecord(justified, finalized, recent.stream().filter(x -> x.epoch() >= oldestKept).toList());
    }

    public FinalityRecord withJustified(Checkpoint j) {
        return new FinalityRecord(j, finalized, recent);
    }

    public FinalityRecord withFinalized(Checkpoint f) {
        return new FinalityRecord(justified, f, recent);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(2 * Checkpoint.LENGTH + 4 + recent.size() * Checkpoint.LENGTH);
        justified.write(w);
        finalized.write(w);
        w.u32(recent.size());
        recent.forEach(c -> c.write(w));
        return w.toByteArray();
    }

    public static FinalityRecord decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        Checkpoint j = Checkpoint.read(r);
        Checkpoint f = Checkpoint.read(r);
        long n = r.u32("checkpoint count");
        List<Checkpoint> recent = new ArrayList<>();
        for (long i = 0; i < n; i++) recent.add(Checkpoint.read(r));
        r.expectEnd();
        return new FinalityRecord(j, f, recent);
    }
}
