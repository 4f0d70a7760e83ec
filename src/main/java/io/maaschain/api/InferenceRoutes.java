package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.maas.inference.InferenceGateway;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.maas.inference.OipJson;
import io.maaschain.maas.inference.ServedModel;
import io.maaschain.maas.inference.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Open Inference Protocol v2 REST API, as KServe and Triton serve it (docs/inference.md). Errors use the
 * protocol's {@code {"error": "..."}} body, not problem+json: 400 for a bad tensor name, shape or datatype, 404 for an
 * unknown model, 413 for an oversized request, 503 for a model that is refused or not ready, 500 for a backend failure.
 * The binary tensor data extension is supported ({@code Inference-Header-Content-Length}, see {@link OipJson}); an
 * answer with binary outputs is {@code application/octet-stream} with that header.
 *
 * <pre>
 *   GET  /v2                                           server metadata (name, version, extensions)
 *   GET  /v2/health/live, /v2/health/ready
 *   GET  /v2/models/{m}[/versions/{v}]                 model metadata
 *   GET  /v2/models/{m}[/versions/{v}]/ready
 *   POST /v2/models/{m}[/versions/{v}]/infer
 * </pre>
 */
public final class InferenceRoutes {
    public static final long DEFAULT_MAX_REQUEST_BYTES = 16L << 20;
    /** Who the caller claims to be, until calls are signed; the gateway's CallAuthorizer decides what it is worth. */
    public static final String CALLER_HEADER = "X-Maaschain-Caller";
    /** On metadata answers: the on-chain artifact digest of the version served. */
    public static final String ARTIFACT_DIGEST_HEADER = "X-Maaschain-Artifact-Digest";
    private static final String JSON = "application/json";
    private static final String OCTET_STREAM = "application/octet-stream";

    private final InferenceGateway gateway;
    private final ModelHost host;
    private final long maxRequestBytes;
    private final String serverVersion;
    private final CommitAvailability commits;
    private final io.maaschain.maas.inference.ModelStats stats = new io.maaschain.maas.inference.ModelStats();

    public InferenceRoutes(InferenceGateway gateway, long maxRequestBytes, String serverVersion) {
        this(gateway, maxRequestBytes, serverVersion, CommitAvailability.ALWAYS);
    }

    /** {@code commits}: while it refuses, the server is not ready (paid calls could not be settled). */
    public InferenceRoutes(InferenceGateway gateway, long maxRequestBytes, String serverVersion, CommitAvailability commits) {
        this.gateway = gateway;
        this.host = gateway.host();
        this.maxRequestBytes = maxRequestBytes;
        this.serverVersion = serverVersion;
        this.commits = commits;
    }

    public InferenceRoutes(InferenceGateway gateway) {
        this(gateway, DEFAULT_MAX_REQUEST_BYTES, "0.1.0");
    }

    public void register(Javalin app) {
        new OipRepositoryRoutes(host, stats).register(app);
        app.get("/v2", ctx -> guarded(ctx, this::server));
        app.get("/v2/health/live", ctx -> guarded(ctx, c -> send(c, 200, Map.of("live", true))));
        app.get("/v2/health/ready", ctx -> guarded(ctx, this::serverReady));
        app.get("/v2/models/{model}", ctx -> guarded(ctx, this::metadata));
        app.get("/v2/models/{model}/versions/{version}", ctx -> guarded(ctx, this::metadata));
        app.get("/v2/models/{model}/ready", ctx -> guarded(ctx, this::modelReady));
        app.get("/v2/models/{model}/versions/{version}/ready", ctx -> guarded(ctx, this::modelReady));
        app.post("/v2/models/{model}/infer", ctx -> guarded(ctx, this::infer));
        app.post("/v2/models/{model}/versions/{version}/infer", ctx -> guarded(ctx, this::infer));
    }

    private interface Handler {
        void handle(Context ctx) throws Exception;
    }

