package io.maaschain.maas.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.devmodel.DevModel;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model is served only while its artifact matches the digest the chain registered for it. */
class ModelHostTest {
    @TempDir Path dir;
    ArtifactStore store;
    ModelRegistry.InMemory registry;
    ModelHost host;
    byte[] model;
    Hash digest;

    @BeforeEach
    void setUp() throws Exception {
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
        registry = ModelRegistry.inMemory();
        host = new ModelHost(store, registry);
        model = DevModel.onnxBytes();
        digest = Sha256.hash(model);
        store.put(digest, new ByteArrayInputStream(model));
        registry.register(new ModelRef("iris", "1", digest, model.length, "onnx"));
    }

    @AfterEach
    void tearDown() {
        host.close();
        store.close();
    }

    static InferenceRequest setosa() {
        return new InferenceRequest(List.of(Tensor.fp32("input", new long[] {1, 4}, 5.1f, 3.5f, 1.4f, 0.2f)));
    }

    void tamper(long offset) throws Exception {
        Path f = store.file(digest).orElseThrow();
        f.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x20)}), offset);
        }
    }

    @Test
    void aTamperedArtifactIsRefusedAtLoad() throws Exception {
        tamper(100);
        assertThatThrownBy(() -> host.serveLocal("iris", "1"))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("refused to load model iris/1").hasMessageContaining("chunk 0");
        assertThat(host.find("iris", "1")).isEmpty();
    }

    @Test
    void anArtifactRegisteredUnderAnotherDigestOrSizeIsRefused() {
        registry.register(new ModelRef("iris", "2", Sha256.hash(new byte[] {1}), model.length, "onnx"));
        assertThatThrownBy(() -> host.serveLocal("iris", "2")).hasMessageContaining("not in the local store");
        registry.register(new ModelRef("iris", "3", digest, model.length + 1, "onnx"));
        assertThatThrownBy(() -> host.serveLocal("iris", "3")).hasMessageContaining("size differs");
        registry.register(new ModelRef("iris", "4", digest, model.length, "gguf"));
        assertThatThrownBy(() -> host.serveLocal("iris", "4")).hasMessageContaining("format 'gguf'");
        assertThatThrownBy(() -> host.serveLocal("nope", null))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aModelOnnxRuntimeCannotLoadIsRecordedWithItsReasonAndBackOff() throws Exception {
        byte[] notOnnx = "this is not an onnx protobuf".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Hash bad = Sha256.hash(notOnnx);
        store.put(bad, new ByteArrayInputStream(notOnnx));
        registry.register(new ModelRef("broken", "1", bad, notOnnx.length, "onnx"));
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> host.serveLocal("broken", "1"))
                    .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.status()).isEqualTo(500))
                    .hasMessageContaining("onnxruntime cannot load the model");
            LoadFailures.Failure f = host.failure("broken", null).orElseThrow();
            assertThat(f.attempts()).isEqualTo(attempt);
            assertThat(f.reason()).contains("onnxruntime cannot load the model");
            assertThat(host.loadFailures().due(f.ref(), java.time.Instant.now())).isFalse();
        }
        assertThat(host.notReady()).singleElement().asString().startsWith("broken/1: failed to load (2 attempts, next at ");
        host.unload("broken", "1");
        assertThat(host.failure("broken", "1")).isEmpty();
        assertThat(host.loadFailures().total()).isEqualTo(2);
    }

    @Test
    void aFileTamperedAfterLoadIsUnloadedOnTheScheduledRecheck() throws Exception {
        ServedModel m = host.serveLocal("iris", null);
        assertThat(m.infer(setosa()).output("label").longs()).containsExactly(0L);
        assertThat(m.pinnedManifest().artifactDigest()).isEqualTo(digest);
        host.startRechecks(Duration.ofMillis(50));
        tamper(model.length - 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !m.ready());
        assertThat(m.state()).isEqualTo(ServedModel.State.REFUSED);
        assertThat(m.refusal()).contains("chunk 0");
        assertThat(m.backendKind()).isEqualTo("none");
        assertThatThrownBy(() -> m.infer(setosa()))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void aModelNoLongerRegisteredOrReregisteredUnderAnotherDigestIsRefused() {
        ServedModel m = host.serveLocal("iris", "1");
        assertThat(host.recheck()).isEmpty();
        registry.register(new ModelRef("iris", "1", Sha256.hash(new byte[] {2}), model.length, "onnx"));
        assertThat(host.recheck()).containsExactly(m);
        assertThat(m.refusal()).contains("the chain now names artifact");

        registry.register(new ModelRef("iris", "1", digest, model.length, "onnx"));
        ServedModel again = host.serveLocal("iris", "1");
        assertThat(again.ready()).isTrue();
        registry.remove("iris", "1");
        assertThat(host.recheck()).containsExactly(again);
        assertThat(again.refusal()).contains("no longer registered");
    }
}
