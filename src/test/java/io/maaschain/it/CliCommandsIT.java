package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.maas.devmodel.DevModel;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's read commands, --wait, and its errors against real processes: a dev node, a held data dir, a testnet that cannot start. */
class CliCommandsIT {
    @TempDir Path dir;

    static NodeProcess.CliResult ok(String... args) throws Exception {
        NodeProcess.CliResult r = NodeProcess.cli(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isZero();
        assertThat(r.output()).doesNotContain("Exception");
        return r;
    }

    static String field(String output, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\S+)").matcher(output);
        assertThat(m.find()).as(name + " in\n" + output).isTrue();
        return m.group(1);
    }

    @Test
    void blockTxShowAccountModelListAndWaitAgainstADevNode() throws Exception {
        Path data = dir.resolve("dev");
        try (NodeProcess node = NodeProcess.dev(data, NodeProcess.freeTestnetBase(1), "--block-interval-ms", "300")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> node.height() >= 2);
            String url = node.url();
            String key = data.resolve("dev.key").toString();
            String to = KeyPair.fromSeed(new byte[32]).address().toString();

            // --wait returns once the transfer is in a block and prints that block.
            NodeProcess.CliResult sent = ok("tx", "transfer", "--node", url, "--key", key, "--to", to, "--amount", "7", "--wait");
            assertThat(field(sent.output(), "status")).isEqualTo("committed");
            String hash = field(sent.output(), "hash");
            long height = Long.parseLong(field(sent.output(), "blockHeight"));
            String blockHash = field(sent.output(), "blockHash");

            NodeProcess.CliResult shown = ok("tx", "show", hash, "--node", url);
            assertThat(field(shown.output(), "status")).isEqualTo("committed");
            assertThat(field(shown.output(), "blockHeight")).isEqualTo(Long.toString(height));
            assertThat(field(shown.output(), "kind")).isEqualTo("transfer");
            assertThat(field(shown.output(), "amount")).isEqualTo("7");

            NodeProcess.CliResult byHeight = ok("block", Long.toString(height), "--node", url);
            assertThat(field(byHeight.output(), "hash")).isEqualTo(blockHash);
            assertThat(byHeight.output()).contains(hash);
            NodeProcess.CliResult byHash = ok("block", blockHash, "--node", url, "--json");
            assertThat(byHash.output()).contains("\"height\" : " + height).contains(hash);

            NodeProcess.CliResult account = ok("account", to, "--node", url);
            assertThat(field(account.output(), "balance")).isEqualTo("7");

            await().atMost(Duration.ofSeconds(60)).until(() -> NodeProcess.cli("model", "list", "--node", url).output().contains(DevModel.NAME));
            NodeProcess.CliResult models = ok("model", "list", "--node", url);
            assertThat(models.output()).contains("NAME").containsPattern(DevModel.NAME + "\\s+" + Pattern.quote(DevModel.VERSION) + "\\s+1\\s+1\\s+private\\s+no\\s+1");
            String dev = KeyPem.privateKeyFromPem(Files.readString(data.resolve("dev.key"))).address().toString();
            NodeProcess.CliResult model = ok("model", "show", DevModel.NAME, "--node", url);
            assertThat(field(model.output(), "visibility")).isEqualTo("private");
            assertThat(field(model.output(), "deprecated")).isEqualTo("no");
            assertThat(field(model.output(), "hosts")).isEqualTo(dev);

            // A nonce far ahead stays pending: --wait gives up after its timeout with exit 1 and says how to look later.
            long next = node.get("/api/v1/accounts/" + dev).path("nextNonce").asLong();
            NodeProcess.CliResult stuck = NodeProcess.cli("tx", "transfer", "--node", url, "--key", key, "--to", to, "--amount", "1",
                    "--nonce", Long.toString(next + 3), "--wait", "--wait-timeout", "2");
            assertThat(stuck.exitCode()).as(stuck.output()).isEqualTo(1);
            assertThat(stuck.output()).contains("was not in a block after 2 s (still pending)").contains("maaschain tx show ")
                    .doesNotContain("Exception");

            // The running node holds the data dir: the CLI says so in words.
            NodeProcess.CliResult held = NodeProcess.cli("chain", "verify", "--data-dir", data.toString());
            assertThat(held.exitCode()).as(held.output()).isEqualTo(1);
            assertThat(held.output()).contains("is in use by another process").doesNotContain("Exception").doesNotContain("LOCK");
        }
    }

    @Test
    void testnetFailsWithTheReasonWhenANodeCannotStart() throws Exception {
        int base = NodeProcess.freeTestnetBase(2);
        int p2pBase = base + 300;
        try (ServerSocket taken = new ServerSocket(base + 1)) {
            List<String> cmd = new ArrayList<>(List.of(NodeProcess.JAVA, "-jar", NodeProcess.JAR.toString(), "testnet", "--nodes", "2",
                    "--data-dir", dir.resolve("tn").toString(), "--base-port", Integer.toString(base), "--p2p-base-port", Integer.toString(p2pBase), "--start-timeout", "240"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            boolean exited = p.waitFor(300, TimeUnit.SECONDS);
            if (!exited) p.destroyForcibly();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(exited).as(out).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(1);
            assertThat(out).contains("node-1 exited").contains("Port already in use").contains(Integer.toString(base + 1))
                    .doesNotContain("nodes running").doesNotContain("Exception");
            // The p2p ports came from --p2p-base-port.
            assertThat(Files.readString(dir.resolve("tn/node-0/config.toml"))).contains("port = " + p2pBase);
        }
    }
}