    /** Every failure becomes the protocol's error body, never problem+json and never a stack trace. */
    private static void guarded(Context ctx, Handler h) {
        try {
            h.handle(ctx);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(InferenceRoutes.class).error("error on {} {}", ctx.method(), ctx.path(), e);
            sendError(ctx, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private void server(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "maaschain");
        m.put("version", serverVersion);
        List<String> extensions = new ArrayList<>();
        extensions.add(OipJson.BINARY_EXTENSION);
        extensions.addAll(gateway.hooks().decorator().extensions());
        m.put("extensions", extensions);
        send(ctx, 200, m);
    }

    /**
     * Ready when every configured model is served and every served model is ready: one refused model makes the whole
     * server unready, as KServe and Triton (strict readiness) answer, so Kubernetes stops routing to it (docs/inference.md).
     */
    private void serverReady(Context ctx) {
        Optional<String> notCommitting = commits.refusal();
        if (notCommitting.isPresent()) {
            // Paid calls need receipts settled on chain: a node that cannot commit should get no traffic.
            send(ctx, 503, Map.of("ready", false, "reason", notCommitting.get()));
            return;
        }
        List<String> notReady = host.notReady();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", notReady.isEmpty());
        if (!notReady.isEmpty()) m.put("notReady", notReady);
        send(ctx, notReady.isEmpty() ? 200 : 503, m);
    }

    private ServedModel served(Context ctx) {
        String model = ctx.pathParam("model");
        String version = ctx.pathParamMap().get("version");
        return host.find(model, version).orElse(null);
    }

    private void metadata(Context ctx) {
        ServedModel m = served(ctx);
        if (m == null) {
            notFound(ctx);
            return;
        }
        List<String> versions = host.models().stream().filter(s -> s.name().equals(m.name())).map(ServedModel::version).sorted().toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("versions", versions);
        out.put("platform", m.metadata().platform());
        out.put("inputs", specs(m.metadata().inputs()));
        out.put("outputs", specs(m.metadata().outputs()));
        ctx.header(ARTIFACT_DIGEST_HEADER, m.artifactDigest().toHex());
        send(ctx, 200, out);
    }

    private void modelReady(Context ctx) {
        ServedModel m = served(ctx);
        if (m == null) {
            notFound(ctx);
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("ready", m.ready());
        if (!m.ready()) out.put("reason", m.refusal());
        send(ctx, m.ready() ? 200 : 503, out);
    }

    /** 503 with the reason for a version that failed to load, 403 for a deprecated one, else 404. */
    private void notFound(Context ctx) {
        String model = ctx.pathParam("model");
        String version = ctx.pathParamMap().get("version");
        var failed = host.failure(model, version);
        if (failed.isPresent()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", model);
            out.put("ready", false);
            out.put("error", "model " + failed.get().ref().id() + " " + ModelHost.describe(failed.get()));
            out.put("reason", failed.get().reason());
            out.put("attempts", failed.get().attempts());
            out.put("nextAttemptAt", failed.get().nextAttemptAt().toString());
            send(ctx, 503, out);
            return;
        }
        if (host.registry().deprecated(model, version)) {
            sendError(ctx, 403, InferenceGateway.deprecated(model, version).getMessage());
            return;
        }
        boolean registered = host.registry().lookup(model, version).isPresent();
        sendError(ctx, 404, "model '" + model + "'" + (version == null ? "" : " version '" + version + "'")
                + (registered ? " is registered but not served by this node" : " is unknown"));
    }

    private void infer(Context ctx) throws IOException {
        String model = ctx.pathParam("model");
        String version = ctx.pathParamMap().get("version");
        String caller = ctx.header(CALLER_HEADER);
        if (caller == null || caller.isBlank()) caller = "ip:" + ctx.ip();
        long declared = ctx.req().getContentLengthLong();
        InferenceGateway.Reply reply;
        if (declared > maxRequestBytes) {
            reply = gateway.refuse(model, version, caller, 413, "the request body of " + declared + " bytes exceeds the limit of " + maxRequestBytes);
        } else {
            String encoding = ctx.header("Content-Encoding");
            boolean gzip = encoding != null && encoding.strip().equalsIgnoreCase("gzip");
            byte[] body = null;
            if (encoding != null && !gzip && !encoding.strip().equalsIgnoreCase("identity")) {
                reply = gateway.refuse(model, version, caller, 415, "Content-Encoding '" + encoding + "' is not supported; send gzip or identity");
            } else {
                try (InputStream raw = ctx.bodyInputStream(); InputStream in = gzip ? new java.util.zip.GZIPInputStream(raw) : raw) {
                    // The decompressed size is bounded by the same limit: a gzip bomb is cut off at limit + 1 bytes.
                    body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
                    reply = null;
                } catch (java.util.zip.ZipException | java.io.EOFException e) {
                    reply = gateway.refuse(model, version, caller, 400, "the gzip request body is corrupt: " + e.getMessage());
                }
            }
            if (reply != null) {
                // refused above
            } else if (body.length > maxRequestBytes) {
                reply = gateway.refuse(model, version, caller, 413, "the request body" + (gzip ? " (decompressed)" : "")
                        + " exceeds the limit of " + maxRequestBytes + " bytes");
            } else {
                Map<String, String> headers = new LinkedHashMap<>();
                ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
                reply = gateway.infer(model, version, body, caller, headers);
            }
        }
        // An oversized body is not read to its end: closing the connection stops the server from draining the rest.
        if (reply.status() == 413) ctx.header("Connection", "close");
        if (reply.record() != null && host.find(reply.record().modelName(), reply.record().modelVersion()).isPresent()) {
            stats.record(reply.record().modelName(), reply.record().modelVersion(), reply.status() == 200,
                    reply.record().latencyNanos(), System.currentTimeMillis());
        }
        if (reply.hasBinary()) {
            // Binary tensor data after the JSON: the header says where the JSON ends.
            ctx.status(reply.status()).contentType(OCTET_STREAM).header(OipJson.HEADER_LENGTH_HEADER, Integer.toString(reply.jsonLength()))
                    .result(reply.body());
        } else {
            ctx.status(reply.status()).contentType(JSON).result(reply.body());
        }
    }

    private static List<Map<String, Object>> specs(List<TensorSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("datatype", s.datatype().name());
            m.put("shape", s.shape());
            out.add(m);
        }
        return out;
    }

    static void send(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(OipJson.json(body));
    }

    static void sendError(Context ctx, int status, String message) {
        ctx.status(status).contentType(JSON).result(OipJson.error(message));
    }
}
