package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.maas.access.RequestSignature;
import io.maaschain.maas.devmodel.DevModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-as-a-Service end to end, on a real node process driven through the CLI and HTTP: register, upload, host,
 * grant, deposit, call with a signed request, get a receipt, verify it through the CLI once its batch is in a block;
 * escrow exhaustion, no double charge across a kill -9, refund after the timeout, and a tampered artifact refused.
 */
class MaasEndToEndIT {
    static final String BODY = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[6.7,3.0,5.2,2.3]}]}";
    static final String PATH = "/v2/models/iris-e2e/infer";
    @TempDir Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    static NodeProcess.CliResult cli(String... args) throws Exception {
        NodeProcess.CliResult r = NodeProcess.cli(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isZero();
        return r;
    }

    /** The dev node's address: the host whose channel the caller's authorisations name. */
    io.maaschain.crypto.Address host;

    /**
     * A paid call. The caller authorises up to 1000 in all on its channel with the node (a cap it trusts the node with;
     * the chain still charges only for calls settled, within the escrow of 10 deposited here).
     */
    HttpResponse<String> infer(NodeProcess node, KeyPair caller, String nonce) throws Exception {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        long chainId = node.get("/api/v1/status").path("chainId").asLong();
        Map<String, String> headers = RequestSignature.signPaid(caller, chainId, host, 1_000, "POST", PATH, body, nonce, System.currentTimeMillis());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + PATH)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static long escrow(NodeProcess node, String caller, String host) throws Exception {
        return node.get("/api/v1/accounts/" + caller + "/escrow/" + host).path("balance").asLong();
    }

    @Test
    void registerHostGrantCallSettleVerifyAndSurviveAKill() throws Exception {
        Path data = dir.resolve("node");
        int port = NodeProcess.freeTestnetBase(1);
        String[] devArgs = {"--block-interval-ms", "300", "--artifact-recheck-seconds", "2"};
        NodeProcess node = NodeProcess.dev(data, port, devArgs);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> node.height() >= 1);
            String url = node.url();
            Path devKey = data.resolve("dev.key");
            String dev = KeyPem.privateKeyFromPem(Files.readString(devKey)).address().toString();
            host = io.maaschain.crypto.Address.parse(dev);
            Path callerKey = dir.resolve("caller.pem");
            cli("keys", "new", "--unencrypted", "--out", callerKey.toString());
            KeyPair caller = KeyPem.privateKeyFromPem(Files.readString(callerKey));
            String callerAddress = caller.address().toString();
            Path model = dir.resolve("model.onnx");
            DevModel.write(model);

            cli("tx", "transfer", "--node", url, "--key", devKey.toString(), "--to", callerAddress, "--amount", "100000");
            cli("model", "register", "--node", url, "--key", devKey.toString(), "--file", model.toString(), "--name", "iris-e2e",
                    "--version", "1", "--price", "3", "--json");
            cli("model", "upload", "--node", url, "--key", devKey.toString(), "--file", model.toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> node.get("/api/v1/models/iris-e2e").has("artifactDigest"));
            cli("model", "host", "iris-e2e", "--version", "1", "--price", "2", "--node", url, "--key", devKey.toString());
            cli("model", "grant", "iris-e2e", "--to", callerAddress, "--quota", "5", "--expiry-height", "1000000", "--node", url,
                    "--key", devKey.toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> node.get("/api/v1/accounts/" + callerAddress).path("balance").asLong() == 100000);
            cli("escrow", "deposit", "--host", dev, "--amount", "10", "--node", url, "--key", callerKey.toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> escrow(node, callerAddress, dev) == 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/v2/models/iris-e2e/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

            // Two paid calls (3 + 2 each) exhaust the escrow of 10; the third is refused, with a receipt too.
            HttpResponse<String> first = infer(node, caller, "call-" + UUID.randomUUID());
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            JsonNode params = Json.MAPPER.readTree(first.body()).path("parameters");
            assertThat(params.path("maaschain.fee").asLong()).isEqualTo(5);
            String receiptId = params.path("maaschain.receipt_id").asText();
            String nonce = "call-" + UUID.randomUUID();
            assertThat(infer(node, caller, nonce).statusCode()).isEqualTo(200);
            HttpResponse<String> broke = infer(node, caller, "call-" + UUID.randomUUID());
            assertThat(broke.statusCode()).as(broke.body()).isEqualTo(403);
            assertThat(broke.headers().firstValue("X-Maaschain-Receipt-Id")).isPresent();
            HttpResponse<String> replay = infer(node, caller, nonce);
            assertThat(replay.statusCode()).as("a replayed signature is refused").isEqualTo(401);

            // Settlement lands on chain; the receipt verifies through the CLI, and a tampered copy does not.
            await().atMost(Duration.ofSeconds(60)).until(() -> escrow(node, callerAddress, dev) == 0);
            Path receipt = dir.resolve("receipt.json");
            await().atMost(Duration.ofSeconds(30)).until(() -> NodeProcess.cli("receipt", "get", receiptId, "--node", url, "--out", receipt.toString()).output().contains("settled"));
            cli("receipt", "verify", receipt.toString(), "--node", url);
            String signature = Json.MAPPER.readTree(Files.readString(receipt)).path("signature").asText();
            String altered = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
            Path forged = dir.resolve("forged.json");
            Files.writeString(forged, Files.readString(receipt).replace(signature, altered));
            assertThat(Files.readString(forged)).contains(altered);
            assertThat(NodeProcess.cli("receipt", "verify", forged.toString(), "--node", url).exitCode()).isNotZero();
            long ownerBalanceAfterSettlement = node.get("/api/v1/accounts/" + dev).path("balance").asLong();
            long heightBeforeKill = node.height();

            // kill -9, restart: nothing is charged twice, the receipt still verifies, sequence numbers continue.
            node.kill9();
            NodeProcess again = NodeProcess.dev(data, port, devArgs);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> again.height() >= heightBeforeKill + 5);
                assertThat(escrow(again, callerAddress, dev)).isZero();
                cli("receipt", "verify", receipt.toString(), "--node", url);
                cli("escrow", "deposit", "--host", dev, "--amount", "20", "--node", url, "--key", callerKey.toString());
                await().atMost(Duration.ofSeconds(30)).until(() -> escrow(again, callerAddress, dev) == 20);
                HttpResponse<String> later = infer(again, caller, "call-" + UUID.randomUUID());
                assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(later.body()).path("parameters").path("maaschain.seq").asLong())
                        .as("receipts 0..3 were issued before the kill (two paid, one denied, one replay refused): no gap, no repeat")
                        .isEqualTo(4);
                await().atMost(Duration.ofSeconds(60)).until(() -> escrow(again, callerAddress, dev) == 15);

                // Refund: announce, wait out the 20-block timeout, take the rest back.
                long before = again.get("/api/v1/accounts/" + callerAddress).path("balance").asLong();
                cli("escrow", "withdraw", "--host", dev, "--amount", "15", "--node", url, "--key", callerKey.toString());
                await().atMost(Duration.ofSeconds(30)).until(() -> again.get("/api/v1/accounts/" + callerAddress + "/escrow/" + dev).path("unlockHeight").asLong() > 0);
                long unlock = again.get("/api/v1/accounts/" + callerAddress + "/escrow/" + dev).path("unlockHeight").asLong();
                await().atMost(Duration.ofSeconds(90)).until(() -> again.height() >= unlock);
                cli("escrow", "withdraw", "--host", dev, "--amount", "15", "--node", url, "--key", callerKey.toString());
                await().atMost(Duration.ofSeconds(30)).until(() -> escrow(again, callerAddress, dev) == 0);
                assertThat(again.get("/api/v1/accounts/" + callerAddress).path("balance").asLong()).isEqualTo(before + 15 - 2);
                assertThat(again.get("/api/v1/accounts/" + dev).path("balance").asLong()).isGreaterThanOrEqualTo(ownerBalanceAfterSettlement);

                // Alter one byte of the hosted artifact on disk: the next re-check refuses to serve it.
                String digest = again.get("/api/v1/models/iris-e2e").path("artifactDigest").asText();
                Path blob = Files.walk(data.resolve("artifacts")).filter(p -> p.getFileName().toString().equals(digest)).findFirst().orElseThrow();
                byte[] bytes = Files.readAllBytes(blob);
                bytes[bytes.length / 2] ^= 1;
                Files.write(blob, bytes);
                await().atMost(Duration.ofSeconds(30)).until(() -> infer(again, caller, "call-" + UUID.randomUUID()).statusCode() >= 500);
                assertThat(Files.readString(again.log)).contains("ALERT");
                String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern("maaschain_artifact_integrity_failures_total [1-9]");
            } finally {
                again.close();
            }
        } finally {
            node.close();
        }
    }
}
