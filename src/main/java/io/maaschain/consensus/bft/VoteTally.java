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
    private final Map<PublicKey, RoundVote> byValidator = new LinkedHashMap<>();
    private final Map<Hash, Long> powerByValue = new LinkedHashMap<>();
    private long total;

    /** Empty if {@code v} was added or is a repeat; otherwise the earlier vote it conflicts with. */
    Optional<RoundVote> add(RoundVote v, long power) {
        RoundVote earlier = byValidator.get(v.validator());
        if (earlier != null) return earlier.blockHash().equals(v.blockHash()) ? Optional.empty() : Optional.of(earlier);
        byValidator.put(v.validator(), v);
        powerByValue.merge(v.blockHash(), power, Long::sum);
        total += power;
        return Optional.empty();
    }

    /** True if the validator's counted vote is this very statement (a gossip repeat: no need to verify it again). */
    boolean isRepeat(RoundVote v) {
        RoundVote earlier = byValidator.get(v.validator());
        return earlier != null && earlier.blockHash().equals(v.blockHash()) && earlier.signature().equals(v.signature());
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
        List<RoundVote> out = new ArrayList<>();
        for (RoundVote v : byValidator.values()) if (v.blockHash().equals(value)) out.add(v);
        return out;
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
