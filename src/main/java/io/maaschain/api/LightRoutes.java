package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.Head;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.Hex;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.consensus.pow.PowEngine;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only routes for light clients (docs/light-client.md): canonical headers in ranges and, on a bft chain, what a
 * client needs to verify them without trusting this node: each header's validator set of the next height with its
 * state proof, and the head's commit certificate. Nothing here is trusted by the client; it is all checked.
 */
final class LightRoutes {
    static final int MAX_HEADERS = 256;

    private final Blockchain chain;

    LightRoutes(Blockchain chain) {
        this.chain = chain;
    }

    void register(Javalin app) {
        app.get("/api/v1/light/headers", this::headers);
    }

    private void headers(Context ctx) {
        String kind = chain.engine().kind();
        if (!kind.equals(BftEngine.KIND) && !kind.equals(PowEngine.KIND)) {
            throw ApiException.notFound("light-client headers for a " + kind + " chain (served for pow and bft only, docs/light-client.md)");
        }
        long limit = ChainRoutes.longParam(ctx, "limit", 100);
        if (limit < 1 || limit > MAX_HEADERS) throw ApiException.badRequest("MALFORMED", "limit must be 1.." + MAX_HEADERS);
        long from = ChainRoutes.longParam(ctx, "from", 0);
        if (from < 0) throw ApiException.badRequest("MALFORMED", "from must not be negative");
        List<Map<String, Object>> out = new ArrayList<>();
        Head head = chain.head();
        long to = from + limit - 1;
        Header last = null;
        if (kind.equals(BftEngine.KIND)) {
            // One consistent branch: the head's, rolled back block by block, so every proof matches its header.
            Bytes key = BftState.nextValidatorsKey();
            for (Blockchain.PastValue p : chain.proveHistory(key, from, to)) {
                Map<String, Object> m = header(p.header());
                Map<String, Object> proof = new LinkedHashMap<>();
                proof.put("stateKey", Hex.encode(key.unsafeArray()));
                proof.put("value", p.value() == null ? null : Hex.encode(p.value()));
                proof.put("proof", Hex.encode(p.proof().encode()));
                m.put("nextValidators", proof);
                out.add(m);
                last = p.header();
            }
        } else {
            for (long h = from; h <= Math.min(to, head.height()); h++) {
                var b = chain.index().canonicalBlock(h);
                if (b == null) break;
                out.add(header(b.header()));
                last = b.header();
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("genesisHash", chain.genesisHash().toHex());
        m.put("consensus", kind);
        m.put("from", from);
        m.put("head", chain.head().height());
        m.put("headers", out);
        m.put("headCommit", last == null ? null : headCommit(last));
        ctx.json(m);
    }

    private static Map<String, Object> header(Header h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", h.height());
        m.put("hash", h.hash().toHex());
        m.put("encoded", Hex.encode(HeaderCodec.encode(h)));
        return m;
    }

    /** The stored commit certificate of {@code last} if it is the block this node holds one for (the head it decided or assembled); else null. */
    private Map<String, Object> headCommit(Header last) {
        List<Vote> votes = chain.storedCommit(last.hash());
        if (votes.isEmpty()) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", last.height());
        m.put("hash", last.hash().toHex());
        m.put("votes", votes.stream().map(v -> Hex.encode(VoteCodec.encode(v))).toList());
        return m;
    }
}
