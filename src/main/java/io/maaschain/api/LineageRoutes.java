package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.state.ModelName;
import io.maaschain.state.ModelVersion;
import io.maaschain.state.StateKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/models/{name}/lineage[?version=V&depth=N]}: a model version's parent models and datasets, each
 * digest resolved to the model versions registered with that artifact digest (where any), and parents followed
 * recursively up to {@code depth} levels (default 8, at most 16), never visiting a version twice.
 */
public final class LineageRoutes {
    static final int DEFAULT_DEPTH = 8;
    static final int MAX_DEPTH = 16;

    private final Blockchain chain;

    public LineageRoutes(Blockchain chain) {
        this.chain = chain;
    }

    public void register(Javalin app) {
        app.get("/api/v1/models/{name}/lineage", this::lineage);
    }

    private void lineage(Context ctx) {
        String name = ctx.pathParam("name");
        String version = ctx.queryParam("version");
        int depth = (int) Math.min(MAX_DEPTH, Math.max(0, ChainRoutes.longParam(ctx, "depth", DEFAULT_DEPTH)));
        if (version == null || version.isBlank()) {
            byte[] n = chain.headState().get(StateKeys.modelName(name));
            if (n == null) throw ApiException.notFound("model " + name);
            version = ModelName.decode(n).latestVersion();
        }
        byte[] v = chain.headState().get(StateKeys.modelVersion(name, version));
        if (v == null) throw ApiException.notFound("model " + name + " version " + version);
        Map<Hash, List<ModelVersion>> byDigest = registry();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("blockHeight", chain.head().height());
        out.putAll(node(ModelVersion.decode(v), byDigest, depth, new HashSet<>()));
        ctx.json(out);
    }

    /** Every registered model version, by artifact digest. */
    private Map<Hash, List<ModelVersion>> registry() {
        Map<Hash, List<ModelVersion>> m = new HashMap<>();
        chain.scanState(new byte[] {(byte) StateKeys.MODEL_VERSION}, (k, value) -> {
            ModelVersion mv = ModelVersion.decode(value);
            m.computeIfAbsent(mv.registration().artifactDigest(), d -> new ArrayList<>()).add(mv);
            return true;
        });
        return m;
    }

    private Map<String, Object> node(ModelVersion mv, Map<Hash, List<ModelVersion>> byDigest, int depth, Set<String> visited) {
        RegisterModel r = mv.registration();
        visited.add(r.name() + "/" + r.version());
        Map<String, Object> m = summary(mv);
        List<Map<String, Object>> parents = new ArrayList<>();
        for (Hash d : r.parentModels()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("digest", d.toHex());
            List<Map<String, Object>> models = new ArrayList<>();
            for (ModelVersion parent : byDigest.getOrDefault(d, List.of())) {
                String id = parent.registration().name() + "/" + parent.registration().version();
                if (visited.contains(id)) {
                    Map<String, Object> seen = summary(parent);
                    seen.put("cycle", true);
                    models.add(seen);
                } else if (depth <= 1) {
                    Map<String, Object> cut = summary(parent);
                    cut.put("truncated", true);
                    models.add(cut);
                } else {
                    models.add(node(parent, byDigest, depth - 1, new HashSet<>(visited)));
                }
            }
            p.put("registered", !models.isEmpty());
            p.put("models", models);
            parents.add(p);
        }
        m.put("parents", parents);
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (Hash d : r.datasets()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("digest", d.toHex());
            List<Map<String, Object>> models = byDigest.getOrDefault(d, List.of()).stream().map(LineageRoutes::summary).toList();
            p.put("registered", !models.isEmpty());
            p.put("models", models);
            datasets.add(p);
        }
        m.put("datasets", datasets);
        return m;
    }

    private static Map<String, Object> summary(ModelVersion mv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", mv.registration().name());
        m.put("version", mv.registration().version());
        m.put("artifactDigest", mv.registration().artifactDigest().toHex());
        m.put("format", mv.registration().format());
        m.put("owner", mv.owner().toString());
        m.put("registeredAtHeight", mv.registeredAtHeight());
        return m;
    }
}
