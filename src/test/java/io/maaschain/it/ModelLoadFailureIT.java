package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real dev node hosting a model whose artifact ONNX Runtime refuses: the node retries with back-off (the attempts
 * are counted, not one per block) and says why everywhere an operator or a caller looks.
 */
class ModelLoadFailureIT {
    @TempDir Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    static NodeProcess.CliResult cli(String... args) throws Exception {
        NodeProcess.CliResult r = NodeProcess.cli(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isZero();
        return r;
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aModelThatCannotLoadIsRetriedWithBackOffAndReportsWhy() throws Exception {
        Path data = dir.resolve("node");
        int port = NodeProcess.freeTestnetBase(1);
        try (NodeProcess node = NodeProcess.dev(data, port, "--block-interval-ms", "200")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> node.height() >= 1);
            String url = node.url();
            String key = data.resolve("dev.key").toString();
            Path broken = dir.resolve("broken.onnx");
            Files.writeString(broken, "these bytes are not an onnx protobuf");

            NodeProcess.CliResult refused = NodeProcess.cli("model", "register", "--node", url, "--key", key, "--file", broken.toString(),
                    "--name", "broken", "--version", "1");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.output()).contains("is not a model ONNX Runtime can serve");
            cli("model", "register", "--node", url, "--key", key, "--file", broken.toString(), "--name", "broken", "--version", "1", "--no-check");
            cli("model", "upload", "--node", url, "--key", key, "--file", broken.toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> node.get("/api/v1/models/broken").has("artifactDigest"));
            cli("model", "host", "broken", "--version", "1", "--node", url, "--key", key);

            await().atMost(Duration.ofSeconds(30)).until(() -> get(url + "/v2/models/broken/ready").statusCode() == 503);
            JsonNode ready = Json.MAPPER.readTree(get(url + "/v2/models/broken/ready").body());
            assertThat(ready.path("reason").asText()).contains("onnxruntime cannot load the model");
            long heightAtFirstFailure = node.height();

            // Back-off 2 s, 4 s, 8 s ...: about 3 attempts in 10 s, while some 50 blocks arrive.
            Thread.sleep(10_000);
            long blocks = node.height() - heightAtFirstFailure;
            long attempts = Json.MAPPER.readTree(get(url + "/v2/models/broken/ready").body()).path("attempts").asLong();
            assertThat(attempts).as("attempts in 10 s while %d blocks arrived", blocks).isBetween(2L, 5L);
            assertThat(blocks).isGreaterThan(attempts * 3);

            String metrics = get(url + "/metrics").body();
            assertThat(metrics).containsPattern("maaschain_model_load_failures_total [2-5]\\.0").contains("maaschain_models_failing_to_load 1.0");
            HttpResponse<String> health = get(url + "/v2/health/ready");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("broken/1: failed to load");
            assertThat(cli("model", "show", "broken", "--node", url).output()).contains("servedByThisNode")
                    .contains("no: model broken/1 failed to load").contains("onnxruntime cannot load the model");
            assertThat(cli("model", "show", "iris", "--node", url).output()).contains("yes, ready");
            assertThat(Files.readString(node.log).lines().filter(l -> l.contains("ALERT: not serving broken/1")).count())
                    .as("the first failure is the alert; later ones are warnings").isEqualTo(1);
        }
    }
}
