package io.maaschain.consensus.bft;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.GenesisParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The bft engine's genesis parameters. Round r of a step waits {@code min(base + r * delta, cap)} ms, so a stalled
 * network backs off until the slowest honest validator keeps up, but never waits longer than the cap.
 * {@code timeoutCommitMillis} is the pause after a commit before the next height's proposal, which sets the block
 * rate of an idle chain (Tendermint's timeout_commit); votes of the next height are counted meanwhile.
 */
public record BftParams(ValidatorSet validators, long timeoutProposeMillis, long timeoutPrevoteMillis, long timeoutPrecommitMillis,
                        long timeoutDeltaMillis, long timeoutCapMillis, long timeoutCommitMillis, long blockReward) {
    public static final long DEFAULT_TIMEOUT_PROPOSE = 400;
    public static final long DEFAULT_TIMEOUT_PREVOTE = 200;
    public static final long DEFAULT_TIMEOUT_PRECOMMIT = 200;
    public static final long DEFAULT_TIMEOUT_DELTA = 200;
    public static final long DEFAULT_TIMEOUT_CAP = 5_000;
    public static final long DEFAULT_TIMEOUT_COMMIT = 150;
    public static final long DEFAULT_BLOCK_REWARD = 0;
    private static final long MAX_TIMEOUT = 3_600_000;
    private static final Set<String> FIELDS = Set.of("kind", "validators", "timeoutProposeMillis", "timeoutPrevoteMillis",
            "timeoutPrecommitMillis", "timeoutDeltaMillis", "timeoutCapMillis", "timeoutCommitMillis", "blockReward");

    public BftParams {
        check(timeoutProposeMillis, "timeoutProposeMillis", 1);
        check(timeoutPrevoteMillis, "timeoutPrevoteMillis", 1);
        check(timeoutPrecommitMillis, "timeoutPrecommitMillis", 1);
        check(timeoutDeltaMillis, "timeoutDeltaMillis", 0);
        check(timeoutCapMillis, "timeoutCapMillis", 1);
        check(timeoutCommitMillis, "timeoutCommitMillis", 0);
        if (timeoutCapMillis < Math.max(timeoutProposeMillis, Math.max(timeoutPrevoteMillis, timeoutPrecommitMillis))) {
            throw new IllegalArgumentException("timeoutCapMillis must be at least every base timeout");
        }
        if (blockReward < 0) throw new IllegalArgumentException("blockReward must not be negative");
    }

    private static void check(long v, String name, long min) {
        if (v < min || v > MAX_TIMEOUT) throw new IllegalArgumentException(name + " must be in " + min + ".." + MAX_TIMEOUT);
    }

    /** A step's timeout in {@code round}: base + round * delta, capped. */
    public long timeout(long baseMillis, int round) {
        return Math.min(timeoutCapMillis, baseMillis + Math.min((long) round, MAX_TIMEOUT) * timeoutDeltaMillis);
    }

    /** Reads the genesis {@code consensus} section strictly: unknown fields and malformed values are errors. */
    public static BftParams fromGenesis(JsonNode section) {
        if (section == null || !section.isObject()) throw new CodecException("genesis consensus: the bft section must be an object");
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new CodecException("genesis consensus: unknown bft field '" + f + "'");
        }
        try {
            return new BftParams(validators(section.get("validators")),
                    GenesisParser.optionalLong(section, "timeoutProposeMillis", DEFAULT_TIMEOUT_PROPOSE),
                    GenesisParser.optionalLong(section, "timeoutPrevoteMillis", DEFAULT_TIMEOUT_PREVOTE),
                    GenesisParser.optionalLong(section, "timeoutPrecommitMillis", DEFAULT_TIMEOUT_PRECOMMIT),
                    GenesisParser.optionalLong(section, "timeoutDeltaMillis", DEFAULT_TIMEOUT_DELTA),
                    GenesisParser.optionalLong(section, "timeoutCapMillis", DEFAULT_TIMEOUT_CAP),
                    GenesisParser.optionalLong(section, "timeoutCommitMillis", DEFAULT_TIMEOUT_COMMIT),
                    GenesisParser.optionalLong(section, "blockReward", DEFAULT_BLOCK_REWARD));
        } catch (IllegalArgumentException e) {
            throw new CodecException("genesis consensus: " + e.getMessage());
        }
    }

    private static ValidatorSet validators(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new CodecException("genesis consensus: 'validators' must be a non-empty array of {\"key\": \"<64 hex>\", \"power\": n}");
        }
        List<ValidatorSet.Validator> out = new ArrayList<>();
        int i = 0;
        for (JsonNode v : list) {
            String where = "validators[" + i++ + "]";
            if (!v.isObject()) throw new CodecException("genesis consensus: " + where + " must be an object with key and power");
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("key") && !f.equals("power")) throw new CodecException("genesis consensus: " + where + ": unknown field '" + f + "'");
            }
            JsonNode key = v.get("key");
            if (key == null || !key.isTextual() || !key.asText().matches("[0-9a-fA-F]{64}")) {
                throw new CodecException("genesis consensus: " + where + ".key must be an Ed25519 public key as 64 hex digits");
            }
            if (v.get("power") == null) throw new CodecException("genesis consensus: " + where + ".power is missing");
            long power = GenesisParser.nonNegativeLong(v.get("power"), where + ".power");
            out.add(new ValidatorSet.Validator(PublicKey.fromHex(key.asText()), power));
        }
        return new ValidatorSet(out);
    }
}
