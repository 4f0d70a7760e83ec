package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's example contracts, compiled by the build from AssemblyScript, deployed and used on a real dev node through
 * the CLI (contract deploy|instantiate|call|query|show|events, --json) and REST.
 */
class ContractsIT {
    static final Path CONTRACTS = Path.of(System.getProperty("maaschain.contracts", "target/contracts"));

    @TempDir Path dir;

    static JsonNode cli(String... args) throws Exception {
        NodeProcess.CliResult r = NodeProcess.cli(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isZero();
        // Warnings (an unencrypted key file) come before the JSON document.
        return Json.MAPPER.readTree(r.output().substring(r.output().indexOf('{')));
    }

    static final String IRIS_CALL = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}";

    static String le(long v) {
        return Hex.encode(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    @Test
    void revenueSplitAndBountyThroughTheCli() throws Exception {
        Path data = dir.resolve("node");
        int port = NodeProcess.freeTestnetBase(1);
        try (NodeProcess node = NodeProcess.dev(data, port, "--block-interval-ms", "300")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> node.height() >= 1);
            String url = node.url();
            String key = data.resolve("dev.key").toString();
            Path dataKey = dir.resolve("data.pem");
            NodeProcess.cli("keys", "new", "--unencrypted", "--out", dataKey.toString());
            KeyPair contributor = KeyPem.privateKeyFromPem(Files.readString(dataKey));
            String owner = KeyPem.privateKeyFromPem(Files.readString(data.resolve("dev.key"))).address().toString();

            // Revenue split: 3 shares to the owner, 1 to the data contributor.
            JsonNode deployed = cli("contract", "deploy", CONTRACTS.resolve("revenue_split.wasm").toString(), "--wait", "--json", "--node", url, "--key", key);
            assertThat(deployed.path("result").path("status").asText()).isEqualTo("OK");
            String codeHash = deployed.path("codeHash").asText();
            String args = Hex.encode(io.maaschain.crypto.Address.parse(owner).toBytes()) + le(3)
                    + Hex.encode(contributor.address().toBytes()) + le(1);
            JsonNode inst = cli("contract", "instantiate", codeHash, "--args", args, "--wait", "--json", "--node", url, "--key", key);
            assertThat(inst.path("result").path("status").asText()).isEqualTo("OK");
            String split = inst.path("contract").asText();
            JsonNode paid = cli("contract", "call", split, "pay", "--value", "1000", "--wait", "--json", "--node", url, "--key", key);
            assertThat(paid.path("result").path("status").asText()).isEqualTo("OK");
            assertThat(paid.path("result").path("events")).hasSize(1);
            assertThat(node.get("/api/v1/accounts/" + contributor.address()).path("balance").asLong()).isEqualTo(250);
            assertThat(node.get("/api/v1/contracts/" + split).path("balance").asLong()).isZero();

            JsonNode q = cli("contract", "query", split, "recipients", "--json", "--node", url);
            assertThat(q.path("status").asText()).isEqualTo("OK");
            assertThat(q.path("returnData").asText()).isEqualTo(args);
            JsonNode shown = cli("contract", "show", split, "--key", "72", "--json", "--node", url);
            assertThat(shown.path("codeHash").asText()).isEqualTo(codeHash);
            assertThat(shown.path("storage").path("value").asText()).isEqualTo(args);
            assertThat(shown.path("storage").path("proof").path("stateRoot").asText()).hasSize(64);
            JsonNode events = cli("contract", "events", split, "--json", "--node", url);
            assertThat(events.path("count").asLong()).isEqualTo(1);

            // The split governs the dev model: calls cost the price its owner set, settlement pays that part to the
            // contract, and distribute shares it 3:1.
            cli("contract", "policy", "iris", "--contract", split, "--wait", "--json", "--node", url, "--key", key);
            cli("contract", "call", split, "setPrice", "--args", le(40), "--wait", "--json", "--node", url, "--key", key);
            java.net.http.HttpResponse<String> call = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(url + "/v2/models/iris/infer"))
                    .header("Authorization", "Bearer " + Files.readString(data.resolve("dev.apikey")).trim())
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(IRIS_CALL)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(call.body()).path("parameters").path("maaschain.fee").asLong()).isEqualTo(40);
            await().atMost(Duration.ofSeconds(120)).until(() -> node.get("/api/v1/contracts/" + split).path("balance").asLong() == 40);
            cli("contract", "call", split, "distribute", "--wait", "--json", "--node", url, "--key", key);
            assertThat(node.get("/api/v1/accounts/" + contributor.address()).path("balance").asLong()).isEqualTo(250 + 10);
            assertThat(node.get("/api/v1/contracts/" + split).path("balance").asLong()).isZero();
            // The same code deploys once.
            NodeProcess.CliResult again = NodeProcess.cli("contract", "deploy", CONTRACTS.resolve("revenue_split.wasm").toString(), "--wait", "--json", "--node", url, "--key", key);
            assertThat(again.exitCode()).as("a second deploy of the same code is a failed transaction").isEqualTo(1);
            assertThat(again.output()).contains("CODE_EXISTS");

            // Bounty: nobody registers the model. Before its deadline neither claim nor refund works; after it the funder
            // takes the coins back (a second bounty whose deadline is already behind the head).
            JsonNode bountyCode = cli("contract", "deploy", CONTRACTS.resolve("bounty.wasm").toString(), "--wait", "--json", "--node", url, "--key", key);
            String wanted = "11".repeat(32) + Hex.encode("wanted-model".getBytes());
            JsonNode open = cli("contract", "instantiate", bountyCode.path("codeHash").asText(), "--args", le(1_000_000) + wanted,
                    "--value", "500", "--wait", "--json", "--node", url, "--key", key);
            String b = open.path("contract").asText();
            assertThat(node.get("/api/v1/contracts/" + b).path("balance").asLong()).isEqualTo(500);
            NodeProcess.CliResult early = NodeProcess.cli("contract", "call", b, "refund", "--wait", "--json", "--node", url, "--key", key);
            assertThat(early.exitCode()).isEqualTo(1);
            assertThat(early.output()).contains("ABORTED").contains("the deadline has not passed");
            NodeProcess.CliResult claim = NodeProcess.cli("contract", "call", b, "claim", "--wait", "--json", "--node", url, "--key", key);
            assertThat(claim.exitCode()).isEqualTo(1);
            assertThat(claim.output()).contains("ABORTED").contains("the model is not registered");
            assertThat(node.get("/api/v1/contracts/" + b).path("balance").asLong()).isEqualTo(500);
            JsonNode lapsed = cli("contract", "instantiate", bountyCode.path("codeHash").asText(), "--args", le(1) + wanted,
                    "--value", "300", "--wait", "--json", "--node", url, "--key", key);
            String l = lapsed.path("contract").asText();
            JsonNode refunded = cli("contract", "call", l, "refund", "--wait", "--json", "--node", url, "--key", key);
            assertThat(refunded.path("result").path("returnData").asText()).isEqualTo(le(300));
            assertThat(node.get("/api/v1/contracts/" + l).path("balance").asLong()).isZero();

            // Licence: its gateway policy answers allow through a read-only query.
            JsonNode lic = cli("contract", "deploy", CONTRACTS.resolve("licence.wasm").toString(), "--wait", "--json", "--node", url, "--key", key);
            JsonNode licInst = cli("contract", "instantiate", lic.path("codeHash").asText(), "--args", le(100) + le(5) + le(50) + Hex.encode("some-model".getBytes()),
                    "--wait", "--json", "--node", url, "--key", key);
            JsonNode auth = cli("contract", "query", licInst.path("contract").asText(), "authorize", "--json", "--node", url);
            assertThat(auth.path("returnData").asText()).isEqualTo("01" + "00".repeat(8));
            // Buying without a registered model: the grant is refused and everything reverts.
            NodeProcess.CliResult buy = NodeProcess.cli("contract", "call", licInst.path("contract").asText(), "buy", "--value", "100", "--wait", "--json", "--node", url, "--key", key);
            assertThat(buy.exitCode()).isEqualTo(1);
            assertThat(buy.output()).contains("MODEL_NOT_FOUND");
            // Bad input to the CLI: a clear message, no stack trace.
            NodeProcess.CliResult bad = NodeProcess.cli("contract", "call", "not-an-address", "pay", "--node", url, "--key", key);
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.output()).contains("not an address").doesNotContain("Exception");
        }
    }
}
