package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.node.TestnetLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each vote-based engine on four real node processes over loopback: the network finalizes, every node holds the same
 * final chain, the three left after a kill -9 keep finalizing (bft needs 3 of 4), and the killed node rejoins and
 * reaches the same final chain; then every node is stopped and restarted, and then every node is killed at once and
 * restarted, and finality goes on each time. Proof of work: the same restarts, and the chain keeps growing as one.
 */
class ConsensusIT {
    static final int NODES = 4;
    @TempDir Path dir;
    final List<NodeProcess> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (NodeProcess n : running) n.close();
    }

    NodeProcess start(TestnetLayout layout, int i) throws Exception {
        Path config = layout.writeNodeConfig(i, List.of(0, 1, 2, 3), "127.0.0.1", 1000, false);
        NodeProcess n = NodeProcess.node(config, layout.httpPort(i), List.of());
        running.add(n);
        return n;
    }

    /** The node's final block as height/hash, or null while it does not answer. */
    static Final finalOf(NodeProcess n) {
        try {
            JsonNode s = n.get("/api/v1/status");
            return s.has("finalizedHeight") ? new Final(s.path("finalizedHeight").asLong(), s.path("finalizedHash").asText()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    record Final(long height, String hash) {}

    static long finalHeight(NodeProcess n) {
        Final f = finalOf(n);
        return f == null ? -1 : f.height();
    }

    /** Every node's final block is the block at that height on every other node: no two final chains differ. */
    static void assertOneFinalChain(List<NodeProcess> nodes) throws Exception {
        for (NodeProcess n : nodes) {
            Final f = finalOf(n);
            assertThat(f).as(n.url()).isNotNull();
            for (NodeProcess other : nodes) {
                if (finalHeight(other) < f.height()) continue;
                assertThat(other.get("/api/v1/blocks/" + f.height()).path("hash").asText())
                        .as("block %d on %s, final on %s", f.height(), other.url(), n.url()).isEqualTo(f.hash());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bft", "pos", "dpos"})
    void fourNodesFinalizeThreeKeepFinalizingAfterAKillAndTheKilledNodeRejoins(String engine) throws Exception {
        TestnetLayout layout = new TestnetLayout(dir, NodeProcess.freeTestnetBase(NODES));
        layout.writeGenesis(engine, NODES, System.currentTimeMillis());
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) nodes.add(start(layout, i));

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> nodes.stream().allMatch(n -> finalHeight(n) >= 3));
        assertOneFinalChain(nodes);
        JsonNode consensus = nodes.getFirst().get("/api/v1/consensus");
        assertThat(consensus.path("kind").asText()).isEqualTo(engine);
        assertThat(consensus.path("local").path("signing").asBoolean()).isTrue();

        nodes.get(NODES - 1).kill9();
        List<NodeProcess> alive = nodes.subList(0, NODES - 1);
        long before = alive.stream().mapToLong(ConsensusIT::finalHeight).max().orElseThrow();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> alive.stream().allMatch(n -> finalHeight(n) >= before + 3));
        assertOneFinalChain(alive);

        NodeProcess restarted = start(layout, NODES - 1);
        long target = alive.stream().mapToLong(ConsensusIT::finalHeight).max().orElseThrow();
        List<NodeProcess> again = new ArrayList<>(alive);
        again.add(restarted);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> finalHeight(restarted) >= target);
        assertOneFinalChain(again);

        // Maintenance: every node stopped (SIGTERM), then started again. Then a power cut: every node killed at once.
        List<NodeProcess> afterStop = restartAll(layout, again, false);
        awaitFinalityContinues(afterStop);
        List<NodeProcess> afterKill = restartAll(layout, afterStop, true);
        awaitFinalityContinues(afterKill);
    }

    /** Stops every node ({@code kill9}: all at once with SIGKILL, else SIGTERM), then starts them all again. */
    List<NodeProcess> restartAll(TestnetLayout layout, List<NodeProcess> nodes, boolean kill9) throws Exception {
        if (kill9) {
            for (NodeProcess n : nodes) n.process.destroyForcibly();
        }
        for (NodeProcess n : nodes) {
            if (kill9) n.process.waitFor();
            else n.close();
        }
        running.removeAll(nodes);
        List<NodeProcess> started = new ArrayList<>();
        for (int i = 0; i < NODES; i++) started.add(start(layout, i));
        return started;
    }

    /** Every node finalizes at least three blocks beyond the highest final block any of them reports on coming back. */
    static void awaitFinalityContinues(List<NodeProcess> nodes) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> nodes.stream().allMatch(n -> finalHeight(n) >= 0));
        long before = nodes.stream().mapToLong(ConsensusIT::finalHeight).max().orElseThrow();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> nodes.stream().allMatch(n -> finalHeight(n) >= before + 3));
        assertOneFinalChain(nodes);
        for (NodeProcess n : nodes) assertThat(n.get("/api/v1/status").path("halted").isNull()).as("halted on %s", n.url()).isTrue();
    }

    /** Proof of work has no finality: after every miner stopped and then was killed, the chain grows and the nodes converge. */
    @org.junit.jupiter.api.Test
    void powMinersAllStoppedThenAllKilledKeepMiningOneChain() throws Exception {
        TestnetLayout layout = new TestnetLayout(dir, NodeProcess.freeTestnetBase(NODES));
        layout.writeGenesis("pow", NODES, System.currentTimeMillis());
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) nodes.add(start(layout, i));
        awaitPowGrowsAndConverges(nodes);
        nodes = restartAll(layout, nodes, false);
        awaitPowGrowsAndConverges(nodes);
        nodes = restartAll(layout, nodes, true);
        awaitPowGrowsAndConverges(nodes);
    }

    static void awaitPowGrowsAndConverges(List<NodeProcess> nodes) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> nodes.stream().allMatch(n -> n.height() >= 0));
        long before = nodes.stream().mapToLong(NodeProcess::height).max().orElseThrow();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> nodes.stream().allMatch(n -> n.height() >= before + 3));
        // The same block at a height every node has passed (a fork near the tips may still be resolving).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long common = nodes.stream().mapToLong(NodeProcess::height).min().orElseThrow() - 2;
            if (common < 1) return false;
            String first = nodes.getFirst().get("/api/v1/blocks/" + common).path("hash").asText();
            for (NodeProcess n : nodes) if (!n.get("/api/v1/blocks/" + common).path("hash").asText().equals(first)) return false;
            return true;
        });
    }
}
