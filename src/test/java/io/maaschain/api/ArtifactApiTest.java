package io.maaschain.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.chain.Blockchain;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.maas.access.ReplayGuard;
import io.maaschain.maas.access.SignedRequestVerifier;
import io.maaschain.maas.artifact.ArtifactAccess;
import io.maaschain.maas.artifact.ArtifactRequests;
import io.maaschain.crypto.Sha256;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.ChunkManifest;
import io.maaschain.maas.artifact.PatternStream;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifact upload and download over a real socket, in the node's ApiServer configuration. Every request is signed by
 * the uploading account: the artifacts here are registered by no model, so only their uploader may read them
 * (ArtifactAccessApiTest covers who else may).
 */
class ArtifactApiTest {
    static final KeyPair UPLOADER = Fixtures.key(5);
    static final AtomicLong NONCES = new AtomicLong();
    static final int MIB = 1 << 20;
    /** Larger than ApiServer.MAX_REQUEST_BYTES (32 MiB): passes only because the body is streamed, not buffered. */
    static final long SIZE = 40L * MIB + 5;
    static final long MAX = 48L * MIB;

    @TempDir Path dir;
    ArtifactStore store;
    ApiServer server;
    String base;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT.withMaxArtifactBytes(MAX));
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis(Fixtures.key(1)));
        TxPool pool = new TxPool(chain.transition(), new VerifiedSignatures(100), new TxPool.Limits(100, 10, 5));
        server = new ApiServer(chain, pool);
        new ArtifactRoutes(store, new ArtifactAccess(chain, store), new SignedRequestVerifier(new ReplayGuard(System.currentTimeMillis() - 1_000)),
                System::currentTimeMillis).register(server.javalin());
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port() + "/api/v1/artifacts/";
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    HttpResponse<String> put(Hash digest, InputStream body, long length, long offset) throws Exception {
        HttpRequest.Builder b = signed(HttpRequest.newBuilder(URI.create(base + digest.toHex())).expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length)), "PUT", digest.toHex());
        if (offset > 0) b.header(ArtifactRoutes.UPLOAD_OFFSET, Long.toString(offset));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = signed(HttpRequest.newBuilder(URI.create(base + path)).GET(), "GET", path);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET (or {@code method}) of {@code base + path}, signed by the uploader with a fresh nonce. */
    HttpRequest.Builder req(String path) {
        return signed(HttpRequest.newBuilder(URI.create(base + path)), "GET", path);
    }

    static HttpRequest.Builder signed(HttpRequest.Builder b, String method, String path) {
        Hash digest = Hash.fromHex(path.substring(0, 64));
        ArtifactRequests.sign(UPLOADER, method, "/api/v1/artifacts/" + path, digest, "n-" + NONCES.incrementAndGet() + "-" + System.nanoTime(),
                System.currentTimeMillis()).forEach(b::header);
        return b;
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void uploadStreamsPastTheBufferedBodyLimitAndDownloadsBackWithRanges() throws Exception {
        assertThat(SIZE).isGreaterThan(ApiServer.MAX_REQUEST_BYTES);
        Hash digest = PatternStream.digest(SIZE, 7);
        HttpResponse<String> up = put(digest, new PatternStream(SIZE, 7), SIZE, 0);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        assertThat(json(up).path("size").asLong()).isEqualTo(SIZE);
        assertThat(json(up).path("chunkCount").asInt()).isEqualTo(11);

        // Again: already stored, answered without reading the body.
        HttpResponse<String> again = put(digest, new PatternStream(SIZE, 7), SIZE, 0);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("existing").asBoolean()).isTrue();

        // Full download, streamed and hashed on the fly.
        HttpResponse<InputStream> down = http.send(req(digest.toHex()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(down.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
        assertThat(down.headers().firstValue("ETag")).contains("\"" + digest.toHex() + "\"");
        MessageDigest md = Sha256.newDigest();
        try (InputStream in = down.body()) {
            byte[] buf = new byte[MIB];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        assertThat(Hash.wrap(md.digest())).isEqualTo(digest);

        // Ranges.
        HttpResponse<byte[]> r1 = http.send(req(digest.toHex()).header("Range", "bytes=4194300-4194309").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r1.statusCode()).isEqualTo(206);
        assertThat(r1.headers().firstValue("Content-Range")).contains("bytes 4194300-4194309/" + SIZE);
        assertThat(r1.body()).isEqualTo(expected(4194300, 10));
        HttpResponse<byte[]> suffix = http.send(req(digest.toHex()).header("Range", "bytes=-7").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(expected(SIZE - 7, 7));
        HttpResponse<byte[]> open = http.send(req(digest.toHex()).header("Range", "bytes=" + (SIZE - 3) + "-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(open.body()).isEqualTo(expected(SIZE - 3, 3));
        HttpResponse<String> outside = get(digest.toHex(), "Range", "bytes=" + SIZE + "-");
        assertThat(outside.statusCode()).isEqualTo(416);
        assertThat(outside.headers().firstValue("Content-Range")).contains("bytes */" + SIZE);

        HttpResponse<Void> head = http.send(signed(HttpRequest.newBuilder(URI.create(base + digest.toHex())), "HEAD", digest.toHex())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);

        // Manifest, as JSON and as its canonical encoding.
        ChunkManifest m = store.manifest(digest).orElseThrow();
        JsonNode mj = json(get(digest.toHex() + "/manifest"));
        assertThat(mj.path("manifestHash").asText()).isEqualTo(m.hash().toHex());
        assertThat(mj.path("chunks").size()).isEqualTo(11);
        assertThat(mj.path("chunks").get(10).path("offset").asLong()).isEqualTo(40L * MIB);
        assertThat(mj.path("chunks").get(10).path("length").asInt()).isEqualTo(5);
        assertThat(mj.path("chunks").get(3).path("sha256").asText()).isEqualTo(m.chunkHash(3).toHex());
        HttpResponse<byte[]> bin = http.send(req(digest.toHex() + "/manifest")
                .header("Accept", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(Sha256.hash(bin.body())).isEqualTo(m.hash());
        assertThat(ChunkManifest.decode(bin.body(), Long.MAX_VALUE)).isEqualTo(m);
        assertThat(Hex.encode(bin.body())).isEqualTo(mj.path("encoded").asText());
    }

    static byte[] expected(long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = PatternStream.byteAt(7, from + i);
        return b;
    }

    @Test
    void aBodyThatDoesNotHashToTheDigestIsRefusedAndNothingIsStored() throws Exception {
        Hash claimed = Sha256.hash("another file".getBytes());
        HttpResponse<String> r = put(claimed, new PatternStream(5L * MIB, 1), 5L * MIB, 0);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("code").asText()).isEqualTo("DIGEST_MISMATCH");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(Problem.CONTENT_TYPE);
        assertThat(get(claimed.toHex()).statusCode()).isEqualTo(404);
        assertThat(json(get(claimed.toHex() + "/upload")).path("offset").asLong()).isZero();
        try (Stream<Path> files = Files.walk(store.root())) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void oversizedUploadsAre413BeforeTheBodyIsSent() throws Exception {
        Hash digest = Sha256.hash(new byte[] {1});
        long[] sent = {0};
        InputStream counting = new PatternStream(MAX + 1, 3) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) sent[0] += n;
                return n;
            }
        };
        HttpResponse<String> r = put(digest, counting, MAX + 1, 0);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("code").asText()).isEqualTo("OVERSIZED");
        assertThat(sent[0]).as("bytes the client sent").isLessThan(MAX / 4);
        assertThat(store.contains(digest)).isFalse();
    }

    @Test
    void malformedDigestsAndUnknownArtifacts() throws Exception {
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "ABC")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "00".repeat(31) + "0G")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(400);
        HttpResponse<String> missing = get("00".repeat(32));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith(Problem.CONTENT_TYPE);
        assertThat(get("00".repeat(32) + "/manifest").statusCode()).isEqualTo(404);
    }

    @Test
    void anInterruptedHttpUploadResumesWithUploadOffset() throws Exception {
        Hash digest = PatternStream.digest(SIZE, 9);
        long cut = 13L * MIB;
        try {
            put(digest, new PatternStream(SIZE, 9, 0, cut), SIZE, 0);
        } catch (IOException expected) {
            // the client gave up mid-body, as a dropped connection would
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> json(get(digest.toHex() + "/upload")).path("offset").asLong() > 0);
        long offset = json(get(digest.toHex() + "/upload")).path("offset").asLong();
        assertThat(offset).isBetween(4L * MIB, 12L * MIB).isEqualTo(offset / (4 * MIB) * (4 * MIB));
        assertThat(get(digest.toHex()).statusCode()).isEqualTo(404);

        // The server may take a moment to let go of the broken upload; until then a new one is refused as "in progress".
        HttpResponse<String> wrong;
        do {
            wrong = put(digest, new PatternStream(SIZE, 9, 20L * MIB, -1), SIZE - 20L * MIB, 20L * MIB);
        } while (wrong.body().contains("in progress"));
        assertThat(wrong.statusCode()).isEqualTo(409);
        assertThat(json(wrong).path("detail").asText()).contains("resume from offset " + offset);

        HttpResponse<String> rest = put(digest, new PatternStream(SIZE, 9, offset, -1), SIZE - offset, offset);
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(201);
        assertThat(store.verify(digest).ok()).isTrue();
    }

    @Test
    void aChunkedUploadOverTheMaximumIs413AfterAboutTheMaximum() throws Exception {
        Hash digest = Sha256.hash(new byte[] {2});
        var o = ChunkedPost.send(server.port(), "PUT", "/api/v1/artifacts/" + digest.toHex(), "application/octet-stream",
                ArtifactRequests.sign(UPLOADER, "PUT", "/api/v1/artifacts/" + digest.toHex(), digest, "chunked-" + System.nanoTime(), System.currentTimeMillis()),
                new byte[0], 200L * MIB);
        assertThat(o.status()).as(o.body().toString()).isEqualTo(413);
        assertThat(o.contentType()).startsWith(Problem.CONTENT_TYPE);
        assertThat(o.body().path("code").asText()).isEqualTo("OVERSIZED");
        assertThat(o.heapGrowth()).as("heap growth").isLessThan(ChunkedPost.HEAP_SLACK);
        assertThat(store.contains(digest)).isFalse();
    }
}
