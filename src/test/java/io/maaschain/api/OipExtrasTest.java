package io.maaschain.api;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.maas.devmodel.TestModels;
import io.maaschain.maas.inference.CallRecord;
import io.maaschain.maas.inference.InferenceRequest;
import io.maaschain.maas.inference.Tensor;
import io.maaschain.maas.inference.InferenceGateway;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.maas.inference.ModelRef;
import io.maaschain.maas.inference.ModelRegistry;
import io.maaschain.maas.inference.OipJson;
import io.maaschain.maas.inference.RemoteOipBackend;
import io.maaschain.maas.inference.ResponseDecorator;
import io.maaschain.maas.inference.CallAuthorizer;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;

/** OIP extras: repository index, per-model statistics, gzip bodies, OIP errors everywhere under /v2, readiness, 403 DEPRECATED, 405. */
class OipExtrasTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final long MAX_BODY = 64 * 1024;
    static final String CALL = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}";

    @TempDir Path dir;
    ModelRegistry.InMemory registry;
    ModelHost host;
    ApiServer server;
    final HttpClient http = HttpClient.newHttpClient();
    String base;

    @BeforeEach
    void start() throws Exception {
        ArtifactStore store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
        registry = ModelRegistry.inMemory();
        byte[] iris = DevModel.onnxBytes();
        Hash digest = Sha256.hash(iris);
        store.put(digest, new ByteArrayInputStream(iris));
        registry.register(new ModelRef(DevModel.NAME, DevModel.VERSION, digest, iris.length, "onnx"));
        ModelRegistry withDeprecation = new ModelRegistry() {
            @Override
            public java.util.Optional<ModelRef> lookup(String name, String version) {
                return registry.lookup(name, version);
            }

            @Override
            public boolean deprecated(String name, String version) {
                return name.equals("old") && (version == null || version.equals("1"));
            }
        };
        host = new ModelHost(store, withDeprecation);
        host.expect(DevModel.NAME, DevModel.VERSION);
        InferenceGateway gateway = new InferenceGateway(host);
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis(ALICE));
        TxPool pool = new TxPool(chain.transition(), new VerifiedSignatures(100), new TxPool.Limits(100, 10, 5));
        server = new ApiServer(chain, pool);
        new InferenceRoutes(gateway, MAX_BODY, "test").register(server.javalin());
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        host.close();
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)));
    }

    HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b);
    }

    static void assertOipError(HttpResponse<String> r, int status, String text) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.path("error").asText()).contains(text);
        assertThat(body.has("type")).isFalse();
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void readinessIs503UntilTheConfiguredModelIsServedAndAfterItIsRefused() throws Exception {
        HttpResponse<String> before = get("/v2/health/ready");
        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).contains("\"ready\":false").contains(DevModel.NAME + "/" + DevModel.VERSION + ": configured but not served yet");
        host.serveLocal(DevModel.NAME, DevModel.VERSION);
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        // Another model served and then refused makes the whole server unready (strict readiness).
        registry.register(new ModelRef("other", "1", Sha256.hash(new byte[] {9}), 1, "onnx"));
        host.expect("other", "1");
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/v2/models/" + DevModel.NAME + "/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void repositoryIndexListsServedAndConfiguredModelsInTritonsShape() throws Exception {
        host.expect("later", "2");
        host.serveLocal(DevModel.NAME, DevModel.VERSION);
        HttpResponse<String> r = post("/v2/repository/index", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode index = Json.MAPPER.readTree(r.body());
        assertThat(index.isArray()).isTrue();
        assertThat(index.get(0).path("name").asText()).isEqualTo(DevModel.NAME);
        assertThat(index.get(0).path("version").asText()).isEqualTo(DevModel.VERSION);
        assertThat(index.get(0).path("state").asText()).isEqualTo("READY");
        assertThat(index.get(1).path("name").asText()).isEqualTo("later");
        assertThat(index.get(1).path("state").asText()).isEqualTo("UNAVAILABLE");
        JsonNode ready = Json.MAPPER.readTree(post("/v2/repository/index", "{\"ready\":true}".getBytes()).body());
        assertThat(ready.size()).isEqualTo(1);
        assertOipError(post("/v2/repository/index", "[1]".getBytes()), 400, "JSON object");
    }

    @Test
    void statisticsCountSuccessesAndFailuresPerModel() throws Exception {
        host.serveLocal(DevModel.NAME, DevModel.VERSION);
        String path = "/v2/models/" + DevModel.NAME + "/infer";
        assertThat(post(path, CALL.getBytes()).statusCode()).isEqualTo(200);
        assertThat(post(path, CALL.getBytes()).statusCode()).isEqualTo(200);
        assertThat(post(path, "{\"inputs\":[]}".getBytes()).statusCode()).isEqualTo(400);
        JsonNode s = Json.MAPPER.readTree(get("/v2/models/" + DevModel.NAME + "/stats").body()).path("model_stats").get(0);
        assertThat(s.path("name").asText()).isEqualTo(DevModel.NAME);
        assertThat(s.path("version").asText()).isEqualTo(DevModel.VERSION);
        assertThat(s.path("inference_count").asLong()).isEqualTo(2);
        assertThat(s.path("inference_stats").path("success").path("count").asLong()).isEqualTo(2);
        assertThat(s.path("inference_stats").path("success").path("ns").asLong()).isPositive();
        assertThat(s.path("inference_stats").path("fail").path("count").asLong()).isEqualTo(1);
        assertThat(s.path("last_inference").asLong()).isGreaterThan(1_700_000_000_000L);
        assertThat(Json.MAPPER.readTree(get("/v2/models/stats").body()).path("model_stats").size()).isEqualTo(1);
        assertThat(Json.MAPPER.readTree(get("/v2/models/" + DevModel.NAME + "/versions/" + DevModel.VERSION + "/stats").body())
                .path("model_stats").size()).isEqualTo(1);
        assertOipError(get("/v2/models/nope/stats"), 404, "not served");
    }

    @Test
    void gzipBodiesAreAcceptedAndABombIsRefusedWith413() throws Exception {
        host.serveLocal(DevModel.NAME, DevModel.VERSION);
        String path = "/v2/models/" + DevModel.NAME + "/infer";
        HttpResponse<String> ok = post(path, gzip(CALL.getBytes()), "Content-Encoding", "gzip");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("\"outputs\"");
        // 10 MiB of spaces compresses to about 10 KiB: small on the wire, over the 64 KiB limit once inflated.
        byte[] bomb = gzip(new byte[10 << 20]);
        assertThat(bomb.length).isLessThan((int) MAX_BODY);
        assertOipError(post(path, bomb, "Content-Encoding", "gzip"), 413, "(decompressed) exceeds the limit of " + MAX_BODY);
        assertOipError(post(path, "not gzip".getBytes(), "Content-Encoding", "gzip"), 400, "gzip request body is corrupt");
        assertOipError(post(path, CALL.getBytes(), "Content-Encoding", "br"), 415, "Content-Encoding 'br' is not supported");
    }

    @Test
    void everyV2PathAnswersOipErrorsAndAWrongMethodIs405() throws Exception {
        assertOipError(get("/v2/models/" + DevModel.NAME + "/infer"), 405, "GET is not allowed");
        assertOipError(send(HttpRequest.newBuilder(URI.create(base + "/v2/health/ready")).DELETE()), 405, "DELETE is not allowed");
        assertOipError(get("/v2/no/such/path"), 404, "not found");
        // The REST API keeps problem+json, and answers 405 for a wrong method too.
        HttpResponse<String> rest = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status")).DELETE());
        assertThat(rest.statusCode()).isEqualTo(405);
        assertThat(rest.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void aDeprecatedVersionAnswers403Deprecated() throws Exception {
        assertOipError(post("/v2/models/old/versions/1/infer", CALL.getBytes()), 403, "DEPRECATED: model 'old' version '1' is deprecated");
        assertOipError(get("/v2/models/old/versions/1"), 403, "DEPRECATED");
        assertOipError(get("/v2/models/old"), 403, "DEPRECATED");
        assertOipError(post("/v2/models/gone/infer", CALL.getBytes()), 404, "is unknown");
    }
}
