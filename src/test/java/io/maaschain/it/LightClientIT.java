package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.chain.GenesisBlock;
import io.maaschain.cli.FakeLightNode;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.consensus.light.BftTestChain;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The light client as a user runs it, against a real bft dev node: {@code status --verify}, {@code model show --verify}
 * and {@code receipt verify --node} accept what the node's validators finalised, sync only new headers the second
 * time, and refuse a node (here an in-process HTTP server) serving a self-consistent chain forged on the same genesis.
 */
class LightClientIT {
    @TempDir Path dir;

    @Test
    void followsARealBftNodeAndRefusesAForgedChainOnItsGenesis() throws Exception {
        Path data = dir.resolve("dev");
        String light = dir.resolve("light").toString();
        try (NodeProcess node = NodeProcess.dev(data, NodeProcess.freeTestnetBase(1), "--consensus", "bft")) {
            await().atMost(Duration.ofSeconds(40)).until(() -> node.height() >= 3);
            String url = node.url();

            NodeProcess.CliResult status = CliCommandsIT.ok("status", "--node", url, "--verify", "--light-dir", light);
            assertThat(CliCommandsIT.field(status.output(), "verified")).isEqualTo("true");
            assertThat(status.output()).contains("verifiedFinality:    final: committed in round").contains("power 1 of 1");
            long verifiedHeight = Long.parseLong(CliCommandsIT.field(status.output(), "verifiedHeight"));
            assertThat(Long.parseLong(CliCommandsIT.field(status.output(), "headersSynced"))).isEqualTo(verifiedHeight);

            // A paid call, its receipt settled on chain, verified down to a block the light client verified.
            String apiKey = Files.readString(data.resolve("dev.apikey")).strip();
            String[] receiptId = new String[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> (receiptId[0] = call(node, apiKey)) != null);
            String receipt = receiptId[0];
            await().atMost(Duration.ofSeconds(30)).until(() -> "settled".equals(node.get("/api/v1/receipts/" + receipt).path("status").asText()));
            Path file = dir.resolve("receipt.json");
            CliCommandsIT.ok("receipt", "get", receipt, "--node", url, "--out", file.toString());
            NodeProcess.CliResult verified = CliCommandsIT.ok("receipt", "verify", file.toString(), "--node", url, "--light-dir", light);
            long settledAt = Json.MAPPER.readTree(file.toFile()).path("settlement").path("blockHeight").asLong();
            assertThat(verified.output()).contains("finalised by block " + settledAt + " (").contains("final: committed in round")
                    .contains("carried in the seal of block " + (settledAt + 1)).contains("on the chain the light client verified from genesis");

            NodeProcess.CliResult model = CliCommandsIT.ok("model", "show", DevModel.NAME, "--verify", "--node", url, "--light-dir", light);
            assertThat(model.output()).contains("a header the light client verified; final: committed");

            // Later checks fetch only the headers added since; MAASCHAIN_LIGHT_DIR names the store as --light-dir does.
            NodeProcess.CliResult again = withLightDirEnv(light, "status", "--node", url, "--verify");
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.output()).contains("lightStore:").contains(light);
            long newHeight = Long.parseLong(CliCommandsIT.field(again.output(), "verifiedHeight"));
            assertThat(Long.parseLong(CliCommandsIT.field(again.output(), "headersSynced"))).isLessThan(newHeight);

            // A forger holding keys of its own serves the node's genesis and a chain signed by those keys, with valid proofs.
            String genesisJson = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/genesis")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            try (FakeLightNode forged = forgedNode(genesisJson)) {
                NodeProcess.CliResult fresh = NodeProcess.cli("status", "--node", forged.url(), "--verify", "--light-dir", dir.resolve("fresh").toString());
                assertThat(fresh.exitCode()).as(fresh.output()).isEqualTo(1);
                assertThat(fresh.output()).contains("served a chain the light client refuses: height 1").doesNotContain("Exception");
                // With the real chain already verified, the forger's claim of a final block contradicts it.
                NodeProcess.CliResult synced = NodeProcess.cli("status", "--node", forged.url(), "--verify", "--light-dir", light);
                assertThat(synced.exitCode()).as(synced.output()).isEqualTo(1);
                assertThat(synced.output()).contains("final at height 5, but the light client verified block").doesNotContain("Exception");
            }

            // A damaged store is named, with what to do.
            Path store = Files.list(dir.resolve("light")).filter(Files::isDirectory).findFirst().orElseThrow().resolve("headers.bin");
            byte[] bytes = Files.readAllBytes(store);
            bytes[bytes.length - 40] ^= 1;
            Files.write(store, bytes);
            NodeProcess.CliResult damaged = NodeProcess.cli("status", "--node", url, "--verify", "--light-dir", light);
            assertThat(damaged.exitCode()).as(damaged.output()).isEqualTo(1);
            assertThat(damaged.output()).contains("is corrupted").contains("delete").doesNotContain("Exception");
        }
    }

    private static NodeProcess.CliResult withLightDirEnv(String lightDir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(NodeProcess.JAVA, "-jar", NodeProcess.JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MAASCHAIN_LIGHT_DIR", lightDir);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        return new NodeProcess.CliResult(p.waitFor(), out);
    }

    /** A chain of 5 blocks on the real genesis block, from a state in which the forger's keys are the validators. */
    private static FakeLightNode forgedNode(String genesisJson) throws Exception {
        var genesis = GenesisParser.parse(genesisJson);
        BftEngine engine = (BftEngine) ConsensusFactory.create(genesis);
        GenesisBlock block = GenesisBlock.of(genesis, engine);
        List<KeyPair> forgers = List.of(Fixtures.key(800), Fixtures.key(801), Fixtures.key(802));
        Map<Bytes, byte[]> state = new HashMap<>(block.state());
        state.put(BftState.nextValidatorsKey(), new ValidatorSet(forgers.stream().map(k -> new ValidatorSet.Validator(k.publicKey(), 1)).toList()).encode());
        return new FakeLightNode(genesisJson, block.hash(), new BftTestChain(engine, block.block().header(), state, forgers, 5, Map.of()));
    }

    /** The receipt id of a paid call to the dev model, or null while it is not served yet. */
    private static String call(NodeProcess node, String apiKey) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/v2/models/" + DevModel.NAME + "/infer"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) return null; // the dev model is registered and loaded a few blocks after start
        JsonNode body = Json.MAPPER.readTree(r.body());
        return body.path("parameters").path("maaschain.receipt_id").asText();
    }
}
