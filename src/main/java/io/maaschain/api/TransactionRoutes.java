package io.maaschain.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.TxLocation;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.txpool.TxPool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/** Submitting signed transactions (one or a batch) and looking them up with their Merkle proof. */
final class TransactionRoutes {
    static final int MAX_BATCH = 50_000;
    /** A single transaction request: the hex of the largest transaction plus the JSON around it. */
    static final int MAX_SUBMIT_BYTES = 2 * TransactionCodec.MAX_TRANSACTION_BYTES + 64;
    /** A batch request: the node-wide body limit. */
    static final int MAX_BATCH_BYTES = (int) ApiServer.MAX_REQUEST_BYTES;

    private final Blockchain chain;
    private final TxPool pool;
    private final CommitAvailability commits;

    TransactionRoutes(Blockchain chain, TxPool pool, CommitAvailability commits) {
        this.chain = chain;
        this.pool = pool;
        this.commits = commits;
    }

    /** 503 with the reason when nothing submitted now could be committed (rather than 202 and pending forever). */
    private void requireCommitting() {
        commits.refusal().ifPresent(reason -> {
            throw new ApiException(503, "NOT_COMMITTING", "this node cannot commit transactions now: " + reason);
        });
    }

    void register(Javalin app) {
        app.post("/api/v1/txs", this::submit);
        app.post("/api/v1/txs/batch", this::submitBatch);
        app.get("/api/v1/txs/{hash}", this::lookup);
    }

    private void submit(Context ctx) {
        requireCommitting();
        byte[] body = BoundedBody.read(ctx, MAX_SUBMIT_BYTES, "a transaction request");
        byte[] encoded = isOctetStream(ctx) ? body : hexField(parse(body), "tx");
        Transaction tx = decode(encoded);
        try {
            Hash hash = pool.add(tx, chain.headState());
            ctx.status(202).json(Map.of("hash", hash.toHex(), "status", "pending"));
        } catch (Rejection r) {
            throw rejection(r);
        }
    }

    private void submitBatch(Context ctx) {
        requireCommitting();
        JsonNode txs = parse(BoundedBody.read(ctx, MAX_BATCH_BYTES, "a batch request")).path("txs");
        if (!txs.isArray()) throw ApiException.badRequest("MALFORMED", "body must be {\"txs\": [hex, ...]}");
        if (txs.size() > MAX_BATCH) throw new ApiException(413, "OVERSIZED", "a batch holds at most " + MAX_BATCH + " transactions");
        // Decoding hashes each transaction and its sender key: spread over the cores, then report the first bad one.
        Object[] outcomes = IntStream.range(0, txs.size()).parallel().mapToObj(i -> {
            try {
                return (Object) decode(hexValue(txs.get(i), "txs[" + i + "]"));
            } catch (ApiException e) {
                return ApiException.badRequest(e.code(), "txs[" + i + "]: " + e.getMessage());
            }
        }).toArray();
        List<Transaction> decoded = new ArrayList<>(outcomes.length);
        for (Object o : outcomes) {
            if (o instanceof ApiException e) throw e;
            decoded.add((Transaction) o);
        }
        List<Map<String, Object>> results = new ArrayList<>(decoded.size());
        int accepted = 0;
        for (TxPool.Result r : pool.addAll(decoded, chain.headState())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hash", r.hash().toHex());
            if (r.rejection() == null) {
                m.put("status", "pending");
                accepted++;
            } else {
                m.put("status", "rejected");
                m.put("code", r.rejection().code().name());
                m.put("detail", r.rejection().getMessage());
            }
            results.add(m);
        }
        ctx.status(202).json(Map.of("accepted", accepted, "results", results));
    }

    private void lookup(Context ctx) {
        Hash hash;
        try {
            hash = Hash.fromHex(ctx.pathParam("hash"));
        } catch (CodecException e) {
            throw ApiException.badRequest("MALFORMED", "a transaction hash is 64 hex digits");
        }
        Optional<TxLocation> loc = chain.index().transaction(hash);
        if (loc.isPresent()) {
            Block block = chain.index().block(loc.get().blockHash());
            List<Hash> hashes = block.transactions().stream().map(Transaction::hash).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", "committed");
            m.put("blockHash", block.hash().toHex());
            m.put("blockHeight", block.height());
            m.put("index", loc.get().index());
            m.put("confirmations", chain.head().height() - block.height() + 1);
            m.put("proof", Views.inclusionProof(MerkleTree.prove(hashes, loc.get().index()), block.header().txRoot()));
            m.put("transaction", Views.transaction(block.transactions().get(loc.get().index())));
            // Contract transactions carry a result (status, gas, return data, events) in the state.
            byte[] result = chain.headState().get(io.maaschain.state.ContractRecords.resultKey(hash));
            if (result != null) m.put("result", ContractRoutes.result(io.maaschain.state.TxResult.decode(result)));
            ctx.json(m);
            return;
        }
        Transaction pending = pool.get(hash).orElseThrow(() -> ApiException.notFound("transaction " + hash));
        ctx.json(Map.of("status", "pending", "transaction", Views.transaction(pending)));
    }

    private static boolean isOctetStream(Context ctx) {
        String ct = ctx.contentType();
        return ct != null && ct.startsWith("application/octet-stream");
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null || !n.isObject()) throw ApiException.badRequest("MALFORMED", "body must be a JSON object");
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("MALFORMED", "body is not valid JSON");
        }
    }

    private static byte[] hexField(JsonNode obj, String field) {
        return hexValue(obj.get(field), field);
    }

    private static byte[] hexValue(JsonNode n, String what) {
        if (n == null || !n.isTextual()) throw ApiException.badRequest("MALFORMED", "'" + what + "' must be a hex string");
        if (n.asText().length() > 2 * TransactionCodec.MAX_TRANSACTION_BYTES + 2) {
            throw new ApiException(413, "OVERSIZED", "transaction exceeds " + TransactionCodec.MAX_TRANSACTION_BYTES + " bytes");
        }
        try {
            return Hex.decode(n.asText());
        } catch (CodecException e) {
            throw ApiException.badRequest("MALFORMED", "'" + what + "': " + e.getMessage());
        }
    }

    private static Transaction decode(byte[] encoded) {
        if (encoded.length > TransactionCodec.MAX_TRANSACTION_BYTES) {
            throw new ApiException(413, "OVERSIZED", "transaction is " + encoded.length + " bytes, limit " + TransactionCodec.MAX_TRANSACTION_BYTES);
        }
        try {
            return TransactionCodec.decode(encoded);
        } catch (CodecException e) {
            throw ApiException.badRequest("MALFORMED", "transaction does not decode: " + e.getMessage());
        }
    }

    static ApiException rejection(Rejection r) {
        int status = switch (r.code()) {
            case DUPLICATE -> 409;
            case MEMPOOL_FULL -> 503;
            case SENDER_NOT_ALLOWED -> 403;
            default -> 400;
        };
        return new ApiException(status, r.code().name(), r.getMessage());
    }
}
