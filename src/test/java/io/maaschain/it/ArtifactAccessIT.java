package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.maas.artifact.ArtifactRequests;
import io.maaschain.maas.devmodel.DevModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private artifacts stay private on a running node: the dev node's model is private (owned and hosted by the dev key).
 * A stranger, signed or not, gets the same 404 as for an artifact that does not exist, on GET, HEAD, a Range and the
 * manifest; a second account the owner granted and that hosts the model reads it with a request signed by its key; an
 * upload needs an account (the CLI signs it with --key).
 */
class ArtifactAccessIT {
    static final AtomicLong NONCES = new AtomicLong();
    @TempDir Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final SecureRandom random = new SecureRandom();

    HttpResponse<byte[]> request(NodeProcess node, KeyPair who, String method, Hash digest, String suffix, String... headers) throws Exception {
        String path = ArtifactRequests.path(digest, suffix);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (who != null) ArtifactRequests.sign(who, method, path, digest, "it-nonce-" + NONCES.incrementAndGet(), System.currentTimeMillis()).forEach(b::header);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    void submit(NodeProcess node, KeyPair from, Payload payload) throws Exception {
        long chainId = node.get("/api/v1/status").path("chainId").asLong();
        long nonce = node.get("/api/v1/accounts/" + from.address()).path("nextNonce").asLong();
        byte[] tx = new UnsignedTransaction(chainId, from.publicKey(), nonce, 1, payload).sign(from).encoded();
        String hash = node.post("/api/v1/txs", "{\"tx\":\"" + Hex.encode(tx) + "\"}").path("hash").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> node.get("/api/v1/txs/" + hash).path("status").asText().equals("committed"));
    }

    @Test
    void aStrangerCannotReadAPrivateModelsArtifactAHostingAccountCan() throws Exception {
        Path data = dir.resolve("node");
        NodeProcess node = NodeProcess.dev(data, NodeProcess.freeTestnetBase(1), "--block-interval-ms", "300");
        try {
            await().atMost(Duration.ofSeconds(40)).ignoreExceptions().until(() -> node.get("/api/v1/models/" + DevModel.NAME).has("artifactDigest"));
            KeyPair dev = KeyPem.privateKeyFromPem(Files.readString(data.resolve("dev.key")));
            Hash digest = Hash.fromHex(node.get("/api/v1/models/" + DevModel.NAME).path("artifactDigest").asText());
            byte[] model = DevModel.onnxBytes();
            assertThat(Sha256.hash(model)).isEqualTo(digest);
            Hash missing = Sha256.hash("no such artifact".getBytes());
            KeyPair stranger = KeyPair.generate(random);
            KeyPair host = KeyPair.generate(random);

            // The stranger, anonymous or signed: exactly what a missing artifact gets.
            for (KeyPair who : new KeyPair[] {null, stranger}) {
                for (String[] route : new String[][] {{"GET", ""}, {"HEAD", ""}, {"GET", "/manifest"}}) {
                    HttpResponse<byte[]> r = request(node, who, route[0], digest, route[1]);
                    HttpResponse<byte[]> none = request(node, who, route[0], missing, route[1]);
                    assertThat(r.statusCode()).as(route[0] + route[1]).isEqualTo(404);
                    assertThat(new String(r.body())).isEqualTo(new String(none.body()).replace(missing.toHex(), digest.toHex()));
                }
                assertThat(request(node, who, "GET", digest, "", "Range", "bytes=0-15").statusCode()).isEqualTo(404);
            }
            // The owner (here also the node's host key) reads it.
            HttpResponse<byte[]> owner = request(node, dev, "GET", digest, "");
            assertThat(owner.statusCode()).isEqualTo(200);
            assertThat(owner.body()).isEqualTo(model);

            // A second account, granted by the owner, hosts the model: its signed requests get the bytes.
            submit(node, dev, new Transfer(host.address(), 1_000));
            submit(node, dev, new GrantAccess(DevModel.NAME, host.address(), 1, 1_000_000));
            assertThat(request(node, host, "HEAD", digest, "").statusCode()).as("granted, not hosting yet").isEqualTo(404);
            submit(node, host, new HostModel(DevModel.NAME, DevModel.VERSION, 0));
            HttpResponse<byte[]> hosted = request(node, host, "GET", digest, "");
            assertThat(hosted.statusCode()).isEqualTo(200);
            assertThat(Sha256.hash(hosted.body())).isEqualTo(digest);
            assertThat(request(node, host, "HEAD", digest, "").headers().firstValueAsLong("Content-Length")).hasValue(model.length);
            HttpResponse<byte[]> range = request(node, host, "GET", digest, "", "Range", "bytes=0-15");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(request(node, stranger, "GET", digest, "").statusCode()).as("still not the stranger").isEqualTo(404);

            // Uploads: refused without an account; the CLI signs with --key, and the uploader alone reads it back.
            Path file = dir.resolve("weights.bin");
            Files.write(file, "a stranger's own weights".getBytes());
            Hash own = Sha256.hash(Files.readAllBytes(file));
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(node.url() + ArtifactRequests.path(own, "")))
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            Path strangerKey = dir.resolve("stranger.pem");
            Files.writeString(strangerKey, KeyPem.privateKeyToPem(stranger));
            NodeProcess.CliResult up = NodeProcess.cli("model", "upload", "--node", node.url(), "--key", strangerKey.toString(), "--file", file.toString(), "--json");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(request(node, stranger, "GET", own, "").statusCode()).isEqualTo(200);
            assertThat(request(node, null, "GET", own, "").statusCode()).isEqualTo(404);
        } finally {
            node.close();
        }
    }
}
