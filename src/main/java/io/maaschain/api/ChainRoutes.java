package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.Head;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Block;
import io.maaschain.txpool.TxPool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET status, blocks by height or hash, and ranges of blocks. */
final class ChainRoutes {
    static final int MAX_BLOCK_RANGE = 100;

    private final Blockchain chain;
    private final TxPool pool;
    private final NetworkStatus network;
    private final ConsensusStatus consensus;
    private final CommitAvailability commits;

    ChainRoutes(Blockchain chain, TxPool pool, NetworkStatus network, ConsensusStatus consensus, CommitAvailability commits) {
        this.chain = chain;
        this.pool = pool;
        this.network = network;
        this.consensus = consensus;
        this.commits = commits;
    }

    void register(Javalin app) {
        app.get("/api/v1/status", this::status);
        app.get("/api/v1/blocks/{id}", this::block);
        app.get("/api/v1/blocks", this::blocks);
        app.get("/api/v1/peers", ctx -> ctx.json(Map.of("peers", network.peers())));
    }

    private void status(Context ctx) {
        Head head = chain.head();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainId", chain.transition().params().chainId());
        m.put("genesisHash", chain.genesisHash().toHex());
        m.put("consensus", chain.engine().kind());
        m.put("height", head.height());
        m.put("headHash", head.hash().toHex());
        m.put("headTimestamp", head.header().timestampMillis());
        m.put("totalWork", head.totalWork().toString());
        // Final: can no longer be reorganised away (pos/dpos/bft finality; genesis under pow).
        m.put("finalizedHeight", chain.finalized().height());
        m.put("finalizedHash", chain.finalized().hash().toHex());
        m.put("stateRoot", head.header().stateRoot().toHex());
        m.put("pendingTransactions", pool.size());
        m.put("peerCount", network.peers().size());
        m.put("sync", network.sync());
        // null while consensus runs; otherwise why it stopped for good (docs/operator-guide.md, "Halted consensus").
        m.put("halted", consensus.halted().orElse(null));
        // null while transactions are accepted; otherwise why they are refused with 503.
        m.put("notCommitting", commits.refusal().orElse(null));
        ctx.json(m);
    }

    private void block(Context ctx) {
        Block b = resolve(ctx.pathParam("id"));
        if (b == null) throw ApiException.notFound("block " + ctx.pathParam("id"));
        ctx.json(Views.block(b, "true".equals(ctx.queryParam("full"))));
    }

    private Block resolve(String id) {
        if (id.matches("\\d{1,18}")) return chain.index().canonicalBlock(Long.parseLong(id));
        try {
            return chain.index().block(Hash.fromHex(id));
        } catch (CodecException e) {
            throw ApiException.badRequest("MALFORMED", "a block id is a height or a 64-digit hex hash: " + e.getMessage());
        }
    }

    private void blocks(Context ctx) {
        long head = chain.head().height();
        long limit = longParam(ctx, "limit", 20);
        if (limit < 1 || limit > MAX_BLOCK_RANGE) throw ApiException.badRequest("MALFORMED", "limit must be 1.." + MAX_BLOCK_RANGE);
        long from = longParam(ctx, "from", Math.max(0, head - limit + 1));
        if (from < 0) throw ApiException.badRequest("MALFORMED", "from must not be negative");
        List<Map<String, Object>> out = new ArrayList<>();
        for (long h = from; h <= head && h < from + limit; h++) {
            Block b = chain.index().canonicalBlock(h);
            if (b == null) break;
            out.add(Views.block(b, false));
        }
        ctx.json(Map.of("from", from, "head", head, "blocks", out));
    }

    static long longParam(Context ctx, String name, long fallback) {
        String v = ctx.queryParam(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("MALFORMED", name + " must be an integer: " + v);
        }
    }
}
