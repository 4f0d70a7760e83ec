package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The explorer in a real browser on a real dev node process: {@code explorer/tests/browser.mjs} drives Debian's
 * Chromium through playwright-core (open the explorer, follow a block to a transaction, find the dev model, call it,
 * open its receipt and see the in-browser proof check pass, see tampered evidence fail), and on pos, dpos and bft
 * dev nodes shows the validators and the votes in recent seals, each signature checked in the page. Screenshots of
 * every step are kept in {@code target/explorer-screenshots/}.
 */
class ExplorerBrowserIT {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path SHOTS = Path.of("target", "explorer-screenshots");
    @TempDir Path dir;

    @Test
    void aUserFollowsABlockCallsTheDevModelAndVerifiesTheReceiptInTheBrowser() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is needed at %s: apt-get install -y chromium (.ci/run does)", CHROMIUM).isTrue();
        Path data = dir.resolve("node");
        NodeProcess node = NodeProcess.dev(data, NodeProcess.freePort(), "--block-interval-ms", "300");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> node.height() >= 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(data.resolve("dev.apikey"))
                    && node.get("/v2/models/iris/ready").path("ready").asBoolean(false));
            HttpResponse<String> root = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/explorer/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(root.statusCode()).isEqualTo(200);
            assertThat(root.body()).contains("<title>maaschain explorer</title>");

            String apiKey = Files.readString(data.resolve("dev.apikey")).strip();
            Process p = new ProcessBuilder("node", "tests/browser.mjs", node.url(), apiKey, SHOTS.toAbsolutePath().toString())
                    .directory(Path.of("explorer").toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(out + "\nnode log: " + node.log).isZero();
            assertThat(out).contains("PASS open the explorer", "PASS follow a block to a transaction", "PASS find the dev model",
                    "PASS call the model", "PASS open the receipt", "PASS a tampered receipt shows as failed", "PASS search by height",
                    "ALL PASSED");
            assertThat(SHOTS.resolve("05-receipt-verified.png")).exists();
            assertThat(SHOTS.resolve("06-receipt-tampered.png")).exists();
        } finally {
            node.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pos", "dpos", "bft"})
    void theConsensusPageShowsValidatorsAndVotesCheckedInTheBrowser(String consensus) throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is needed at %s: apt-get install -y chromium (.ci/run does)", CHROMIUM).isTrue();
        NodeProcess node = NodeProcess.dev(dir.resolve(consensus), NodeProcess.freePort(), "--consensus", consensus);
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> node.height() >= 12);
            Path shots = SHOTS.resolve(consensus).toAbsolutePath();
            Process p = new ProcessBuilder("node", "tests/browser.mjs", node.url(), "--consensus", shots.toString())
                    .directory(Path.of("explorer").toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(out + "\nnode log: " + node.log).isZero();
            assertThat(out).contains("PASS validators and votes, checked in the page", "ALL PASSED");
            assertThat(shots.resolve("consensus.png")).exists();
        } finally {
            node.close();
        }
    }
}
