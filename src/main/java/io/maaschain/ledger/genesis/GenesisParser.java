package io.maaschain.ledger.genesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.ledger.ChainParams;
import io.maaschain.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a genesis file (docs/operator-guide.md, "Genesis file"). Unknown keys are errors, so a typo
 * cannot silently fall back to a default and split a network.
 */
public final class GenesisParser {
    public static final int MAX_GENESIS_BYTES = 4 * 1024 * 1024;
    private static final Set<String> TOP_LEVEL = Set.of(
            "chainId", "timestamp", "minTxFee", "maxBlockTransactions", "maxBlockBytes", "consensus", "alloc", "permissioned");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private GenesisParser() {}

    public static Genesis parse(String text) {
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_GENESIS_BYTES) {
            throw new CodecException("genesis file is larger than 4 MiB");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CodecException("genesis is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode obj)) throw new CodecException("genesis must be a JSON object");
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_LEVEL.contains(f)) throw new CodecException("genesis: unknown field '" + f + "'");
        }
        ChainParams params;
        try {
            params = new ChainParams(
                    requiredLong(obj, "chainId"),
                    optionalLong(obj, "minTxFee", 1),
                    optionalInt(obj, "maxBlockTransactions", 50_000),
                    optionalInt(obj, "maxBlockBytes", 16 * 1024 * 1024));
        } catch (IllegalArgumentException e) {
            throw new CodecException("genesis: " + e.getMessage());
        }
        JsonNode consensus = obj.get("consensus");
        if (consensus == null || !consensus.isObject() || !consensus.path("kind").isTextual()) {
            throw new CodecException("genesis: 'consensus' must be an object with a string 'kind'");
        }
        Map<Address, Long> alloc = new TreeMap<>();
        JsonNode allocNode = obj.path("alloc");
        if (!allocNode.isMissingNode()) {
            if (!allocNode.isObject()) throw new CodecException("genesis: 'alloc' must map addresses to balances");
            for (Iterator<Map.Entry<String, JsonNode>> it = allocNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Address a;
                try {
                    a = Address.parse(e.getKey());
                } catch (CodecException ex) {
                    throw new CodecException("genesis alloc: " + ex.getMessage());
                }
                alloc.put(a, nonNegativeLong(e.getValue(), "alloc." + e.getKey()));
            }
        }
        long total = 0;
        for (long v : alloc.values()) {
            total += v;
            if (total < 0) throw new CodecException("genesis alloc: total supply exceeds 2^63-1");
        }
        return new Genesis(params, optionalLong(obj, "timestamp", 0), consensus.get("kind").asText(), consensus, alloc,
                permissions(obj.get("permissioned")), text);
    }

    private static Optional<GenesisPermissions> permissions(JsonNode node) {
        if (node == null) return Optional.empty();
        if (!node.isObject()) throw new CodecException("genesis: 'permissioned' must be an object with admins, accounts and nodes");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("admins", "accounts", "nodes").contains(f)) throw new CodecException("genesis permissioned: unknown field '" + f + "'");
        }
        try {
            return Optional.of(new GenesisPermissions(
                    strings(node, "admins").stream().map(Address::parse).toList(),
                    strings(node, "accounts").stream().map(Address::parse).toList(),
                    strings(node, "nodes").stream().map(PublicKey::fromHex).toList()));
        } catch (IllegalArgumentException e) {
            throw new CodecException("genesis permissioned: " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode obj, String field) {
        JsonNode n = obj.path(field);
        if (n.isMissingNode()) return List.of();
        if (!n.isArray()) throw new CodecException("genesis permissioned: '" + field + "' must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) throw new CodecException("genesis permissioned: '" + field + "' must be an array of strings");
            out.add(e.asText());
        }
        return out;
    }

    public static long requiredLong(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n == null) throw new CodecException("genesis: missing required field '" + field + "'");
        return nonNegativeLong(n, field);
    }

    public static int requiredInt(JsonNode obj, String field) {
        return toInt(requiredLong(obj, field), field);
    }

    static int optionalInt(JsonNode obj, String field, int fallback) {
        return obj.has(field) ? toInt(requiredLong(obj, field), field) : fallback;
    }

    private static int toInt(long v, String field) {
        if (v > Integer.MAX_VALUE) throw new CodecException("genesis: '" + field + "' must be at most " + Integer.MAX_VALUE);
        return (int) v;
    }

    public static long optionalLong(JsonNode obj, String field, long fallback) {
        JsonNode n = obj.get(field);
        return n == null ? fallback : nonNegativeLong(n, field);
    }

    /** Accepts a JSON integer or a decimal string (large balances are often quoted). */
    public static long nonNegativeLong(JsonNode n, String field) {
        try {
            java.math.BigInteger v = n.isTextual() ? new java.math.BigInteger(n.asText()) : n.isIntegralNumber() ? n.bigIntegerValue() : null;
            if (v == null) throw new CodecException("genesis: '" + field + "' must be an integer");
            if (v.signum() < 0 || v.bitLength() > 63) throw new CodecException("genesis: '" + field + "' must be in 0..2^63-1");
            return v.longValue();
        } catch (NumberFormatException e) {
            throw new CodecException("genesis: '" + field + "' must be an integer");
        }
    }
}
