package io.maaschain.consensus.bft;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.vote.RoundVote;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The votes of one step (prevote or precommit) of one round: each validator counts once, with its first vote; a second,
 * different vote is equivocation and is returned to the caller instead of being counted.
 */
final class VoteTally {
    /** Each validator's first vote: it alone counts towards {@link #total}, and a later different one is equivocation. */
    private final Map<PublicKey, RoundVote> byValidator = new LinkedHashMap<>();
    /** Votes per value: an equivocator's conflicting votes are counted for each value it signed (see {@link #add}). */
    private final Map<Hash, Map<PublicKey, RoundVote>> byValue = new LinkedHashMap<>();
    private final Map<Hash, Long> powerByValue = new LinkedHashMap<>();
    private long total;

    /**
     * Empty if {@code v} was added or is a repeat; otherwise the earlier vote it conflicts with. A conflicting vote is
     * still counted for its own value (Tendermint's maj23 tracking does the same): different honest nodes may see an
     * equivocator's two votes in different orders, and if each counted only the first, a polka that exists for some
     * would be invisible to others forever, so a locked validator could never be joined. Counting both is safe: two
     * values with +2/3 each in one round would need more than 1/3 of the power to equivocate. To bound memory, the
     * conflicting vote counts only if its value is nil or has votes from another validator, or it is the validator's
     * second value.
     */
    Optional<RoundVote> add(RoundVote v, long power) {
        RoundVote earlier = byValidator.get(v.validator());
        if (earlier == null) {
            byValidator.put(v.validator(), v);
            total += power;
            count(v, power);
            return Optional.empty();
        }
        if (earlier.blockHash().equals(v.blockHash())) return Optional.empty();
        Map<PublicKey, RoundVote> same = byValue.get(v.blockHash());
        if (same == null || !same.containsKey(v.validator())) {
            long valuesOfValidator = byValue.values().stream().filter(m -> m.containsKey(v.validator())).count();
            boolean supported = v.blockHash().equals(RoundVote.NIL) || same != null && !same.isEmpty();
            if (supported || valuesOfValidator < 2) count(v, power);
        }
        return Optional.of(earlier);
    }

    private void count(RoundVote v, long power) {
        byValue.computeIfAbsent(v.blockHash(), k -> new LinkedHashMap<>()).put(v.validator(), v);
        powerByValue.merge(v.blockHash(), power, Long::sum);
    }

    /** True if this very statement is counted already (a gossip repeat: no need to verify it again). */
    boolean isRepeat(RoundVote v) {
        Map<PublicKey, RoundVote> same = byValue.get(v.blockHash());
        RoundVote earlier = same == null ? null : same.get(v.validator());
        return earlier != null && earlier.signature().equals(v.signature());
    }

    long total() {
        return total;
    }

    long power(Hash value) {
        return powerByValue.getOrDefault(value, 0L);
    }

    /** The non-nil value with more than 2/3 of the power, if any. */
    Optional<Hash> quorumValue(ValidatorSet set) {
        for (Map.Entry<Hash, Long> e : powerByValue.entrySet()) {
            if (!e.getKey().equals(RoundVote.NIL) && set.isQuorum(e.getValue())) return Optional.of(e.getKey());
        }
        return Optional.empty();
    }

    /** The votes for {@code value}, in arrival order. */
    List<RoundVote> votesFor(Hash value) {
        Map<PublicKey, RoundVote> same = byValue.get(value);
        return same == null ? new ArrayList<>() : new ArrayList<>(same.values());
    }

    /** The vote counted for {@code validator}, if any. */
    Optional<RoundVote> voteOf(PublicKey validator) {
        return Optional.ofNullable(byValidator.get(validator));
    }

    Iterable<PublicKey> voters() {
        return byValidator.keySet();
    }

    /** "ab12cd34=2 nil=1": power per value, for round summaries. */
    String summary() {
        if (powerByValue.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        powerByValue.forEach((value, power) -> sb.append(sb.isEmpty() ? "" : " ")
                .append(value.equals(RoundVote.NIL) ? "nil" : value.toHex().substring(0, 8)).append('=').append(power));
        return sb.toString();
    }
}
