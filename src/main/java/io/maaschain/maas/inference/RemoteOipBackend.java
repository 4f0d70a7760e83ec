package io.maaschain.maas.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards calls to another Open Inference Protocol v2 server over HTTP (KServe, Triton, another maaschain node):
 * {@code POST {base}/v2/models/{name}[/versions/{version}]/infer}. Its metadata is read once, at {@link #connect}.
 * Answers are bounded in size; the remote's 400s pass through as 400, anything else it fails with becomes 500.
 */
public final class RemoteOipBackend implements InferenceBackend {
    private final HttpClient http;
    private final URI inferUri;
    private final Duration timeout;
    private final long maxResponseBytes;
    private final OipJson.Limits limits;
    private final ModelMetadata metadata;

    private RemoteOipBackend(HttpClient http, URI inferUri, Duration timeout, long maxResponseBytes, OipJson.Limits limits, ModelMetadata metadata) {
        this.http = http;
        this.inferUri = inferUri;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.limits = limits;
        this.metadata = metadata;
    }

    /**
     * Reads the remote model's metadata and returns a backend for it.
     *
     * @param base    the server's base URL, e.g. {@code http://triton:8000}
     * @param version null for the server's default version
     * @throws InferenceException 500 if the server cannot be reached or does not describe the model
     */
    public static RemoteOipBackend connect(HttpClient http, URI base, String model, String version, Duration timeout) {
        String b = base.toString().endsWith("/") ? base.toString() : base + "/";
        String path = "v2/models/" + enc(model) + (version == null ? "" : "/versions/" + enc(version));
        URI meta = URI.create(b + path);
        byte[] body = send(http, HttpRequest.newBuilder(meta).timeout(timeout).GET().build(), 1 << 20, "metadata of " + model);
        JsonNode md = OipJson.tree(body);
        ModelMetadata metadata = new ModelMetadata(md.path("platform").asText("remote"), specs(md.get("inputs"), "inputs"), specs(md.get("outputs"), "outputs"));
        return new RemoteOipBackend(http, URI.create(b + path + "/infer"), timeout, 64L << 20, OipJson.Limits.DEFAULT, metadata);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<TensorSpec> specs(JsonNode array, String what) {
        if (array == null || !array.isArray()) throw InferenceException.backend("the remote model metadata has no '" + what + "'", null);
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode n : array) {
            DataType t = DataType.parse(n.path("datatype").asText())
                    .orElseThrow(() -> InferenceException.backend("the remote model uses datatype " + n.path("datatype"), null));
            List<Long> shape = new ArrayList<>();
            for (JsonNode d : n.path("shape")) shape.add(d.asLong());
            out.add(new TensorSpec(n.path("name").asText(), t, shape));
        }
        return out;
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public String kind() {
        return "remote-oip";
    }

    @Override
    public InferenceResponse infer(InferenceRequest request) {
        HttpRequest req = HttpRequest.newBuilder(inferUri).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(OipJson.writeRequest(request))).build();
        byte[] body = send(http, req, maxResponseBytes, "inference");
        try {
            return OipJson.readResponse(body, limits);
        } catch (InferenceException e) {
            throw InferenceException.backend("the remote server's response is not valid: " + e.getMessage(), e);
        }
    }

    private static byte[] send(HttpClient http, HttpRequest req, long max, String what) {
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw InferenceException.backend("the remote server cannot be reached for " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw InferenceException.backend("interrupted", e);
        }
        byte[] body;
        try (InputStream in = resp.body()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            throw InferenceException.backend("reading the remote server's answer failed: " + e.getMessage(), e);
        }
        if (body.length > max) throw InferenceException.backend("the remote server's answer is larger than " + max + " bytes", null);
        int status = resp.statusCode();
        if (status == 200) return body;
        String error;
        try {
            error = OipJson.tree(body).path("error").asText(new String(body, StandardCharsets.UTF_8));
        } catch (InferenceException e) {
            error = "status " + status;
        }
        if (status == 400) throw InferenceException.badRequest("the remote server refused the request: " + error);
        throw InferenceException.backend("the remote server answered " + status + " to " + what + ": " + error, null);
    }

    @Override
    public void close() {
        // The HttpClient is shared and owned by the caller.
    }
}
