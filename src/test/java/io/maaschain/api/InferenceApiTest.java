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

/** The Open Inference Protocol v2 API over a real HTTP socket, in the node's own ApiServer configuration. */
class InferenceApiTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final long MAX_BODY = 64 * 1024;
    /** Two held-out-like samples: a setosa and a virginica. */
    static final String TWO_FLOWERS = "[5.0,3.4,1.5,0.2, 6.7,3.0,5.8,2.2]";

    @TempDir Path dir;
    ArtifactStore store;
    ModelRegistry.InMemory registry;
    ModelHost host;
    ApiServer server;
    Hash irisDigest;
    final List<CallRecord> records = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    String base;

    @BeforeEach
    void start() throws Exception {
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
        registry = ModelRegistry.inMemory();
        byte[] iris = DevModel.onnxBytes();
        irisDigest = Sha256.hash(iris);
        store.put(irisDigest, new ByteArrayInputStream(iris));
        registry.register(new ModelRef(DevModel.NAME, DevModel.VERSION, irisDigest, iris.length, "onnx"));
        byte[] doubler = TestModels.doubler();
        Hash doublerDigest = Sha256.hash(doubler);
        store.put(doublerDigest, new ByteArrayInputStream(doubler));
        registry.register(new ModelRef("doubler", "1", doublerDigest, doubler.length, "onnx"));
        registry.register(new ModelRef("registered-only", "1", Sha256.hash(new byte[] {1}), 1, "onnx"));

        host = new ModelHost(store, registry);
        host.serveLocal(DevModel.NAME, null);
        host.serveLocal("doubler", "1");
        server = startServer(host);
        base = "http://127.0.0.1:" + server.port();
    }

    ApiServer startServer(ModelHost h) {
        ResponseDecorator receipts = new ResponseDecorator() {
            @Override
            public Map<String, Object> decorate(CallRecord r) {
                return Map.of("maaschain.receipt_id", "r-" + r.requestHash().toHex().substring(0, 8), "maaschain.fee", 5);
            }

            @Override
            public List<String> extensions() {
                return List.of("maaschain-receipts");
            }
        };
        CallAuthorizer authorizer = call -> {
            if ("mallory".equals(call.claimedCaller())) throw new io.maaschain.maas.inference.InferenceException(403, "mallory has no grant");
            return call.claimedCaller();
        };
        InferenceGateway gateway = new InferenceGateway(h, new InferenceGateway.Hooks(authorizer, records::add, receipts),
                OipJson.Limits.DEFAULT, Clock.systemUTC());
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis(ALICE));
        TxPool pool = new TxPool(chain.transition(), new VerifiedSignatures(100), new TxPool.Limits(100, 10, 5));
        ApiServer s = new ApiServer(chain, pool);
        new InferenceRoutes(gateway, MAX_BODY, "test").register(s.javalin());
        return s.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        host.close();
        store.close();
    }

    record Reply(int status, String contentType, JsonNode body, HttpResponse<String> raw) {}

    Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header(InferenceRoutes.CALLER_HEADER, "alice").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), OipJsonTree.parse(r.body()), r);
    }

    static String irisRequest(String datatype, String shape, String data) {
        return "{\"id\":\"req-1\",\"parameters\":{\"trace\":true,\"tag\":\"x\"},\"inputs\":[{\"name\":\"input\",\"shape\":" + shape
                + ",\"datatype\":\"" + datatype + "\",\"data\":" + data + "}]}";
    }

    void assertError(Reply r, int status, String fragment) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.body().size()).isEqualTo(1);
        assertThat(r.body().path("error").asText()).contains(fragment);
    }

    @Test
    void serverMetadataAndHealth() throws Exception {
        Reply meta = get("/v2");
        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.body().path("name").asText()).isEqualTo("maaschain");
        assertThat(meta.body().path("version").asText()).isEqualTo("test");
        assertThat(meta.body().path("extensions").toString()).isEqualTo("[\"binary_tensor_data\",\"maaschain-receipts\"]");
        assertThat(get("/v2/health/live").body().path("live").asBoolean()).isTrue();
        Reply ready = get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("ready").asBoolean()).isTrue();
    }

    @Test
    void modelMetadataAndReadiness() throws Exception {
        for (String path : List.of("/v2/models/iris", "/v2/models/iris/versions/1.0.0")) {
            Reply r = get(path);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("name").asText()).isEqualTo("iris");
            assertThat(r.body().path("versions").toString()).isEqualTo("[\"1.0.0\"]");
            assertThat(r.body().path("platform").asText()).isEqualTo("onnxruntime_onnx");
            assertThat(r.body().path("inputs").toString()).isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
            assertThat(r.body().path("outputs").findValuesAsText("name")).containsExactlyInAnyOrder("label", "probabilities");
            assertThat(r.raw().headers().firstValue(InferenceRoutes.ARTIFACT_DIGEST_HEADER)).contains(irisDigest.toHex());
        }
        Reply ready = get("/v2/models/iris/versions/1.0.0/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("ready").asBoolean()).isTrue();
        assertError(get("/v2/models/nope"), 404, "unknown");
        assertError(get("/v2/models/nope/ready"), 404, "unknown");
        assertError(get("/v2/models/iris/versions/9.9.9"), 404, "version '9.9.9'");
        assertError(get("/v2/models/registered-only"), 404, "registered but not served");
    }

    @Test
    void aModelThatFailedToLoadAnswers503WithTheReasonEverywhere() throws Exception {
        byte[] notOnnx = "not an onnx protobuf".getBytes(StandardCharsets.US_ASCII);
        Hash bad = Sha256.hash(notOnnx);
        store.put(bad, new ByteArrayInputStream(notOnnx));
        registry.register(new ModelRef("broken", "1", bad, notOnnx.length, "onnx"));
        try {
            host.serveLocal("broken", "1");
        } catch (io.maaschain.maas.inference.InferenceException expected) {
            // recorded as a load failure
        }
        for (String path : List.of("/v2/models/broken/ready", "/v2/models/broken/versions/1/ready", "/v2/models/broken")) {
            Reply r = get(path);
            assertThat(r.status()).as(path).isEqualTo(503);
            assertThat(r.body().path("ready").asBoolean(true)).isFalse();
            assertThat(r.body().path("reason").asText()).contains("onnxruntime cannot load the model");
            assertThat(r.body().path("attempts").asInt()).isEqualTo(1);
            assertThat(r.body().path("error").asText()).startsWith("model broken/1 failed to load (1 attempt, next at ");
        }
        Reply call = post("/v2/models/broken/infer", irisRequest("FP32", "[1,4]", "[5.0,3.4,1.5,0.2]"));
        assertError(call, 503, "model broken/1 failed to load");
        Reply ready = get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body().path("notReady").toString()).contains("broken/1: failed to load");
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/repository/index"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(index.body()).contains("\"name\":\"broken\"").contains("UNAVAILABLE").contains("onnxruntime cannot load");
    }

    @Test
    void inferHappyPathWithFlatAndNestedData() throws Exception {
        String flat = irisRequest("FP32", "[2,4]", TWO_FLOWERS);
        for (String body : List.of(flat, irisRequest("FP32", "[2,4]", "[[5.0,3.4,1.5,0.2],[6.7,3.0,5.8,2.2]]"))) {
            Reply r = post("/v2/models/iris/infer", body);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            JsonNode b = r.body();
            assertThat(b.path("model_name").asText()).isEqualTo("iris");
            assertThat(b.path("model_version").asText()).isEqualTo("1.0.0");
            assertThat(b.path("id").asText()).isEqualTo("req-1");
            assertThat(b.path("parameters").path("maaschain.fee").asInt()).isEqualTo(5);
            JsonNode label = output(b, "label");
            assertThat(label.path("datatype").asText()).isEqualTo("INT64");
            assertThat(label.path("shape").toString()).isEqualTo("[2]");
            assertThat(label.path("data").toString()).isEqualTo("[0,2]");
            JsonNode probs = output(b, "probabilities");
            assertThat(probs.path("datatype").asText()).isEqualTo("FP32");
            assertThat(probs.path("shape").toString()).isEqualTo("[2,3]");
            assertThat(probs.path("data").size()).isEqualTo(6);
            assertThat(probs.path("data").get(0).asDouble()).isGreaterThan(0.8);
        }
        // The call record binds the model's on-chain digest, the caller, and the request as received.
        CallRecord rec = records.get(0);
        assertThat(rec.succeeded()).isTrue();
        assertThat(rec.modelName()).isEqualTo("iris");
        assertThat(rec.modelVersion()).isEqualTo("1.0.0");
        assertThat(rec.artifactDigest()).isEqualTo(irisDigest);
        assertThat(rec.caller()).isEqualTo("alice");
        assertThat(rec.requestId()).isEqualTo("req-1");
        assertThat(rec.requestHash()).isEqualTo(Sha256.hash(flat.getBytes(StandardCharsets.UTF_8)));
        assertThat(rec.responseHash()).isNotNull().isEqualTo(records.get(1).responseHash());
        assertThat(rec.latencyNanos()).isPositive();
        assertThat(post("/v2/models/iris/versions/1.0.0/infer", flat).status()).isEqualTo(200);
    }

    @Test
    void requestedOutputsOnly() throws Exception {
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[6.0,2.9,4.5,1.5]}],"
                + "\"outputs\":[{\"name\":\"label\"}]}";
        Reply r = post("/v2/models/iris/infer", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("outputs").size()).isEqualTo(1);
        assertThat(output(r.body(), "label").path("data").toString()).isEqualTo("[1]");
        assertThat(r.body().has("id")).isFalse();
        assertError(post("/v2/models/iris/infer", body.replace("\"label\"", "\"logits\"")), 400, "unknown output 'logits'");
    }

    @Test
    void int32Int64Fp64AndFp32TensorsRoundTrip() throws Exception {
        String body = """
                {"inputs":[
                  {"name":"i32","shape":[3],"datatype":"INT32","data":[1,-2,2147483647]},
                  {"name":"i64","shape":[2,2],"datatype":"INT64","data":[[1,2],[-3,4000000000]]},
                  {"name":"f64","shape":[2],"datatype":"FP64","data":[0.1,-2.5]},
                  {"name":"f32","shape":[3],"datatype":"FP32","data":[1.5,0,-0.25]}]}""";
        Reply r = post("/v2/models/doubler/infer", body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(output(r.body(), "i32_out").path("data").toString()).isEqualTo("[2,-4,-2]"); // int32 wraps, as ONNX Add does
        assertThat(output(r.body(), "i64_out").path("data").toString()).isEqualTo("[2,4,-6,8000000000]");
        assertThat(output(r.body(), "i64_out").path("shape").toString()).isEqualTo("[2,2]");
        assertThat(output(r.body(), "f64_out").path("data").toString()).isEqualTo("[0.2,-5.0]");
        assertThat(output(r.body(), "f32_out").path("data").toString()).isEqualTo("[3.0,0.0,-0.5]");
        assertError(post("/v2/models/doubler/infer", body.replace("2147483647", "2147483648")), 400, "out of INT32 range");
        assertError(post("/v2/models/doubler/infer", body.replace("[1,-2,2147483647]", "[1,-2,3.5]")), 400, "not an integer");
    }

    @Test
    void badTensorsAre400WithTheProtocolErrorBody() throws Exception {
        String path = "/v2/models/iris/infer";
        assertError(post(path, irisRequest("FP64", "[2,4]", TWO_FLOWERS)), 400, "datatype FP64, the model takes FP32");
        assertError(post(path, irisRequest("FP32", "[1,8]", TWO_FLOWERS)), 400, "shape [1, 8], the model takes [-1, 4]");
        assertError(post(path, irisRequest("FP32", "[8]", TWO_FLOWERS)), 400, "the model takes [-1, 4]");
        assertError(post(path, irisRequest("FP32", "[3,4]", TWO_FLOWERS)), 400, "12 elements) but 8 data values");
        assertError(post(path, irisRequest("FP32", "[2,4]", "[[5.0,3.4,1.5],[6.7,3.0,5.8,2.2,1]]")), 400, "nested data does not match shape");
        assertError(post(path, irisRequest("FP99", "[2,4]", TWO_FLOWERS)), 400, "unknown datatype 'FP99'");
        assertError(post(path, irisRequest("FP32", "[2,4]", "[5.0,\"x\",1.5,0.2,6.7,3.0,5.8,2.2]")), 400, "not a number");
        assertError(post(path, irisRequest("FP32", "[2,4]", TWO_FLOWERS).replace("\"input\"", "\"pixels\"")), 400, "unknown input 'pixels'");
        assertError(post(path, "{\"inputs\":[]}"), 400, "non-empty array");
        assertError(post(path, "{\"inputs\":"), 400, "not valid JSON");
        assertError(post(path, ""), 400, "empty");
        assertError(post(path, irisRequest("FP32", "[-1,4]", TWO_FLOWERS)), 400, "non-negative integers");
        assertError(post("/v2/models/doubler/infer", "{\"inputs\":[{\"name\":\"i32\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]}]}"),
                400, "missing input");
        assertThat(records).hasSize(13).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error()).isNotBlank();
            assertThat(r.responseHash()).isNull();
        });
    }

    HttpRequest.Builder binary(byte[] body, String headerLength) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/infer")).header("Content-Type", "application/octet-stream")
                .header(InferenceRoutes.CALLER_HEADER, "alice").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headerLength != null) b.header(OipJson.HEADER_LENGTH_HEADER, headerLength);
        return b;
    }

    @Test
    void binaryTensorDataInAndOut() throws Exception {
        // The input as binary data, the probabilities asked for as binary data, the label as JSON.
        Tensor input = Tensor.fp32("input", new long[] {2, 4}, 5.0f, 3.4f, 1.5f, 0.2f, 6.7f, 3.0f, 5.8f, 2.2f);
        InferenceRequest req = new InferenceRequest("bin-1", Map.of(), List.of(input), List.of("label", "probabilities"),
                Map.of("probabilities", true), false);
        OipJson.Encoded enc = OipJson.encodeRequest(req, n -> true);
        HttpResponse<byte[]> r = http.send(binary(enc.body(), Integer.toString(enc.jsonLength())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/octet-stream");
        int jsonLength = Integer.parseInt(r.headers().firstValue(OipJson.HEADER_LENGTH_HEADER).orElseThrow());
        JsonNode head = Json.MAPPER.readTree(Arrays.copyOf(r.body(), jsonLength));
        assertThat(head.path("id").asText()).isEqualTo("bin-1");
        assertThat(output(head, "label").path("data").toString()).isEqualTo("[0,2]");
        JsonNode probs = output(head, "probabilities");
        assertThat(probs.has("data")).isFalse();
        assertThat(probs.path("shape").toString()).isEqualTo("[2,3]");
        assertThat(probs.path("parameters").path(OipJson.BINARY_DATA_SIZE).asInt()).isEqualTo(24);
        assertThat(r.body().length).isEqualTo(jsonLength + 24);
        float[] p = new float[6];
        ByteBuffer.wrap(r.body(), jsonLength, 24).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(p);

        // The same call in JSON: the same outputs, so the same response hash; each request hash is its body's as received.
        String json = "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\",\"data\":" + TWO_FLOWERS
                + "}],\"outputs\":[{\"name\":\"label\"},{\"name\":\"probabilities\"}]}";
        Reply plain = post("/v2/models/iris/infer", json);
        assertThat(plain.status()).isEqualTo(200);
        JsonNode jsonProbs = output(plain.body(), "probabilities").path("data");
        for (int i = 0; i < 6; i++) assertThat((float) jsonProbs.get(i).asDouble()).isEqualTo(p[i]);
        assertThat(records.get(0).requestHash()).isEqualTo(Sha256.hash(enc.body()));
        assertThat(records.get(1).requestHash()).isEqualTo(Sha256.hash(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(records.get(0).responseHash()).isEqualTo(records.get(1).responseHash());

        // Malformed bodies are 400 with the protocol's error body, and recorded.
        String length = Integer.toString(enc.jsonLength());
        assertError(send(binary(enc.body(), "twelve")), 400, OipJson.HEADER_LENGTH_HEADER);
        assertError(send(binary(enc.body(), Integer.toString(enc.body().length + 1))), 400, "between 1 and " + enc.body().length);
        assertError(send(binary(enc.body(), Integer.toString(enc.jsonLength() + 2))), 400, "exact length of the JSON object");
        assertError(send(binary(enc.body(), null)), 400, "not valid JSON");
        assertError(send(binary(Arrays.copyOf(enc.body(), enc.body().length - 4), length)), 400, "add up to 32");
        byte[] wrongSize = new String(enc.body(), 0, enc.jsonLength(), StandardCharsets.ISO_8859_1).replace("\"binary_data_size\":32", "\"binary_data_size\":28")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] wrongBody = Arrays.copyOf(wrongSize, wrongSize.length + 28);
        assertError(send(binary(wrongBody, Integer.toString(wrongSize.length))), 400, "take 32 bytes");
        assertThat(records.subList(2, records.size())).hasSize(6).allSatisfy(rec -> {
            assertThat(rec.status()).isEqualTo(400);
            assertThat(rec.requestHash()).isNotNull();
        });
    }

    @Test
    void unknownModelIs404() throws Exception {
        assertError(post("/v2/models/nope/infer", irisRequest("FP32", "[2,4]", TWO_FLOWERS)), 404, "model 'nope' is unknown");
        assertError(post("/v2/models/iris/versions/2.0.0/infer", irisRequest("FP32", "[2,4]", TWO_FLOWERS)), 404, "version '2.0.0'");
        assertError(post("/v2/models/registered-only/infer", irisRequest("FP32", "[2,4]", TWO_FLOWERS)), 404, "not served by this node");
        assertThat(records).hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(404));
    }

    @Test
    void accessChecksRunBeforeTheBackendAndAreRecorded() throws Exception {
        Reply r = send(HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/infer")).header(InferenceRoutes.CALLER_HEADER, "mallory")
                .POST(HttpRequest.BodyPublishers.ofString(irisRequest("FP32", "[2,4]", TWO_FLOWERS))));
        assertError(r, 403, "no grant");
        assertThat(records).singleElement().satisfies(rec -> {
            assertThat(rec.status()).isEqualTo(403);
            assertThat(rec.caller()).isEqualTo("mallory");
            assertThat(rec.artifactDigest()).isEqualTo(irisDigest);
        });
    }

    @Test
    void oversizedRequestsAre413WithoutReadingThem() throws Exception {
        StringBuilder data = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) data.append(i == 0 ? "" : ",").append("1.25");
        String big = irisRequest("FP32", "[5000,4]", data.append("]").toString());
        assertThat(big.length()).isGreaterThan((int) MAX_BODY);
        assertError(post("/v2/models/iris/infer", big), 413, "exceeds the limit");
        // Without a Content-Length (chunked), the body is read up to the limit and refused there.
        Reply chunked = send(HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/infer"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
        assertError(chunked, 413, "exceeds the limit");
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.requestHash()).isNull();
        });
    }

    @Test
    void aTamperedModelIsUnloadedOnRecheckAndRefused() throws Exception {
        assertThat(post("/v2/models/iris/infer", irisRequest("FP32", "[2,4]", TWO_FLOWERS)).status()).isEqualTo(200);
        assertThat(host.recheck()).isEmpty();

        Path file = store.file(irisDigest).orElseThrow();
        file.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x42}), ch.size() - 5);
        }
        assertThat(host.recheck()).extracting(m -> m.ref().id()).containsExactly("iris/1.0.0");

        assertError(post("/v2/models/iris/infer", irisRequest("FP32", "[2,4]", TWO_FLOWERS)), 503, "chunk 0");
        Reply ready = get("/v2/models/iris/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body().path("ready").asBoolean()).isFalse();
        assertThat(get("/v2/health/ready").status()).isEqualTo(503);
        // The other model is unaffected.
        assertThat(get("/v2/models/doubler/ready").status()).isEqualTo(200);
    }

    @Test
    void aRemoteBackendForwardsToAnotherOipServer() throws Exception {
        ModelHost front = new ModelHost(store, registry);
        front.serveRemote(DevModel.NAME, DevModel.VERSION,
                RemoteOipBackend.connect(http, URI.create(base), DevModel.NAME, DevModel.VERSION, Duration.ofSeconds(10)));
        ApiServer frontServer = startServer(front);
        try {
            String frontBase = "http://127.0.0.1:" + frontServer.port();
            HttpResponse<String> meta = http.send(HttpRequest.newBuilder(URI.create(frontBase + "/v2/models/iris")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(OipJsonTree.parse(meta.body()).path("inputs").toString()).isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(frontBase + "/v2/models/iris/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(irisRequest("FP32", "[2,4]", TWO_FLOWERS))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode b = OipJsonTree.parse(r.body());
            assertThat(output(b, "label").path("data").toString()).isEqualTo("[0,2]");
            assertThat(b.path("id").asText()).isEqualTo("req-1");
            // Both servers recorded the call; the same outputs give the same response hash.
            assertThat(records).hasSize(2);
            assertThat(records.get(0).responseHash()).isEqualTo(records.get(1).responseHash());
            // The front's validation refuses a bad request before it leaves the node.
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(frontBase + "/v2/models/iris/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(irisRequest("FP32", "[1,8]", TWO_FLOWERS))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(records).hasSize(3);
            // When the remote server goes away, calls fail with 500.
            server.close();
            HttpResponse<String> down = http.send(HttpRequest.newBuilder(URI.create(frontBase + "/v2/models/iris/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(irisRequest("FP32", "[2,4]", TWO_FLOWERS))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(500);
            assertThat(OipJsonTree.parse(down.body()).path("error").asText()).contains("cannot be reached");
        } finally {
            frontServer.close();
            front.close();
        }
    }

    static JsonNode output(JsonNode response, String name) {
        for (JsonNode o : response.path("outputs")) if (o.path("name").asText().equals(name)) return o;
        throw new AssertionError("no output " + name + " in " + response);
    }

    /** Parses answers leniently so that a non-JSON body shows up as a failed assertion, not an exception. */
    static final class OipJsonTree {
        static JsonNode parse(String body) {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                return com.fasterxml.jackson.databind.node.TextNode.valueOf(body);
            }
        }
    }

    @Test
    void aHugeChunkedInferenceBodyIsRefusedAfterAboutTheLimit() throws Exception {
        var o = ChunkedPost.send(server.port(), "POST", "/v2/models/iris/infer", "application/json",
                "{\"inputs\":[".getBytes(StandardCharsets.US_ASCII), 200L << 20);
        // The inference API answers in the OIP error format ({"error": ...}), not problem+json (docs/inference.md).
        assertThat(o.status()).isEqualTo(413);
        assertThat(o.body().path("error").asText()).contains("exceeds the limit");
        assertThat(o.heapGrowth()).as("heap growth").isLessThan(3 * MAX_BODY + ChunkedPost.HEAP_SLACK);
    }
}
