package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeyPair;
import io.maaschain.node.TestnetLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three example contracts on a 4-node bft testnet of real processes, through the CLI, each step sent to another
 * node: every node executes every contract transaction and must store the same result and reach the same state.
 */
class ContractsTestnetIT {
    @TempDir Path dir;
    final List<NodeProcess> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (NodeProcess n : running) n.close();
    }

    /** Each node's answer for a transaction's stored result (status, gas, return data, events): all must agree. */
    static void sameResultEverywhere(List<NodeProcess> nodes, String txHash) throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            seen.clear();
            for (NodeProcess n : nodes) {
                JsonNode t = n.get("/api/v1/txs/" + txHash);
                seen.add(t.path("status").asText() + " " + t.path("result"));
            }
            if (seen.stream().allMatch(r -> r.startsWith("committed ")) && new HashSet<>(seen).size() == 1) return;
            Thread.sleep(250);
        }
        throw new AssertionError("transaction " + txHash + " as each node has it: " + seen);
    }

    @Test
    void theExamplesRunTheSameOnEveryNode() throws Exception {
        TestnetLayout layout = new TestnetLayout(dir, NodeProcess.freeTestnetBase(4));
        layout.writeGenesis("bft", 4, System.currentTimeMillis());
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            NodeProcess n = NodeProcess.node(layout.writeNodeConfig(i, List.of(0, 1, 2, 3), "127.0.0.1", 1000, false), layout.httpPort(i), List.of());
            running.add(n);
            nodes.add(n);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> nodes.stream().allMatch(n -> n.height() >= 2));
        String key = layout.faucetKeyFile().toString();
        KeyPair contributor = KeyPair.fromSeed(new byte[32]);
        String owner = layout.faucet().address().toString();

        JsonNode deployed = ContractsIT.cli("contract", "deploy", ContractsIT.CONTRACTS.resolve("revenue_split.wasm").toString(),
                "--wait", "--json", "--node", nodes.get(0).url(), "--key", key);
        sameResultEverywhere(nodes, deployed.path("hash").asText(deployed.path("tx").asText()));
        String args = Hex.encode(io.maaschain.crypto.Address.parse(owner).toBytes()) + ContractsIT.le(3)
                + Hex.encode(contributor.address().toBytes()) + ContractsIT.le(1);
        JsonNode inst = ContractsIT.cli("contract", "instantiate", deployed.path("codeHash").asText(), "--args", args,
                "--wait", "--json", "--node", nodes.get(1).url(), "--key", key);
        String split = inst.path("contract").asText();
        JsonNode paid = ContractsIT.cli("contract", "call", split, "pay", "--value", "1000", "--wait", "--json", "--node", nodes.get(2).url(), "--key", key);
        assertThat(paid.path("result").path("status").asText()).isEqualTo("OK");
        for (NodeProcess n : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> n.get("/api/v1/accounts/" + contributor.address()).path("balance").asLong() == 250);
        }
        JsonNode q = ContractsIT.cli("contract", "query", split, "recipients", "--json", "--node", nodes.get(3).url());
        assertThat(q.path("returnData").asText()).isEqualTo(args);

        // Bounty past its deadline: refunded, on whichever node asks.
        JsonNode bountyCode = ContractsIT.cli("contract", "deploy", ContractsIT.CONTRACTS.resolve("bounty.wasm").toString(),
                "--wait", "--json", "--node", nodes.get(3).url(), "--key", key);
        String wanted = "11".repeat(32) + Hex.encode("wanted-model".getBytes());
        JsonNode lapsed = ContractsIT.cli("contract", "instantiate", bountyCode.path("codeHash").asText(), "--args", ContractsIT.le(1) + wanted,
                "--value", "300", "--wait", "--json", "--node", nodes.get(0).url(), "--key", key);
        JsonNode refunded = ContractsIT.cli("contract", "call", lapsed.path("contract").asText(), "refund", "--wait", "--json",
                "--node", nodes.get(1).url(), "--key", key);
        assertThat(refunded.path("result").path("returnData").asText()).isEqualTo(ContractsIT.le(300));

        // Licence: its buy reverts without the model, with the same failure on every node.
        JsonNode lic = ContractsIT.cli("contract", "deploy", ContractsIT.CONTRACTS.resolve("licence.wasm").toString(),
                "--wait", "--json", "--node", nodes.get(2).url(), "--key", key);
        JsonNode licInst = ContractsIT.cli("contract", "instantiate", lic.path("codeHash").asText(),
                "--args", ContractsIT.le(100) + ContractsIT.le(5) + ContractsIT.le(50) + Hex.encode("some-model".getBytes()),
                "--wait", "--json", "--node", nodes.get(3).url(), "--key", key);
        NodeProcess.CliResult buy = NodeProcess.cli("contract", "call", licInst.path("contract").asText(), "buy", "--value", "100",
                "--wait", "--json", "--node", nodes.get(0).url(), "--key", key);
        assertThat(buy.exitCode()).isEqualTo(1);
        assertThat(buy.output()).contains("MODEL_NOT_FOUND");

        for (JsonNode tx : List.of(inst, paid, refunded)) sameResultEverywhere(nodes, tx.path("hash").asText(tx.path("tx").asText()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> TestnetIT.sameHead(nodes));
    }
}
