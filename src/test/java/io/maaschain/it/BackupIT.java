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
 * `chain backup` of a running dev node (real process, asked over its admin socket), `chain restore` into a new data
 * directory, a node started there: the chain, the receipts (an old receipt still verifies), the API keys and the
 * artifacts (the dev model is served) are all back.
 */
class BackupIT {
    static final String INFER = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @TempDir Path dir;

    HttpResponse<String> infer(NodeProcess node, String apiKey) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.url() + "/v2/models/iris/infer")).header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(INFER)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void awaitServing(NodeProcess node, Path data) {
        await().atMost(Duration.ofSeconds(90)).until(() -> node.height() >= 1 && Files.exists(data.resolve("dev.apikey")));
        await().atMost(Duration.ofSeconds(60)).until(() -> node.get("/v2/models/iris/ready").path("ready").asBoolean(false));
    }

    @Test
    void backupOfARunningNodeRestoresChainReceiptsApiKeysAndArtifacts() throws Exception {
        Path original = dir.resolve("a");
        Path backup = dir.resolve("backup");
        Path restored = dir.resolve("b");
        Path receipt = dir.resolve("receipt.json");
        String apiKey;
        String receiptId;
        long heightAtBackup;
        try (NodeProcess node = NodeProcess.dev(original, NodeProcess.freeTestnetBase(1), "--block-interval-ms", "200")) {
            awaitServing(node, original);
            apiKey = Files.readString(original.resolve("dev.apikey")).trim();
            HttpResponse<String> call = infer(node, apiKey);
            assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
            receiptId = Json.MAPPER.readTree(call.body()).path("parameters").path("maaschain.receipt_id").asText();
            assertThat(receiptId).isNotEmpty();
            await().atMost(Duration.ofSeconds(60)).until(() -> NodeProcess.cli("receipt", "get", receiptId, "--node", node.url(), "--out",
                    receipt.toString()).output().contains("settled"));
            assertThat(NodeProcess.cli("receipt", "verify", receipt.toString(), "--node", node.url()).exitCode()).isZero();

            // Backed up while it runs (and mines).
            NodeProcess.CliResult b = NodeProcess.cli("chain", "backup", "--data-dir", original.toString(), "--out", backup.toString(),
                    "--include-keys", "--json");
            assertThat(b.exitCode()).as(b.output()).isZero();
            JsonNode manifest = Json.MAPPER.readTree(b.output());
            assertThat(manifest.path("files").toString()).contains("db/", "apikeys.json", "dev.key", "genesis.json");
            assertThat(manifest.path("artifactFiles").asLong()).isPositive();
            heightAtBackup = node.height();
            assertThat(node.log).exists();
        }

        NodeProcess.CliResult r = NodeProcess.cli("chain", "restore", "--from", backup.toString(), "--data-dir", restored.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        NodeProcess.CliResult verify = NodeProcess.cli("chain", "verify", "--data-dir", restored.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();

        try (NodeProcess node = NodeProcess.dev(restored, NodeProcess.freeTestnetBase(1), "--block-interval-ms", "200")) {
            awaitServing(node, restored);
            assertThat(node.height()).isGreaterThanOrEqualTo(heightAtBackup - 1);
            // The receipt issued before the backup is found and verifies against the restored node.
            NodeProcess.CliResult get = NodeProcess.cli("receipt", "get", receiptId, "--node", node.url(), "--out", dir.resolve("again.json").toString());
            assertThat(get.exitCode()).as(get.output()).isZero();
            NodeProcess.CliResult v = NodeProcess.cli("receipt", "verify", receipt.toString(), "--node", node.url());
            assertThat(v.exitCode()).as(v.output()).isZero();
            // The API key from before the backup still opens the paid route.
            assertThat(infer(node, apiKey).statusCode()).isEqualTo(200);
        }
    }
}
