package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.tx.UpdatePermissions;
import io.maaschain.node.DevSetup;
import io.maaschain.node.TestnetLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consortium chain over TLS: an unlisted node is refused at the handshake and an unlisted account cannot submit,
 * until an admin transaction adds them; the change lands at one height on every node.
 */
class PermissionedNetworkIT {
    @TempDir Path dir;
    final List<NodeProcess> running = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (NodeProcess n : running) n.close();
    }

    @Test
    void membershipIsEnforcedAndChangedByAnAdminTransaction() throws Exception {
        TestnetLayout layout = new TestnetLayout(dir, NodeProcess.freeTestnetBase(3));
        KeyPair admin = layout.faucet();
        KeyPair outsider = KeyPair.fromSeed(new byte[32]);
        String genesis = DevSetup.devGenesis(admin, "pow", System.currentTimeMillis()).replace("\"alloc\"", """
                "permissioned": {"admins": ["%s"], "accounts": ["%s", "%s"], "nodes": ["%s", "%s"]},
                  "alloc\"""".formatted(admin.address(), layout.nodeKey(0).address(), layout.nodeKey(1).address(),
                layout.nodeKey(0).publicKey().toHex(), layout.nodeKey(1).publicKey().toHex()));
        Files.writeString(layout.genesisFile(), genesis);
        List<Integer> all = List.of(0, 1, 2);
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i : all) {
            Path config = layout.writeNodeConfig(i, all, "127.0.0.1", 1500, true);
            NodeProcess n = NodeProcess.node(config, layout.httpPort(i), List.of(), i == 2 ? new String[] {"--no-mining"} : new String[0]);
            running.add(n);
            nodes.add(n);
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> nodes.get(0).height() >= 3 && nodes.get(1).height() >= 3);
        // The unlisted node may still be starting (-1: not answering yet); once it answers, it has synced nothing.
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.get(2).height() >= 0);
        assertThat(nodes.get(2).height()).as("the unlisted node cannot sync").isZero();
        assertThat(nodes.get(2).get("/api/v1/peers").path("peers").size()).isZero();
        assertThat(Files.readString(nodes.get(0).log)).contains("not admitted");

        long chainId = nodes.get(0).get("/api/v1/status").path("chainId").asLong();
        Transaction outsiderTx = new UnsignedTransaction(chainId, outsider.publicKey(), 0, 1, new Transfer(admin.address(), 1)).sign(outsider);
        JsonNode refused = submit(nodes.get(0), outsiderTx);
        assertThat(refused.path("code").asText()).as(refused.toString()).isEqualTo("SENDER_NOT_ALLOWED");

        Transaction add = new UnsignedTransaction(chainId, admin.publicKey(), 0, 1, new UpdatePermissions(
                List.of(outsider.address()), List.of(), List.of(layout.nodeKey(2).publicKey()), List.of(), List.of(), List.of())).sign(admin);
        Transaction fund = new UnsignedTransaction(chainId, admin.publicKey(), 1, 1, new Transfer(outsider.address(), 1_000)).sign(admin);
        assertThat(submit(nodes.get(0), add).path("status").asText()).isEqualTo("pending");
        assertThat(submit(nodes.get(0), fund).path("status").asText()).isEqualTo("pending");

        await().atMost(Duration.ofSeconds(90)).until(() -> nodes.get(2).get("/api/v1/txs/" + add.hash()).path("status").asText().equals("committed"));
        long[] heights = new long[3];
        for (int i : all) heights[i] = nodes.get(i).get("/api/v1/txs/" + add.hash()).path("blockHeight").asLong();
        assertThat(heights[1]).isEqualTo(heights[0]);
        assertThat(heights[2]).isEqualTo(heights[0]);
        assertThat(nodes.get(2).get("/api/v1/peers").path("peers").size()).isPositive();

        await().atMost(Duration.ofSeconds(60)).until(() -> "committed".equals(nodes.get(0).get("/api/v1/txs/" + fund.hash()).path("status").asText()));
        Transaction nowAllowed = new UnsignedTransaction(chainId, outsider.publicKey(), 0, 1, new Transfer(admin.address(), 1)).sign(outsider);
        assertThat(submit(nodes.get(2), nowAllowed).path("status").asText()).isEqualTo("pending");
    }

    private static JsonNode submit(NodeProcess n, Transaction tx) throws Exception {
        return n.post("/api/v1/txs", "{\"tx\":\"" + Hex.encode(tx.encoded()) + "\"}");
    }
}
