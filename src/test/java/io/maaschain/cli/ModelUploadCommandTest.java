package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.ApiServer;
import io.maaschain.api.ArtifactRoutes;
import io.maaschain.api.Json;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.maas.access.ReplayGuard;
import io.maaschain.maas.access.SignedRequestVerifier;
import io.maaschain.maas.artifact.ArtifactAccess;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.ArtifactUpload;
import io.maaschain.maas.artifact.PatternStream;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelUploadCommandTest {
    static final KeyPair KEY = Fixtures.key(7);
    @TempDir Path dir;
    Path keyFile;
    ArtifactStore store;
    ApiServer server;
    String url;

    @BeforeEach
    void start() throws Exception {
        store = ArtifactStore.open(dir.resolve("node-artifacts"), ArtifactStore.Limits.DEFAULT.withMaxArtifactBytes(16L << 20));
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis(Fixtures.key(1)));
        server = new ApiServer(chain, new TxPool(chain.transition(), new VerifiedSignatures(10), new TxPool.Limits(10, 10, 5)));
        new ArtifactRoutes(store, new ArtifactAccess(chain, store), new SignedRequestVerifier(new ReplayGuard(System.currentTimeMillis() - 1_000)),
                System::currentTimeMillis).register(server.javalin());
        keyFile = dir.resolve("owner.pem");
        Files.writeString(keyFile, KeyPem.privateKeyToPem(KEY));
        server.start("127.0.0.1", 0);
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        CliRun.Result r = CliRun.run(CliRun.with(new String[] {"model", "upload", "--key", keyFile.toString()}, args));
        return new Run(r.exit(), r.out(), r.err());
    }

    @Test
    void uploadsWithAProgressBarAndIsIdempotent() throws Exception {
        Path file = PatternStream.writeFile(dir.resolve("model.onnx"), 9L << 20, 5);
        Hash digest = PatternStream.digest(9L << 20, 5);
        Run r = run("--file", file.toString(), "--node", url);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("uploading model.onnx [").contains("100%");
        assertThat(r.out()).contains("artifactDigest:").contains(digest.toHex());
        assertThat(store.verify(digest).ok()).isTrue();
        assertThat(store.uploaders(digest)).as("the upload was signed by the key's account").containsExactly(KEY.address());
        assertThat(store.bytesHeldBy(KEY.address())).isEqualTo(9L << 20);

        Run again = run("--file", file.toString(), "--node", url, "--json");
        assertThat(again.exit()).isZero();
        JsonNode j = Json.MAPPER.readTree(again.out());
        assertThat(j.path("artifactDigest").asText()).isEqualTo(digest.toHex());
        assertThat(j.path("alreadyStored").asBoolean()).isTrue();
        assertThat(again.err()).doesNotContain("uploading");
    }

    @Test
    void resumesFromWhatTheNodeHolds() throws Exception {
        Path file = PatternStream.writeFile(dir.resolve("big.bin"), 10L << 20, 6);
        Hash digest = PatternStream.digest(10L << 20, 6);
        try (ArtifactUpload u = store.beginUpload(digest, 0, KEY.address(), -1)) {
            try {
                u.append(new PatternStream(10L << 20, 6, 0, 9L << 20));
            } catch (RuntimeException interrupted) {
                // as if the connection had dropped at 9 MiB
            }
        }
        assertThat(store.resumeOffset(digest, KEY.address())).isEqualTo(8L << 20);
        Run r = run("--file", file.toString(), "--node", url);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(store.verify(digest).ok()).isTrue();
    }

    @Test
    void refusesAFileLargerThanTheNodeAccepts() throws Exception {
        Path file = PatternStream.writeFile(dir.resolve("huge.bin"), (16L << 20) + 1, 7);
        Run r = run("--file", file.toString(), "--node", url, "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the node accepts at most");
    }

    @Test
    void aMissingOrUnreadableKeyIsAClearError() {
        CliRun.Result r = CliRun.run(new String[] {"model", "upload", "--key", dir.resolve("nope.pem").toString(), "--file", keyFile.toString(), "--node", url});
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("nope.pem").doesNotContain("Exception");
    }
}
