package io.maaschain.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.maas.access.ReplayGuard;
import io.maaschain.maas.access.RequestSignature;
import io.maaschain.maas.access.SignedRequestVerifier;
import io.maaschain.maas.artifact.ArtifactAccess;
import io.maaschain.maas.artifact.ArtifactException;
import io.maaschain.maas.artifact.ArtifactRequests;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.FreeSpaceProbe;
import io.maaschain.maas.artifact.PatternStream;
import io.maaschain.maas.artifact.UploadPolicy;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may read and write artifacts over REST (docs/api.md, "Artifacts"): private artifacts are 404 to strangers on
 * every route, exactly as a missing one; their owner and hosts read them with a signed request; uploads need an account,
 * stay within its quota and the disk reserve, and abandoned partial uploads expire.
 */
class ArtifactAccessApiTest {
    static final int MIB = 1 << 20;
    static final KeyPair OWNER = Fixtures.key(1);
    static final KeyPair HOST = Fixtures.key(3);
    static final KeyPair STRANGER = Fixtures.key(4);
    static final KeyPair UPLOADER = Fixtures.key(5);
    static final byte[] SECRET_BYTES = "the private weights, some bytes of them".getBytes(StandardCharsets.UTF_8);
    static final byte[] OPEN_BYTES = "the public weights".getBytes(StandardCharsets.UTF_8);
    static final Hash SECRET = Sha256.hash(SECRET_BYTES);
    static final Hash OPEN = Sha256.hash(OPEN_BYTES);
    static final Hash MISSING = Sha256.hash("never stored".getBytes(StandardCharsets.UTF_8));
    static final AtomicLong NONCES = new AtomicLong();

