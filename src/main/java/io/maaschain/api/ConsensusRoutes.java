package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.chain.Blockchain;
import io.maaschain.consensus.BlockRef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GET consensus: the chain's fixed parameters (the genesis consensus section and the chain-wide rules), the engine's
 * view of the head state (validators, epoch or schedule, finality) and the local protocol.
 */
final class ConsensusRoutes {
    private final Blockchain chain;
    private final ConsensusStatus status;

    ConsensusRoutes(Blockchain chain, ConsensusStatus status) {
        this.chain = chain;
        this.status = status;
    }

    void register(Javalin app) {
        app.get("/api/v1/consensus", this::consensus);
    }

    /** The chain-wide rules of the genesis file (docs/spec.md, "Genesis file"), with the genesis hash they are part of. */
    static Map<String, Object> chainParameters(Blockchain chain) {
        io.maaschain.ledger.ChainParams p = chain.genesis().params();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainId", p.chainId());
        m.put("minTxFee", p.minTxFee());
        m.put("maxBlockTransactions", p.maxBlockTransactions());
        m.put("maxBlockBytes", p.maxBlockBytes());
        m.put("genesisTimestamp", chain.genesis().timestampMillis());
        m.put("genesisHash", chain.genesisHash().toHex());
        return m;
    }

    private void consensus(Context ctx) {
        BlockRef f = chain.finalized();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", chain.engine().kind());
        m.put("height", chain.head().height());
        m.put("finalizedHeight", f.height());
        m.put("finalizedHash", f.hash().toHex());
        m.put("parameters", chain.genesis().consensus());
        m.put("chain", chainParameters(chain));
        m.put("engine", chain.engine().describe(chain.headState()));
        m.put("local", status.local().orElse(null));
        ctx.json(m);
    }
}
