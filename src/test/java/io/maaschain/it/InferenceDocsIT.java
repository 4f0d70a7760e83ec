package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell examples of docs/inference.md, taken from the page as written and run with bash, OpenSSL and curl
 * against a real dev node: what a reader copies must work.
 */
class InferenceDocsIT {
    static final Path PAGE = Path.of("docs/inference.md");
    @TempDir Path dir;

    /** The {@code sh} code blocks of the page, in order. */
    static List<String> shellBlocks() throws Exception {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(PAGE)) {
            if (current == null && line.equals("```sh")) {
                current = new StringBuilder();
            } else if (current != null && line.equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    static String block(String containing) throws Exception {
        return shellBlocks().stream().filter(b -> b.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("docs/inference.md has no sh block containing " + containing));
    }

    String bash(String script, String url) throws Exception {
        Path file = dir.resolve("example.sh");
        Files.writeString(file, "set -e\n" + script.replace("http://127.0.0.1:8645", url));
        Process p = new ProcessBuilder("bash", file.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theSignedPaidCallAndTheApiKeyCallWorkAsWritten() throws Exception {
        Path data = dir.resolve("data");
        int port = NodeProcess.freeTestnetBase(1);
        try (NodeProcess node = NodeProcess.dev(data, port)) {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> node.get("/v2/models/iris/ready").path("ready").asBoolean(false)
                    && Files.exists(data.resolve("dev.apikey")));
            String signed = block("X-Maaschain-Authorised");
            for (int call = 1; call <= 2; call++) {
                JsonNode answer = Json.MAPPER.readTree(bash(signed, node.url()));
                assertThat(answer.path("model_name").asText()).as(answer.toString()).isEqualTo("iris");
                assertThat(answer.path("parameters").path("maaschain.fee").asLong()).isPositive();
            }
            JsonNode keyed = Json.MAPPER.readTree(bash(block("dev.apikey"), node.url()));
            assertThat(keyed.path("outputs")).as(keyed.toString()).isNotEmpty();
            assertThat(keyed.path("parameters").path("maaschain.receipt_id").asText()).hasSize(64);
        }
    }
}
