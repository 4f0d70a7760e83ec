package io.maaschain.consensus.pos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads and writes the genesis {@code consensus} section of a proof-of-stake chain; unknown fields are errors. */
public final class PosGenesis {
    public static final long DEFAULT_SLOT_MILLIS = 500;
    public static final long DEFAULT_EPOCH_SLOTS = 4;
    public static final long DEFAULT_MIN_STAKE = 10_000;
    public static final long DEFAULT_STAKE = 100_000;
    public static final long DEFAULT_UNBONDING_EPOCHS = 2;
    public static final long DEFAULT_BLOCK_REWARD = 50;
    public static final long DEFAULT_REVEAL_DEPTH = 1L << 20;
    private static final Set<String> FIELDS = Set.of("kind", "validators", "slotMillis", "epochSlots", "minStake", "unbondingEpochs",
            "blockReward", "revealDepth");
    private static final Set<String> VALIDATOR_FIELDS = Set.of("key", "stake", "revealCommitment");

    private PosGenesis() {}

    public static PosParams parse(Genesis genesis) {
        JsonNode section = genesis.consensus();
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new CodecException("genesis consensus: unknown pos field '" + f + "'");
        }
        JsonNode list = section.get("validators");
        if (list == null || !list.isArray()) throw new CodecException("genesis consensus: 'validators' must be an array");
        List<PosParams.GenesisValidator> validators = new ArrayList<>();
        for (JsonNode v : list) validators.add(validator(v));
        try {
            return new PosParams(genesis.params().chainId(), genesis.timestampMillis(),
                    GenesisParser.optionalLong(section, "slotMillis", DEFAULT_SLOT_MILLIS),
                    GenesisParser.optionalLong(section, "epochSlots", DEFAULT_EPOCH_SLOTS),
                    GenesisParser.optionalLong(section, "minStake", DEFAULT_MIN_STAKE),
                    GenesisParser.optionalLong(section, "unbondingEpochs", DEFAULT_UNBONDING_EPOCHS),
                    GenesisParser.optionalLong(section, "blockReward", DEFAULT_BLOCK_REWARD),
                    GenesisParser.optionalLong(section, "revealDepth", DEFAULT_REVEAL_DEPTH),
                    validators);
        } catch (IllegalArgumentException e) {
            throw new CodecException("genesis consensus: " + e.getMessage());
        }
    }

    private static PosParams.GenesisValidator validator(JsonNode v) {
        if (!v.isObject()) throw new CodecException("genesis consensus: each validator must be an object");
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!VALIDATOR_FIELDS.contains(f)) throw new CodecException("genesis consensus: unknown validator field '" + f + "'");
        }
        try {
            return new PosParams.GenesisValidator(PublicKey.fromHex(text(v, "key")), GenesisParser.requiredLong(v, "stake"),
                    Hash.fromHex(text(v, "revealCommitment")));
        } catch (IllegalArgumentException e) {
            throw new CodecException("genesis consensus: validator: " + e.getMessage());
        }
    }

    private static String text(JsonNode v, String field) {
        JsonNode n = v.get(field);
        if (n == null || !n.isTextual()) throw new CodecException("genesis consensus: validator '" + field + "' must be a hex string");
        return n.asText();
    }

    /** The section for a testnet of {@code validators} with the defaults above, each committed to its key's onion. */
    public static String section(List<KeyPair> validators, long revealDepth) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode().put("kind", PosEngine.KIND);
        ArrayNode list = root.putArray("validators");
        for (KeyPair k : validators) {
            list.addObject().put("key", k.publicKey().toHex()).put("stake", DEFAULT_STAKE)
                    .put("revealCommitment", RandaoOnion.forKey(k, revealDepth).commitment().toHex());
        }
        root.put("slotMillis", DEFAULT_SLOT_MILLIS).put("epochSlots", DEFAULT_EPOCH_SLOTS).put("minStake", DEFAULT_MIN_STAKE)
                .put("unbondingEpochs", DEFAULT_UNBONDING_EPOCHS).put("blockReward", DEFAULT_BLOCK_REWARD).put("revealDepth", revealDepth);
        return root.toString();
    }
}
