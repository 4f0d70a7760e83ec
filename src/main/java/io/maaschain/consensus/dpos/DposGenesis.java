package io.maaschain.consensus.dpos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads and writes the genesis {@code consensus} section of a dpos chain (docs/consensus-dpos.md); unknown fields are errors. */
public final class DposGenesis {
    public static final int DEFAULT_ACTIVE_PRODUCERS = 21;
    public static final int DEFAULT_BLOCKS_PER_PRODUCER = 6;
    public static final long DEFAULT_SLOT_MILLIS = 500;
    public static final long DEFAULT_UNBONDING_BLOCKS = 1_000;
    public static final long DEFAULT_BLOCK_REWARD = 10;
    public static final long DEFAULT_MIN_STAKE = 100;
    public static final long DEFAULT_MIN_VOTE = 100;
    public static final int DEFAULT_MAX_CANDIDATES = 1_000;
    /** What {@link #section} gives each testnet producer. */
    public static final long TESTNET_STAKE = 1_000_000;
    private static final Set<String> FIELDS = Set.of("kind", "producers", "activeProducers", "blocksPerProducer", "slotMillis",
            "unbondingBlocks", "blockReward", "minStake", "minVote", "maxCandidates");
    private static final Set<String> PRODUCER_FIELDS = Set.of("key", "stake");

    private DposGenesis() {}

    public static DposParams parse(Genesis genesis) {
        JsonNode section = genesis.consensus();
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new CodecException("genesis consensus: unknown dpos field '" + f + "'");
        }
        JsonNode list = section.get("producers");
        if (list == null || !list.isArray() || list.isEmpty()) throw new CodecException("genesis consensus: 'producers' must be a non-empty array");
        List<DposParams.GenesisProducer> producers = new ArrayList<>();
        for (JsonNode p : list) producers.add(producer(p));
        try {
            return new DposParams(genesis.params().chainId(), genesis.timestampMillis(),
                    intField(section, "activeProducers", DEFAULT_ACTIVE_PRODUCERS),
                    intField(section, "blocksPerProducer", DEFAULT_BLOCKS_PER_PRODUCER),
                    GenesisParser.optionalLong(section, "slotMillis", DEFAULT_SLOT_MILLIS),
                    GenesisParser.optionalLong(section, "unbondingBlocks", DEFAULT_UNBONDING_BLOCKS),
                    GenesisParser.optionalLong(section, "blockReward", DEFAULT_BLOCK_REWARD),
                    GenesisParser.optionalLong(section, "minStake", DEFAULT_MIN_STAKE),
                    GenesisParser.optionalLong(section, "minVote", DEFAULT_MIN_VOTE),
                    intField(section, "maxCandidates", DEFAULT_MAX_CANDIDATES),
                    producers);
        } catch (IllegalArgumentException e) {
            throw new CodecException("genesis consensus: " + e.getMessage());
        }
    }

    private static DposParams.GenesisProducer producer(JsonNode p) {
        if (!p.isObject()) throw new CodecException("genesis consensus: each producer is an object with 'key' and 'stake'");
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PRODUCER_FIELDS.contains(f)) throw new CodecException("genesis consensus: unknown producer field '" + f + "'");
        }
        JsonNode key = p.get("key");
        if (key == null || !key.isTextual() || !key.asText().matches("[0-9a-fA-F]{64}")) {
            throw new CodecException("genesis consensus: a producer's 'key' must be 64 hex digits");
        }
        try {
            return new DposParams.GenesisProducer(PublicKey.fromHex(key.asText()), GenesisParser.requiredLong(p, "stake"));
        } catch (IllegalArgumentException e) {
            throw new CodecException("genesis consensus: " + e.getMessage());
        }
    }

    private static int intField(JsonNode section, String field, int fallback) {
        long v = GenesisParser.optionalLong(section, field, fallback);
        if (v > Integer.MAX_VALUE) throw new CodecException("genesis consensus: '" + field + "' is too large");
        return (int) v;
    }

    /**
     * A testnet section: every key a producer with {@link #TESTNET_STAKE}, a schedule of all of them (at most 21), 2 blocks
     * each per round, 500 ms slots, 100 blocks of unbonding, 10 coins per block; minimums and the candidate cap at their
     * defaults, written out so the file shows them.
     */
    public static String section(List<KeyPair> validators) {
        ObjectNode root = new ObjectMapper().createObjectNode().put("kind", DposEngine.KIND);
        ArrayNode list = root.putArray("producers");
        for (KeyPair k : validators) list.addObject().put("key", k.publicKey().toHex()).put("stake", TESTNET_STAKE);
        root.put("activeProducers", Math.max(1, Math.min(DEFAULT_ACTIVE_PRODUCERS, validators.size())))
                .put("blocksPerProducer", 2).put("slotMillis", DEFAULT_SLOT_MILLIS).put("unbondingBlocks", 100)
                .put("blockReward", DEFAULT_BLOCK_REWARD).put("minStake", DEFAULT_MIN_STAKE).put("minVote", DEFAULT_MIN_VOTE)
                .put("maxCandidates", DEFAULT_MAX_CANDIDATES);
        return root.toString();
    }
}