    /** A clock the test moves forward, for the expiry of partial uploads. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir Path dir;
    Blockchain chain;
    ArtifactStore store;
    ApiServer server;
    String base;
    final HttpClient http = HttpClient.newHttpClient();
    final Map<Address, Long> nonces = new HashMap<>();
    final MovableClock clock = new MovableClock();
    volatile java.util.function.LongSupplier free = () -> Long.MAX_VALUE;

    /** Starts a node API whose chain has a private model ("secret", hosted by HOST) and a public one ("open"). */
    void start(long quota, long reserve, FreeSpaceProbe probe) throws Exception {
        chain = TestChain.open(new InMemoryStore(), TestChain.genesis(OWNER, HOST, STRANGER, UPLOADER));
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT.withMaxArtifactBytes(64L * MIB)
                .withStaleUploadAge(Duration.ofHours(1)), new UploadPolicy(quota, reserve, probe, clock));
        TxPool pool = new TxPool(chain.transition(), new VerifiedSignatures(100), new TxPool.Limits(100, 10, 5));
        server = new ApiServer(chain, pool);
        new ArtifactRoutes(store, new ArtifactAccess(chain, store), new SignedRequestVerifier(new ReplayGuard(System.currentTimeMillis() - 1_000)),
                System::currentTimeMillis).register(server.javalin());
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
        chain.importBlock(TestChain.next(chain, List.of(
                tx(OWNER, new RegisterModel("secret", "1", SECRET, SECRET_BYTES.length, "onnx", "mit", 1, List.of(), List.of())),
                tx(OWNER, new RegisterModel("open", "1", OPEN, OPEN_BYTES.length, "onnx", "mit", 1, List.of(), List.of())),
                tx(OWNER, new SetVisibility("open", true)),
                tx(OWNER, new GrantAccess("secret", HOST.address(), 1, 1_000_000)),
                tx(HOST, new HostModel("secret", "1", 0))), Fixtures.key(2999).address()), System.currentTimeMillis());
        if (reserve == 0 || probe != FreeSpaceProbe.FILE_STORE) { // the node's own writes keep the reserve too
            store.put(SECRET, new ByteArrayInputStream(SECRET_BYTES));
            store.put(OPEN, new ByteArrayInputStream(OPEN_BYTES));
        }
    }

    void start() throws Exception {
        start(Long.MAX_VALUE, 0, d -> free.getAsLong());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    Transaction tx(KeyPair from, Payload payload) {
        long nonce = nonces.merge(from.address(), 1L, Long::sum) - 1;
        return new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, payload).sign(from);
    }

    /** {@code method} of {@code /api/v1/artifacts/<digest><suffix>}, signed by {@code who} (null: anonymous). */
    HttpRequest.Builder request(KeyPair who, String method, Hash digest, String suffix) {
        String path = ArtifactRequests.path(digest, suffix);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (who != null) {
            ArtifactRequests.sign(who, method, path, digest, "test-nonce-" + NONCES.incrementAndGet(), System.currentTimeMillis()).forEach(b::header);
        }
        return b;
    }

    HttpResponse<String> send(KeyPair who, String method, Hash digest, String suffix, String... headers) throws Exception {
        HttpRequest.Builder b = request(who, method, digest, suffix).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(KeyPair who, Hash digest, InputStream body, long length, long offset) throws Exception {
        HttpRequest.Builder b = request(who, "PUT", digest, "").expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length));
        if (offset > 0) b.header(ArtifactRoutes.UPLOAD_OFFSET, Long.toString(offset));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    /** What a request for a digest no one stored gets, with that digest's text replaced, to compare bodies. */
    String missingAnswer(KeyPair who, String method, String suffix, Hash asIf, String... headers) throws Exception {
        HttpResponse<String> r = send(who, method, MISSING, suffix, headers);
        assertThat(r.statusCode()).isEqualTo(404);
        return r.body().replace(MISSING.toHex(), asIf.toHex());
    }

    @Test
    void aPrivateArtifactIsNotFoundForStrangersOnEveryRouteExactlyAsAMissingOne() throws Exception {
        start();
        for (KeyPair who : new KeyPair[] {null, STRANGER}) {
            for (String[] route : new String[][] {{"GET", ""}, {"HEAD", ""}, {"GET", "/manifest"}}) {
                HttpResponse<String> r = send(who, route[0], SECRET, route[1]);
                assertThat(r.statusCode()).as(route[0] + " " + route[1] + " by " + who).isEqualTo(404);
                assertThat(r.body()).isEqualTo(missingAnswer(who, route[0], route[1], SECRET));
                assertThat(r.headers().firstValue("Content-Type")).isEqualTo(
                        send(who, route[0], MISSING, route[1]).headers().firstValue("Content-Type"));
                assertThat(r.headers().firstValue("ETag")).isEmpty();
                assertThat(r.headers().firstValue(ArtifactRoutes.MANIFEST_HASH)).isEmpty();
            }
            HttpResponse<String> range = send(who, "GET", SECRET, "", "Range", "bytes=0-3");
            assertThat(range.statusCode()).isEqualTo(404);
            assertThat(range.body()).isEqualTo(missingAnswer(who, "GET", "", SECRET, "Range", "bytes=0-3"));
            assertThat(send(who, "GET", SECRET, "", "Range", "bytes=100000-").statusCode()).as("no 416 that would reveal the size").isEqualTo(404);
        }
        // The upload status does not say it is stored either.
        JsonNode status = json(send(STRANGER, "GET", SECRET, "/upload"));
        assertThat(status.path("stored").asBoolean()).isFalse();
        assertThat(status.path("offset").asLong()).isZero();
        assertThat(send(null, "GET", SECRET, "/upload").statusCode()).isEqualTo(401);
        // Nor does a PUT of it: a stranger must send all the bytes, as for any new artifact (and a wrong body stores nothing).
        HttpResponse<String> probe = put(STRANGER, SECRET, new ByteArrayInputStream(new byte[1]), 1, 0);
        assertThat(probe.statusCode()).isEqualTo(400);
        assertThat(json(probe).path("code").asText()).isEqualTo("DIGEST_MISMATCH");
    }

    @Test
    void theOwnerAndAHostReadAPrivateArtifactAnyoneAPublicOne() throws Exception {
        start();
        for (KeyPair who : new KeyPair[] {OWNER, HOST}) {
            HttpResponse<String> full = send(who, "GET", SECRET, "");
            assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
            assertThat(full.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(SECRET_BYTES);
            assertThat(full.headers().firstValue("Cache-Control")).contains("private, no-store");
            HttpResponse<String> part = send(who, "GET", SECRET, "", "Range", "bytes=4-10");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(new String(SECRET_BYTES, 4, 7, StandardCharsets.UTF_8));
            HttpResponse<String> head = send(who, "HEAD", SECRET, "");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(SECRET_BYTES.length);
            HttpResponse<String> manifest = send(who, "GET", SECRET, "/manifest");
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(json(manifest).path("size").asLong()).isEqualTo(SECRET_BYTES.length);
        }
        HttpResponse<String> open = send(null, "GET", OPEN, "");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(OPEN_BYTES);
        assertThat(open.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(send(STRANGER, "HEAD", OPEN, "").statusCode()).isEqualTo(200);
    }

    @Test
    void badReplayedOrStaleSignaturesAre401WhateverTheDigest() throws Exception {
        start();
        String path = ArtifactRequests.path(SECRET, "");
        Map<String, String> h = ArtifactRequests.sign(HOST, "GET", path, SECRET, "once-only-1", System.currentTimeMillis());
        HttpRequest.Builder first = HttpRequest.newBuilder(URI.create(base + path));
        h.forEach(first::header);
        assertThat(http.send(first.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpRequest.Builder again = HttpRequest.newBuilder(URI.create(base + path));
        h.forEach(again::header);
        HttpResponse<String> replay = http.send(again.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(json(replay).path("code").asText()).isEqualTo("REPLAYED");

        Map<String, String> stale = ArtifactRequests.sign(HOST, "GET", path, SECRET, "stale-one-1", System.currentTimeMillis() - 10 * 60_000);
        HttpRequest.Builder old = HttpRequest.newBuilder(URI.create(base + path));
        stale.forEach(old::header);
        HttpResponse<String> expired = http.send(old.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).path("code").asText()).isEqualTo("STALE_REQUEST");

        // A signature by the host's key claimed for a stranger's... and a stranger's claimed for the host's key.
        Map<String, String> forged = new HashMap<>(ArtifactRequests.sign(STRANGER, "GET", path, SECRET, "forged-one1", System.currentTimeMillis()));
        forged.put(RequestSignature.KEY_HEADER, HOST.publicKey().toHex());
        HttpRequest.Builder f = HttpRequest.newBuilder(URI.create(base + path));
        forged.forEach(f::header);
        HttpResponse<String> bad = http.send(f.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(json(bad).path("code").asText()).isEqualTo("BAD_SIGNATURE");
    }

    @Test
    void anUploadWithoutAnAccountIs401AndStoresNothing() throws Exception {
        start();
        byte[] bytes = "an anonymous upload".getBytes(StandardCharsets.UTF_8);
        Hash digest = Sha256.hash(bytes);
        HttpResponse<String> r = put(null, digest, new ByteArrayInputStream(bytes), bytes.length, 0);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(Problem.CONTENT_TYPE);
        assertThat(store.contains(digest)).isFalse();
        // Signed, it is stored, charged to the account, and readable by it alone until a model names it.
        HttpResponse<String> signed = put(UPLOADER, digest, new ByteArrayInputStream(bytes), bytes.length, 0);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(201);
        assertThat(store.bytesHeldBy(UPLOADER.address())).isEqualTo(bytes.length);
        assertThat(send(UPLOADER, "GET", digest, "").statusCode()).isEqualTo(200);
        assertThat(send(STRANGER, "GET", digest, "").statusCode()).isEqualTo(404);
        assertThat(send(null, "HEAD", digest, "").statusCode()).isEqualTo(404);
    }

    @Test
    void anUploadOverTheAccountQuotaIsRefusedWithTheReason() throws Exception {
        start(3L * MIB, 0, d -> free.getAsLong());
        Hash first = PatternStream.digest(2L * MIB, 1);
        assertThat(put(UPLOADER, first, new PatternStream(2L * MIB, 1), 2L * MIB, 0).statusCode()).isEqualTo(201);
        // Declared length over what is left: refused before the body is read.
        Hash second = PatternStream.digest(2L * MIB, 2);
        HttpResponse<String> over = put(UPLOADER, second, new PatternStream(2L * MIB, 2), 2L * MIB, 0);
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(json(over).path("code").asText()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(json(over).path("detail").asText()).contains("quota of " + 3L * MIB);
        assertThat(store.contains(second)).isFalse();
        // Without a declared length (chunked), refused when the stream passes the quota, and the partial upload dropped.
        var chunked = ChunkedPost.send(server.port(), "PUT", ArtifactRequests.path(second, ""), "application/octet-stream",
                ArtifactRequests.sign(UPLOADER, "PUT", ArtifactRequests.path(second, ""), second, "chunked-q1", System.currentTimeMillis()),
                new byte[0], 8L * MIB);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.body().path("code").asText()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(store.bytesHeldBy(UPLOADER.address())).as("the refused upload gave its bytes back").isEqualTo(2L * MIB);
        assertThat(store.resumeOffset(second, UPLOADER.address())).isZero();
        // Another account has its own quota.
        assertThat(put(STRANGER, second, new PatternStream(2L * MIB, 2), 2L * MIB, 0).statusCode()).isEqualTo(201);
    }

    @Test
    void anUploadIntoANearlyFullDiskIs507WithTheReason() throws Exception {
        start(Long.MAX_VALUE, 100L * MIB, d -> free.getAsLong());
        Hash digest = PatternStream.digest(2L * MIB, 3);
        free = () -> 101L * MIB;
        HttpResponse<String> r = put(UPLOADER, digest, new PatternStream(2L * MIB, 3), 2L * MIB, 0);
        assertThat(r.statusCode()).isEqualTo(507);
        assertThat(json(r).path("code").asText()).isEqualTo("INSUFFICIENT_STORAGE");
        assertThat(json(r).path("detail").asText()).contains("keeps " + 100L * MIB + " bytes of disk free").contains(101L * MIB + " are free");
        assertThat(store.contains(digest)).isFalse();
        // Room at the start of a chunked upload (no declared length), then the disk fills up: stopped and discarded.
        java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
        free = () -> probes.incrementAndGet() == 1 ? 200L * MIB : 50L * MIB;
        var filling = ChunkedPost.send(server.port(), "PUT", ArtifactRequests.path(digest, ""), "application/octet-stream",
                ArtifactRequests.sign(UPLOADER, "PUT", ArtifactRequests.path(digest, ""), digest, "chunked-d1", System.currentTimeMillis()),
                new byte[0], 40L * MIB);
        assertThat(filling.status()).as(filling.body().toString()).isEqualTo(507);
        assertThat(probes.get()).as("measured again while streaming").isGreaterThan(1);
        assertThat(partFiles()).as("the partial upload was discarded").isEmpty();
        // With room again, the same upload goes through.
        free = () -> 1L << 40;
        assertThat(put(UPLOADER, digest, new PatternStream(2L * MIB, 3), 2L * MIB, 0).statusCode()).isEqualTo(201);
    }

    @Test
    void theRealFileSystemProbeRefusesWhenTheReserveIsMoreThanTheFreeSpace() throws Exception {
        long free = Files.getFileStore(dir).getUsableSpace();
        start(Long.MAX_VALUE, free + (1L << 40), FreeSpaceProbe.FILE_STORE);
        byte[] bytes = "small, but the disk is 'full'".getBytes(StandardCharsets.UTF_8);
        Hash digest = Sha256.hash(bytes);
        HttpResponse<String> r = put(UPLOADER, digest, new ByteArrayInputStream(bytes), bytes.length, 0);
        assertThat(r.statusCode()).isEqualTo(507);
        assertThat(json(r).path("code").asText()).isEqualTo("INSUFFICIENT_STORAGE");
        assertThat(store.contains(digest)).isFalse();
        // The node's own writes (peer fetches, imports) keep the reserve too.
        assertThatThrownBy(() -> store.put(digest, new ByteArrayInputStream(bytes))).isInstanceOf(ArtifactException.class)
                .satisfies(e -> assertThat(((ArtifactException) e).reason()).isEqualTo(ArtifactException.Reason.INSUFFICIENT_STORAGE));
    }

    @Test
    void anAbandonedPartialUploadExpiresAndGivesItsBytesBack() throws Exception {
        start(64L * MIB, 0, d -> free.getAsLong());
        long size = 20L * MIB;
        Hash digest = PatternStream.digest(size, 4);
        try {
            put(UPLOADER, digest, new PatternStream(size, 4, 0, 9L * MIB), size, 0);
        } catch (IOException expected) {
            // the client gave up mid-body, as a dropped connection would
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> json(send(UPLOADER, "GET", digest, "/upload")).path("offset").asLong() > 0);
        assertThat(store.bytesHeldBy(UPLOADER.address())).isGreaterThan(0);
        // Not yet abandoned: kept.
        await().atMost(Duration.ofSeconds(10)).until(() -> store.expireAbandonedUploads() == 0 && partFiles().size() == 1);
        clock.now = clock.now.plus(Duration.ofMinutes(61));
        assertThat(store.expireAbandonedUploads()).isEqualTo(1);
        assertThat(partFiles()).isEmpty();
        assertThat(json(send(UPLOADER, "GET", digest, "/upload")).path("offset").asLong()).isZero();
        assertThat(store.bytesHeldBy(UPLOADER.address())).isZero();
    }

    List<Path> partFiles() throws IOException {
        try (Stream<Path> s = Files.list(store.root().resolve("uploads"))) {
            return s.filter(p -> p.toString().endsWith(".part")).toList();
        }
    }
}
