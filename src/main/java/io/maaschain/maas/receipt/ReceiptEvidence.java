package io.maaschain.maas.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.merkle.InclusionProof;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A receipt with everything needed to prove it against a block header: the signed receipt, the batch that settles it
 * with the receipt's inclusion proof in the batch root, and the batch transaction with its inclusion proof in the
 * block's tx root and the block header. This is the JSON of {@code GET /api/v1/receipts/{id}} and the file
 * {@code receipt get} saves (docs/receipts.md, "Evidence JSON").
 *
 * @param status     {@code unsettled} (no batch yet), {@code pending} (batch submitted, not in a canonical block) or {@code settled}
 * @param batch      the batch the receipt is in, or null
 * @param settlement where the batch transaction was committed, or null unless settled
 */
public record ReceiptEvidence(SignedReceipt receipt, String status, Batch batch, Settlement settlement) {
    public static final String UNSETTLED = "unsettled";
    public static final String PENDING = "pending";
    public static final String SETTLED = "settled";
    /** Longest Merkle path accepted from JSON (a tree of 2^63 leaves has 63 levels). */
    static final int MAX_PATH = 64;

    /** Receipts {@code firstSeq..lastSeq} under {@code receiptsRoot}, in tx {@code txHash}; {@code proof} places this receipt. */
    public record Batch(long firstSeq, long lastSeq, Hash receiptsRoot, Hash txHash, InclusionProof proof) {}

    /** The batch transaction's encoding, its block and position, its proof against the header's tx root, and the header. */
    public record Settlement(byte[] tx, Hash blockHash, long blockHeight, int txIndex, long confirmations, InclusionProof txProof, byte[] header) {}

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        Receipt r = receipt.receipt();
        m.put("id", receipt.id().toHex());
        m.put("seq", r.seq());
        m.put("node", r.node().toString());
        m.put("status", status);
        m.put("receipt", fields(r));
        m.put("encoded", Hex.encode(receipt.encoding()));
        m.put("signature", receipt.signature().toHex());
        if (batch != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("firstSeq", batch.firstSeq());
            b.put("lastSeq", batch.lastSeq());
            b.put("receiptsRoot", batch.receiptsRoot().toHex());
            b.put("txHash", batch.txHash().toHex());
            b.put("proof", proof(batch.proof()));
            m.put("batch", b);
        }
        if (settlement != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("tx", Hex.encode(settlement.tx()));
            s.put("blockHash", settlement.blockHash().toHex());
            s.put("blockHeight", settlement.blockHeight());
            s.put("txIndex", settlement.txIndex());
            s.put("confirmations", settlement.confirmations());
            s.put("txProof", proof(settlement.txProof()));
            s.put("header", Hex.encode(settlement.header()));
            m.put("settlement", s);
        }
        return m;
    }

    /** The receipt's fields for people; verifiers read {@code encoded}, never these. */
    public static Map<String, Object> fields(Receipt r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainId", r.chainId());
        m.put("node", r.node().toString());
        m.put("nodeKey", r.nodeKey().toHex());
        m.put("seq", r.seq());
        m.put("timestamp", r.timestampMillis());
        m.put("model", r.modelName());
        m.put("version", r.modelVersion());
        m.put("artifactDigest", r.artifactDigest() == null ? null : r.artifactDigest().toHex());
        m.put("caller", r.caller() == null ? null : r.caller().toString());
        m.put("requestHash", r.requestHash() == null ? null : r.requestHash().toHex());
        m.put("status", r.status());
        if (r.succeeded()) {
            m.put("responseHash", r.responseHash().toHex());
        } else {
            m.put("errorCode", r.errorCode());
            m.put("errorMessageHash", r.errorMessageHash().toHex());
        }
        m.put("fee", r.fee());
        return m;
    }

    private static Map<String, Object> proof(InclusionProof p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leafIndex", p.index());
        m.put("treeSize", p.treeSize());
        m.put("path", p.path().stream().map(Hash::toHex).toList());
        return m;
    }

    /**
     * Reads evidence JSON strictly: the receipt is decoded from {@code encoded} (the informative {@code receipt}
     * fields are ignored), and {@code id}, when present, must be its hash.
     *
     * @throws CodecException with the field at fault
     */
    public static ReceiptEvidence fromJson(JsonNode n) {
        if (n == null || !n.isObject()) throw new CodecException("receipt evidence must be a JSON object");
        byte[] encoded = hex(n, "encoded", ReceiptCodec.MAX_ENCODED_BYTES);
        Signature sig = Signature.wrap(hex(n, "signature", Signature.LENGTH));
        SignedReceipt receipt = SignedReceipt.decode(encoded, sig);
        if (n.has("id") && !receipt.id().toHex().equals(n.get("id").asText())) {
            throw new CodecException("'id' " + n.get("id").asText() + " is not the hash of 'encoded' (" + receipt.id() + ")");
        }
        String status = n.path("status").asText(UNSETTLED);
        Batch batch = null;
        JsonNode b = n.get("batch");
        if (b != null && !b.isNull()) {
            batch = new Batch(u63(b, "firstSeq"), u63(b, "lastSeq"), Hash.wrap(hex(b, "receiptsRoot", 32)), Hash.wrap(hex(b, "txHash", 32)),
                    proof(b.get("proof"), "batch.proof"));
        }
        Settlement settlement = null;
        JsonNode s = n.get("settlement");
        if (s != null && !s.isNull()) {
            long index = u63(s, "txIndex");
            if (index > Integer.MAX_VALUE) throw new CodecException("'txIndex' is out of range");
            settlement = new Settlement(hex(s, "tx", io.maaschain.ledger.tx.TransactionCodec.MAX_TRANSACTION_BYTES), Hash.wrap(hex(s, "blockHash", 32)),
                    u63(s, "blockHeight"), (int) index, s.path("confirmations").asLong(0), proof(s.get("txProof"), "settlement.txProof"),
                    hex(s, "header", io.maaschain.ledger.block.HeaderCodec.MAX_HEADER_BYTES));
        }
        return new ReceiptEvidence(receipt, status, batch, settlement);
    }

    private static InclusionProof proof(JsonNode p, String what) {
        if (p == null || !p.isObject()) throw new CodecException("'" + what + "' must be an object");
        JsonNode path = p.get("path");
        if (path == null || !path.isArray()) throw new CodecException("'" + what + ".path' must be an array");
        if (path.size() > MAX_PATH) throw new CodecException("'" + what + ".path' is longer than " + MAX_PATH);
        List<Hash> hashes = new ArrayList<>();
        for (JsonNode h : path) {
            if (!h.isTextual()) throw new CodecException("'" + what + ".path' holds a non-string");
            hashes.add(Hash.fromHex(h.asText()));
        }
        return new InclusionProof(u63(p, "leafIndex"), u63(p, "treeSize"), hashes);
    }

    private static long u63(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new CodecException("'" + field + "' must be a non-negative integer");
        }
        return v.asLong();
    }

    private static byte[] hex(JsonNode obj, String field, int maxBytes) {
        JsonNode v = obj.get(field);
        if (v == null || !v.isTextual()) throw new CodecException("'" + field + "' must be a hex string");
        if (v.asText().length() > 2 * maxBytes) throw new CodecException("'" + field + "' is longer than " + maxBytes + " bytes");
        return Hex.decode(v.asText());
    }
}
