package io.maaschain.consensus.dpos;

import io.maaschain.crypto.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The parameters of a delegated-proof-of-stake chain, from its genesis file. {@code activeProducers} (N) is the size of
 * a schedule, {@code blocksPerProducer} (k) the consecutive slots each scheduled producer gets, so a round is N×k slots
 * of {@code slotMillis}; slot {@code s} starts at {@code genesisTimestamp + s × slotMillis}. Unstaked coins return after
 * {@code unbondingBlocks}. A bond holds 0 or at least {@code minStake}; approval votes need at least {@code minVote}
 * bonded; at most {@code maxCandidates} producer candidates are registered at once (each block elects from all of them).
 */
public record DposParams(long chainId, long genesisTimestamp, int activeProducers, int blocksPerProducer, long slotMillis,
                         long unbondingBlocks, long blockReward, long minStake, long minVote, int maxCandidates,
                         List<GenesisProducer> producers) {
    /** The most producers a schedule may hold (Antelope's 21 is the usual figure; 100 keeps rounds and records small). */
    public static final int MAX_ACTIVE_PRODUCERS = 100;
    public static final int MAX_BLOCKS_PER_PRODUCER = 100;
    /** The largest candidate list a genesis may allow: every block reads all candidates to elect the schedule. */
    public static final int MAX_CANDIDATES = 10_000;

    /** A producer named by the genesis file: registered, bonded with {@code stake}, voting for itself. */
    public record GenesisProducer(PublicKey key, long stake) {
        public GenesisProducer {
            Objects.requireNonNull(key, "key");
            if (stake <= 0) throw new IllegalArgumentException("a genesis producer's stake must be positive");
        }
    }

    public DposParams {
        producers = List.copyOf(producers);
        if (activeProducers < 1 || activeProducers > MAX_ACTIVE_PRODUCERS) {
            throw new IllegalArgumentException("activeProducers must be in 1.." + MAX_ACTIVE_PRODUCERS);
        }
        if (blocksPerProducer < 1 || blocksPerProducer > MAX_BLOCKS_PER_PRODUCER) {
            throw new IllegalArgumentException("blocksPerProducer must be in 1.." + MAX_BLOCKS_PER_PRODUCER);
        }
        if (slotMillis < 1 || slotMillis > 3_600_000) throw new IllegalArgumentException("slotMillis must be in 1..3600000");
        if (unbondingBlocks < 0 || blockReward < 0) throw new IllegalArgumentException("negative unbondingBlocks or blockReward");
        if (minStake < 1 || minVote < 1) throw new IllegalArgumentException("minStake and minVote must be positive");
        if (maxCandidates < activeProducers || maxCandidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException("maxCandidates must be in activeProducers (" + activeProducers + ").." + MAX_CANDIDATES);
        }
        if (producers.isEmpty()) throw new IllegalArgumentException("at least one genesis producer is needed");
        if (producers.size() > activeProducers) {
            throw new IllegalArgumentException(producers.size() + " genesis producers, but a schedule holds " + activeProducers);
        }
        for (GenesisProducer p : producers) {
            if (p.stake() < minStake) throw new IllegalArgumentException("genesis producer " + p.key() + " stakes " + p.stake() + ", below minStake " + minStake);
        }
        if (new HashSet<>(producers.stream().map(p -> p.key().address()).toList()).size() != producers.size()) {
            throw new IllegalArgumentException("a genesis producer is listed twice");
        }
    }

    /** The start time of {@code slot}. */
    public long slotTime(long slot) {
        return genesisTimestamp + slot * slotMillis;
    }

    /** The slot that is running at {@code nowMillis} (0 before and at genesis). */
    public long slotAt(long nowMillis) {
        return nowMillis <= genesisTimestamp ? 0 : (nowMillis - genesisTimestamp) / slotMillis;
    }
}
