package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.StateCommitment;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Address;
import io.maaschain.state.Account;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.ModelName;
import io.maaschain.state.ModelVersion;
import io.maaschain.state.StateKeys;
import io.maaschain.storage.Column;
import io.maaschain.txpool.TxPool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Accounts and the model registry, each answer with a proof against the head's state root. */
final class StateRoutes {
    static final int MAX_MODELS_PAGE = 200;

    private final Blockchain chain;
    private final TxPool pool;

    StateRoutes(Blockchain chain, TxPool pool) {
        this.chain = chain;
        this.pool = pool;
    }

    void register(Javalin app) {
        app.get("/api/v1/accounts/{address}", this::account);
        app.get("/api/v1/models", this::models);
        app.get("/api/v1/models/{name}", this::model);
        app.get("/api/v1/models/{name}/versions/{version}", this::modelVersion);
        app.get("/api/v1/accounts/{address}/escrow/{host}", this::escrow);
        app.get("/api/v1/models/{name}/grants/{address}", this::grant);
    }

    private void account(Context ctx) {
        Address address;
        try {
            address = Address.parse(ctx.pathParam("address"));
        } catch (CodecException e) {
            throw ApiException.badRequest("MALFORMED", e.getMessage());
        }
        Bytes key = StateKeys.account(address);
        Blockchain.ProvenValue pv = chain.prove(key);
        Account a = pv.value() == null ? Account.EMPTY : Account.decode(pv.value());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", address.toString());
        m.put("balance", a.balance());
        m.put("nonce", a.nonce());
        m.put("nextNonce", pool.nextNonce(address, chain.headState()));
        m.put("proof", proof(key, pv));
        ctx.json(m);
    }

    private void models(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        byte[] prefix = {(byte) StateKeys.MODEL_NAME};
        int limit = (int) Math.min(MAX_MODELS_PAGE, Math.max(1, ChainRoutes.longParam(ctx, "limit", 100)));
        chain.scanState(prefix, (k, v) -> {
            ModelName name = ModelName.decode(v);
            String n = new io.maaschain.codec.ByteReader(k).skip(1).string(io.maaschain.ledger.tx.RegisterModel.MAX_NAME, "name");
            byte[] latest = chain.headState().get(StateKeys.modelVersion(n, name.latestVersion()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n);
            m.put("owner", name.owner().toString());
            m.put("latestVersion", name.latestVersion());
            m.put("versions", name.versionCount());
            if (latest != null) {
                Map<String, Object> l = Views.modelVersion(ModelVersion.decode(latest));
                l.putAll(ModelMarketView.of(chain, n, name.latestVersion()));
                m.put("latest", l);
            }
            out.add(m);
            return out.size() < limit;
        });
        ctx.json(Map.of("models", out));
    }

    private void model(Context ctx) {
        String name = ctx.pathParam("name");
        Blockchain.ProvenValue owner = chain.prove(StateKeys.modelName(name));
        if (owner.value() == null) throw ApiException.notFound("model " + name);
        modelAnswer(ctx, name, ModelName.decode(owner.value()).latestVersion());
    }

    private void modelVersion(Context ctx) {
        modelAnswer(ctx, ctx.pathParam("name"), ctx.pathParam("version"));
    }

    private void modelAnswer(Context ctx, String name, String version) {
        Bytes key = StateKeys.modelVersion(name, version);
        Blockchain.ProvenValue pv = chain.prove(key);
        if (pv.value() == null) throw ApiException.notFound("model " + name + " version " + version);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", name);
        m.putAll(Views.modelVersion(ModelVersion.decode(pv.value())));
        m.putAll(ModelMarketView.of(chain, name, version));
        m.put("proof", proof(key, pv));
        ctx.json(m);
    }

    private void escrow(Context ctx) {
        Address caller = address(ctx.pathParam("address"));
        Address host = address(ctx.pathParam("host"));
        Bytes key = MarketRecords.escrowKey(caller, host);
        Blockchain.ProvenValue pv = chain.prove(key);
        MarketRecords.Escrow e = pv.value() == null ? MarketRecords.Escrow.EMPTY : MarketRecords.Escrow.decode(pv.value());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("caller", caller.toString());
        m.put("host", host.toString());
        m.put("balance", e.balance());
        m.put("pendingWithdrawal", e.pendingWithdrawal());
        m.put("unlockHeight", e.unlockHeight());
        m.put("settled", e.settled());
        m.put("channelId", io.maaschain.ledger.tx.PaymentAuthorisation.channelId(chain.transition().params().chainId(), caller, host).toHex());
        m.put("proof", proof(key, pv));
        ctx.json(m);
    }

    private void grant(Context ctx) {
        String name = ctx.pathParam("name");
        Address grantee = address(ctx.pathParam("address"));
        Bytes key = MarketRecords.grantKey(name, grantee);
        Blockchain.ProvenValue pv = chain.prove(key);
        if (pv.value() == null) throw ApiException.notFound("grant of model " + name + " to " + grantee);
        MarketRecords.Grant g = MarketRecords.Grant.decode(pv.value());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name);
        m.put("grantee", grantee.toString());
        m.put("quota", g.quota());
        m.put("used", g.used());
        m.put("expiryHeight", g.expiryHeight());
        m.put("proof", proof(key, pv));
        ctx.json(m);
    }

    static Address address(String text) {
        try {
            return Address.parse(text);
        } catch (CodecException e) {
            throw ApiException.badRequest("MALFORMED", e.getMessage());
        }
    }

    /** Everything a client needs to check the value against a block header without trusting this node. */
    static Map<String, Object> proof(Bytes key, Blockchain.ProvenValue pv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blockHeight", pv.head().height());
        m.put("blockHash", pv.head().hash().toHex());
        m.put("stateRoot", pv.head().header().stateRoot().toHex());
        m.put("stateKey", Hex.encode(key.unsafeArray()));
        m.put("treeKey", StateCommitment.treeKey(key).toHex());
        m.put("value", pv.value() == null ? null : Hex.encode(pv.value()));
        m.put("siblings", Views.hexes(pv.proof().siblings()));
        m.put("terminalLeaf", pv.proof().terminalLeaf()
                .map(l -> Map.of("key", l.key().toHex(), "valueHash", l.valueHash().toHex())).orElse(null));
        m.put("encoded", Hex.encode(pv.proof().encode()));
        return m;
    }
}
