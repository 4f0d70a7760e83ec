package io.maaschain.consensus.pos;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * The proof-of-stake parameters of a chain, from its genesis file. Time is cut into slots of {@code slotMillis} from the
 * genesis timestamp and slots into epochs of {@code epochSlots}. {@code revealDepth} is the depth of every validator's
 * RANDAO onion (how many blocks it can propose before it must restake under a new key).
 */
public record PosParams(long chainId, long genesisTimestamp, long slotMillis, long epochSlots, long minStake, long unbondingEpochs,
                        long blockReward, long revealDepth, List<GenesisValidator> validators) {
    public record GenesisValidator(PublicKey key, long stake, Hash revealCommitment) {
        public GenesisValidator {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(revealCommitment, "revealCommitment");
        }
    }

    public PosParams {
        validators = List.copyOf(validators);
        if (slotMillis < 1) throw new IllegalArgumentException("slotMillis must be positive");
        if (epochSlots < 1) throw new IllegalArgumentException("epochSlots must be positive");
        if (minStake < 1) throw new IllegalArgumentException("minStake must be positive");
        if (unbondingEpochs < 1) throw new IllegalArgumentException("unbondingEpochs must be positive");
        if (revealDepth < 1 || revealDepth > (1L << 28)) throw new IllegalArgumentException("revealDepth must be in 1..2^28");
        if (blockReward < 0 || genesisTimestamp < 0) throw new IllegalArgumentException("negative blockReward or timestamp");
        if (validators.isEmpty()) throw new IllegalArgumentException("a proof-of-stake genesis needs at least one validator");
        long total = 0;
        for (GenesisValidator v : validators) {
            if (v.stake() < minStake) throw new IllegalArgumentException("validator " + v.key() + " stakes " + v.stake() + ", below minStake " + minStake);
            total += v.stake();
            if (total < 0) throw new IllegalArgumentException("total genesis stake exceeds 2^63-1");
        }
        if (validators.stream().map(v -> v.key().address()).distinct().count() != validators.size()) {
            throw new IllegalArgumentException("a validator key is listed twice");
        }
    }

    public long epochOf(long slot) {
        return slot / epochSlots;
    }

    public long firstSlot(long epoch) {
        return Math.multiplyExact(epoch, epochSlots);
    }

    /** The header timestamp a block of {@code slot} must carry: the slot's start. */
    public long slotStart(long slot) {
        return Math.addExact(genesisTimestamp, Math.multiplyExact(slot, slotMillis));
    }

    /** The slot that contains time {@code nowMillis} (0 before genesis). */
    public long slotAt(long nowMillis) {
        return nowMillis <= genesisTimestamp ? 0 : (nowMillis - genesisTimestamp) / slotMillis;
    }

    /** The highest slot whose start is representable. */
    public long maxSlot() {
        return (Long.MAX_VALUE - genesisTimestamp) / slotMillis;
    }

    /**
     * The height at which stake unstaked at {@code height} returns. An unstaked amount keeps voting for the rest of
     * this epoch and the next (the sets are fixed one epoch ahead), then stays slashable for {@code unbondingEpochs}
     * more. Counted in blocks, which occupy distinct slots, so the wait is at least that many epochs of time.
     */
    public long releaseHeight(long height) {
        return Math.addExact(height, Math.multiplyExact(unbondingEpochs + 2, epochSlots));
    }
}
