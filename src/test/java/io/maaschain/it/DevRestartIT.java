package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's promise that {@code dev} "resumes the same chain", for every engine: a single-node devnet is stopped
 * (SIGTERM) and started again on its data directory, and its chain goes on from the same blocks (for the vote engines,
 * finality too: a one-validator bft chain used to stop for good here, its head's commit having lived only in memory).
 */
class DevRestartIT {
    @TempDir Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pow", "pos", "dpos", "bft"})
    void aStoppedDevNodeResumesTheSameChainAndKeepsGoing(String engine) throws Exception {
        Path data = tmp.resolve("dev-" + engine);
        int port = NodeProcess.freeTestnetBase(1);
        long height;
        long finalized;
        String hashAtHeight;
        try (NodeProcess first = NodeProcess.dev(data, port, "--consensus", engine, "--block-interval-ms", "300")) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> progress(first, engine) >= 3);
            JsonNode s = first.get("/api/v1/status");
            height = s.path("height").asLong();
            finalized = s.path("finalizedHeight").asLong();
            hashAtHeight = first.get("/api/v1/blocks/" + height).path("hash").asText();
        }
        try (NodeProcess second = NodeProcess.dev(data, port, "--consensus", engine, "--block-interval-ms", "300")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> second.height() >= 0);
            assertThat(second.get("/api/v1/blocks/" + height).path("hash").asText()).as("block %d after the restart", height).isEqualTo(hashAtHeight);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> second.height() >= height + 3 && ("pow".equals(engine) || finalizedHeight(second) >= finalized + 2));
            assertThat(second.get("/api/v1/status").path("halted").isNull()).isTrue();
        }
    }

    /** Height for pow (no finality), final height for the vote engines. */
    static long progress(NodeProcess n, String engine) {
        return "pow".equals(engine) ? n.height() : finalizedHeight(n);
    }

    static long finalizedHeight(NodeProcess n) {
        try {
            return n.get("/api/v1/status").path("finalizedHeight").asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }
}
