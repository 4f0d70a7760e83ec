package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.node.TestnetLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate node processes talking gRPC over loopback sockets. */
class TestnetIT {
    @TempDir Path dir;
    final List<NodeProcess> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (NodeProcess n : running) n.close();
    }

    NodeProcess start(TestnetLayout layout, int i, List<Integer> peers, long intervalMillis, String... extra) throws Exception {
        Path config = layout.writeNodeConfig(i, peers, "127.0.0.1", intervalMillis, false);
        NodeProcess n = NodeProcess.node(config, layout.httpPort(i), List.of(), extra);
        running.add(n);
        return n;
    }

    static String head(NodeProcess n) {
        try {
            JsonNode s = n.get("/api/v1/status");
            return s.path("headHash").asText() + "/" + s.path("stateRoot").asText();
        } catch (Exception e) {
            return "down:" + e.getMessage();
        }
    }

    static boolean sameHead(List<NodeProcess> nodes) {
        Set<String> heads = new HashSet<>();
        for (NodeProcess n : nodes) heads.add(head(n));
        return heads.size() == 1 && !heads.iterator().next().startsWith("down");
    }

    @Test
    void fourNodesConvergeGossipTransactionsAndAKilledNodeRejoins() throws Exception {
        TestnetLayout layout = new TestnetLayout(dir, NodeProcess.freeTestnetBase(4));
        layout.writeGenesis("pow", System.currentTimeMillis());
        List<Integer> all = List.of(0, 1, 2, 3);
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i : all) nodes.add(start(layout, i, all, 1200));
        await().atMost(Duration.ofSeconds(90)).until(() -> nodes.stream().allMatch(n -> n.height() >= 3));

        KeyPair faucet = layout.faucet();
        long chainId = nodes.getFirst().get("/api/v1/status").path("chainId").asLong();
        var tx = new UnsignedTransaction(chainId, faucet.publicKey(), 0, 1, new Transfer(KeyPair.fromSeed(new byte[32]).address(), 77)).sign(faucet);
        JsonNode accepted = nodes.getFirst().post("/api/v1/txs", "{\"tx\":\"" + Hex.encode(tx.encoded()) + "\"}");
        assertThat(accepted.path("status").asText()).as(accepted.toString()).isEqualTo("pending");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "committed".equals(nodes.get(3).get("/api/v1/txs/" + tx.hash()).path("status").asText()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> sameHead(nodes));
        for (NodeProcess n : nodes) assertThat(n.get("/api/v1/peers").path("peers").size()).isEqualTo(3);

        // kill -9 one node; the other three keep going; the restarted node catches up to the same head.
        nodes.get(2).kill9();
        List<NodeProcess> alive = List.of(nodes.get(0), nodes.get(1), nodes.get(3));
        long before = alive.getFirst().height();
        await().atMost(Duration.ofSeconds(60)).until(() -> alive.getFirst().height() >= before + 3);
        NodeProcess restarted = start(layout, 2, all, 1200);
        List<NodeProcess> again = List.of(nodes.get(0), nodes.get(1), restarted, nodes.get(3));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> sameHead(again));
        assertThat(restarted.height()).isGreaterThan(before);
    }

    @Test
    void aNodeStartedAThousandBlocksLateSyncsToTheHead() throws Exception {
        TestnetLayout layout = new TestnetLayout(dir, NodeProcess.freeTestnetBase(4));
        KeyPair faucet = layout.faucet();
        Files.writeString(layout.genesisFile(), io.maaschain.node.DevSetup.devGenesis(faucet, "pow", System.currentTimeMillis() - 3_600_000)
                .replace("\"initialBits\": \"0x1f00ffff\"", "\"initialBits\": \"0x207fffff\"")
                .replace("\"noRetargeting\": false", "\"noRetargeting\": true"));
        NodeProcess producer = start(layout, 0, List.of(0, 1), 1);
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> producer.height() >= 1000);
        NodeProcess late = start(layout, 1, List.of(0, 1), 1, "--no-mining");
        long target = producer.height();
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200)).until(() -> late.height() >= target);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("late joiner synced %d blocks in %.1f s (%.0f blocks/s, including JVM start-up)%n", target, seconds, target / seconds);
        assertThat(late.get("/api/v1/blocks/" + target).path("hash").asText())
                .isEqualTo(producer.get("/api/v1/blocks/" + target).path("hash").asText());
        IntStream.of(1, 500, 999).forEach(h -> {
            try {
                assertThat(late.get("/api/v1/blocks/" + h).path("stateRoot").asText())
                        .isEqualTo(producer.get("/api/v1/blocks/" + h).path("stateRoot").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
