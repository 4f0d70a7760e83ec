package io.maaschain.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.chain.Blockchain;
import io.maaschain.codec.ByteReader;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Address;
import io.maaschain.ledger.tx.ContractCalls;
import io.maaschain.state.BlockContext;
import io.maaschain.state.ContractQueries;
import io.maaschain.state.ContractRecords;
import io.maaschain.state.TxResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Contracts: the instance and a storage value with proofs, read-only queries, and the event log (docs/contracts.md). */
final class ContractRoutes {
    static final int MAX_EVENTS_PAGE = 200;

    private final Blockchain chain;

    ContractRoutes(Blockchain chain) {
        this.chain = chain;
    }

    void register(Javalin app) {
        app.get("/api/v1/contracts/{address}", this::show);
        app.post("/api/v1/contracts/{address}/query", this::query);
        app.get("/api/v1/contracts/{address}/events", this::events);
    }

    private void show(Context ctx) {
        Address address = StateRoutes.address(ctx.pathParam("address"));
        Bytes key = ContractRecords.contractKey(address);
        Blockchain.ProvenValue pv = chain.prove(key);
        if (pv.value() == null) throw ApiException.notFound("contract " + address);
        ContractRecords.Contract c = ContractRecords.Contract.decode(pv.value());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", address.toString());
        m.put("codeHash", c.codeHash().toHex());
        m.put("creator", c.creator().toString());
        m.put("createdAtHeight", c.createdAtHeight());
        m.put("balance", new io.maaschain.state.WorldState(chain.headState()).account(address).balance());
        m.put("eventCount", eventCount(address));
        m.put("proof", StateRoutes.proof(key, pv));
        String storageKey = ctx.queryParam("key");
        if (storageKey != null) {
            byte[] k = hex(storageKey, "key", ContractCalls.MAX_ARGS_BYTES);
            Bytes sk = ContractRecords.storageKey(address, k);
            Blockchain.ProvenValue sv = chain.prove(sk);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("key", Hex.encode(k));
            s.put("value", sv.value() == null ? null : Hex.encode(sv.value()));
            s.put("proof", StateRoutes.proof(sk, sv));
            m.put("storage", s);
        }
        ctx.json(m);
    }

    private void query(Context ctx) {
        Address address = StateRoutes.address(ctx.pathParam("address"));
        JsonNode body = TransactionRoutes.parse(ctx.bodyAsBytes());
        String function = body.path("function").asText("");
        if (function.isEmpty() || function.length() > ContractCalls.MAX_FUNCTION_NAME) {
            throw ApiException.badRequest("MALFORMED", "'function' must name an exported function (1.." + ContractCalls.MAX_FUNCTION_NAME + " characters)");
        }
        byte[] args = body.has("args") ? hex(body.path("args").asText(), "args", ContractCalls.MAX_ARGS_BYTES) : new byte[0];
        long gas = body.path("gasLimit").asLong(ContractQueries.QUERY_GAS_CAP);
        if (gas <= 0) throw ApiException.badRequest("MALFORMED", "'gasLimit' must be positive");
        Address caller = body.has("caller") ? StateRoutes.address(body.path("caller").asText()) : Address.wrap(new byte[Address.LENGTH]);
        var head = chain.head();
        if (chain.headState().get(ContractRecords.contractKey(address)) == null) throw ApiException.notFound("contract " + address);
        ContractQueries.Answer a = ContractQueries.query(chain.headState(), caller, address, function, args, gas,
                new BlockContext(head.height() + 1, head.header().timestampMillis()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blockHeight", head.height());
        m.putAll(result(a.outcome().status(), a.outcome().gasUsed(), a.outcome().returnData(), a.outcome().message(), a.events()));
        m.put("gasCap", ContractQueries.QUERY_GAS_CAP);
        ctx.json(m);
    }

    private void events(Context ctx) {
        Address address = StateRoutes.address(ctx.pathParam("address"));
        long count = eventCount(address);
        long from = parseLong(ctx.queryParam("from"), 0, "from");
        long limit = Math.min(MAX_EVENTS_PAGE, parseLong(ctx.queryParam("limit"), 50, "limit"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (long seq = from; seq < count && out.size() < limit; seq++) {
            byte[] v = chain.headState().get(ContractRecords.eventKey(address, seq));
            if (v == null) break;
            ContractRecords.LoggedEvent e = ContractRecords.LoggedEvent.decode(v);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", seq);
            m.put("tx", e.txHash().toHex());
            m.put("topic", Hex.encode(e.topic()));
            m.put("data", Hex.encode(e.data()));
            out.add(m);
        }
        ctx.json(Map.of("contract", address.toString(), "count", count, "events", out));
    }

    private long eventCount(Address address) {
        byte[] c = chain.headState().get(ContractRecords.eventCountKey(address));
        return c == null ? 0 : new ByteReader(c).u63("event count");
    }

    /** The JSON of a result: status name and code, gas, coins, return data, message, events. */
    static Map<String, Object> result(io.maaschain.contracts.CallStatus status, long gasUsed, byte[] returnData, String message, List<TxResult.Event> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.name());
        m.put("statusCode", status.code());
        m.put("gasUsed", gasUsed);
        m.put("returnData", Hex.encode(returnData));
        m.put("message", message);
        // In a fixed order: every node answers the same bytes for the same result.
        m.put("events", events.stream().map(e -> {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("contract", e.contract().toString());
            ev.put("topic", Hex.encode(e.topic()));
            ev.put("data", Hex.encode(e.data()));
            return ev;
        }).toList());
        return m;
    }

    static Map<String, Object> result(TxResult r) {
        Map<String, Object> m = result(r.status(), r.gasUsed(), r.returnData(), r.message(), r.events());
        m.put("gasCoins", r.gasCoins());
        return m;
    }

    private static long parseLong(String s, long dflt, String what) {
        if (s == null) return dflt;
        try {
            long v = Long.parseLong(s);
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("MALFORMED", "'" + what + "' must be a non-negative integer");
        }
    }

    private static byte[] hex(String s, String what, int max) {
        try {
            byte[] b = Hex.decode(s);
            if (b.length > max) throw ApiException.badRequest("OVERSIZED", "'" + what + "' is " + b.length + " bytes, limit " + max);
            return b;
        } catch (CodecException | IllegalArgumentException e) {
            throw ApiException.badRequest("MALFORMED", "'" + what + "' must be hex: " + e.getMessage());
        }
    }
}
