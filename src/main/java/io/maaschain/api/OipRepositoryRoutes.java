package io.maaschain.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.maas.inference.ModelStats;
import io.maaschain.maas.inference.ServedModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Triton's model repository index and per-model statistics (docs/inference.md):
 * <pre>
 *   POST /v2/repository/index                       [{"name","version","state","reason"}], body {"ready": true} for READY only
 *   GET  /v2/models/stats                           {"model_stats": [...]} for every served version
 *   GET  /v2/models/{m}[/versions/{v}]/stats        {"model_stats": [...]} for one model (all its versions) or one version
 * </pre>
 */
final class OipRepositoryRoutes {
    private final ModelHost host;
    private final ModelStats stats;

    OipRepositoryRoutes(ModelHost host, ModelStats stats) {
        this.host = host;
        this.stats = stats;
    }

    /** Registered before {@code /v2/models/{model}} so that {@code /v2/models/stats} is not taken for a model name. */
    void register(Javalin app) {
        app.post("/v2/repository/index", this::index);
        app.get("/v2/models/stats", ctx -> stats(ctx, null, null));
        app.get("/v2/models/{model}/stats", ctx -> stats(ctx, ctx.pathParam("model"), null));
        app.get("/v2/models/{model}/versions/{version}/stats", ctx -> stats(ctx, ctx.pathParam("model"), ctx.pathParam("version")));
    }

    private void index(Context ctx) {
        boolean readyOnly = false;
        byte[] body = ctx.bodyAsBytes();
        if (body.length > 0) {
            try {
                JsonNode req = Json.MAPPER.readTree(body);
                if (req == null || !req.isObject()) throw new java.io.IOException("not an object");
                readyOnly = req.path("ready").asBoolean(false);
            } catch (java.io.IOException e) {
                InferenceRoutes.sendError(ctx, 400, "the repository index request must be a JSON object such as {\"ready\": true}");
                return;
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServedModel m : sorted()) {
            if (readyOnly && !m.ready()) continue;
            out.add(entry(m.name(), m.version(), m.ready() ? "READY" : "UNAVAILABLE", m.ready() ? "" : String.valueOf(m.refusal())));
        }
        if (!readyOnly) {
            for (var f : host.loadFailures().all()) {
                if (host.find(f.ref().name(), f.ref().version()).isEmpty()) {
                    out.add(entry(f.ref().name(), f.ref().version(), "UNAVAILABLE", ModelHost.describe(f)));
                }
            }
            for (String id : host.expectedButNotServed()) {
                int slash = id.indexOf('/');
                if (host.loadFailures().of(id.substring(0, slash), id.substring(slash + 1)).isPresent()) continue;
                out.add(entry(id.substring(0, slash), id.substring(slash + 1), "UNAVAILABLE", "configured but not served yet"));
            }
        }
        InferenceRoutes.send(ctx, 200, out);
    }

    private static Map<String, Object> entry(String name, String version, String state, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("version", version);
        m.put("state", state);
        m.put("reason", reason);
        return m;
    }

    private List<ServedModel> sorted() {
        return host.models().stream().sorted(Comparator.comparing(ServedModel::name).thenComparing(ServedModel::version)).toList();
    }

    private void stats(Context ctx, String model, String version) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServedModel m : sorted()) {
            if (model != null && !m.name().equals(model) || version != null && !m.version().equals(version)) continue;
            out.add(stat(m.name(), m.version()));
        }
        if (model != null && out.isEmpty()) {
            InferenceRoutes.sendError(ctx, 404, "model '" + model + "'" + (version == null ? "" : " version '" + version + "'")
                    + " is not served by this node");
            return;
        }
        InferenceRoutes.send(ctx, 200, Map.of("model_stats", out));
    }

    private Map<String, Object> stat(String name, String version) {
        ModelStats.Counters c = stats.of(name, version).orElseGet(ModelStats.Counters::new);
        long success = c.successCount.get();
        long fail = c.failCount.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("version", version);
        m.put("last_inference", c.lastInferenceMillis.get());
        m.put("inference_count", success);
        m.put("execution_count", success);
        m.put("inference_stats", Map.of(
                "success", Map.of("count", success, "ns", c.successNanos.get()),
                "fail", Map.of("count", fail, "ns", c.failNanos.get())));
        m.put("batch_stats", List.of());
        return m;
    }

}
