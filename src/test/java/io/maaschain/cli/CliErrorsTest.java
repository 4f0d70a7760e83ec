package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.KeyPair;
import io.maaschain.node.DevSetup;
import io.maaschain.storage.RocksDbStore;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user error ends in one readable line naming the file, field or node, and a documented exit code; no stack trace. */
class CliErrorsTest {
    static final String TO = KeyPair.fromSeed(new byte[32]).address().toString();
    @TempDir Path dir;

    /** Runs the command, checks exit code and that the output is a message, not a trace; returns stderr. */
    static String fails(int exit, String... args) {
        CliRun.Result r = CliRun.run(args);
        String all = r.out() + r.err();
        assertThat(r.exit()).as(all).isEqualTo(exit);
        assertThat(all).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.").doesNotContain("at java.");
        // Only warnings may come before the one error line.
        assertThat(r.err().lines().filter(l -> !l.startsWith("warning: ")).findFirst().orElse("")).startsWith("error: ");
        return r.err();
    }

    Path devKey() throws Exception {
        return DevSetup.prepare(dir.resolve("dev"), "pow", 1_700_000_000_000L).keyFile();
    }

    static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aNegativeFeeIsAUsageErrorNamingTheOption() throws Exception {
        String err = fails(ExitCodes.USAGE, "tx", "transfer", "--key", devKey().toString(), "--to", TO, "--amount", "5", "--fee", "-1");
        assertThat(err).contains("--fee must be 0 or more, not -1").contains("Try 'maaschain tx transfer --help'");
    }

    @Test
    void aNegativeNonceIsAUsageErrorNamingTheOption() throws Exception {
        String err = fails(ExitCodes.USAGE, "tx", "transfer", "--key", devKey().toString(), "--to", TO, "--amount", "5", "--nonce", "-4");
        assertThat(err).contains("--nonce must be 0 or more, not -4");
    }

    @Test
    void aNodeThatIsNotAUrlIsAUsageError() {
        assertThat(fails(ExitCodes.USAGE, "status", "--node", "not a url")).contains("--node 'not a url' is not a URL")
                .contains("http://127.0.0.1:8645");
        assertThat(fails(ExitCodes.USAGE, "status", "--node", "ftp://x")).contains("not an http(s) URL");
    }

    @Test
    void anUnreachableNodeIsNamedWithWhatToDo() throws Exception {
        int port = deadPort();
        String err = fails(ExitCodes.FAILED, "status", "--node", "http://127.0.0.1:" + port);
        assertThat(err).contains("cannot reach the node at http://127.0.0.1:" + port).contains("connection refused")
                .contains("maaschain dev").doesNotContain("null");
    }

    @Test
    void aFileOnnxRuntimeCannotLoadIsNotRegisteredUnlessTheCheckIsSkipped() throws Exception {
        Path notOnnx = dir.resolve("model.onnx");
        Files.writeString(notOnnx, "not a protobuf at all");
        String dead = "http://127.0.0.1:" + deadPort();
        String[] register = {"model", "register", "--node", dead, "--key", devKey().toString(), "--file", notOnnx.toString(),
                "--name", "m", "--version", "1", "--json"};
        // The node is unreachable: the refusal comes before anything is sent.
        assertThat(fails(ExitCodes.FAILED, register)).contains(notOnnx + " is not a model ONNX Runtime can serve")
                .contains("onnxruntime cannot load the model").contains("nothing was sent").contains("--no-check");
        assertThat(fails(ExitCodes.FAILED, CliRun.with(register, "--no-check"))).contains("cannot reach the node");
        Path real = dir.resolve("iris.onnx");
        io.maaschain.maas.devmodel.DevModel.write(real);
        register[7] = real.toString();
        assertThat(fails(ExitCodes.FAILED, register)).as("a loadable model passes the check").contains("cannot reach the node");
    }

    @Test
    void aMissingKeyFileIsNamed() {
        String err = fails(ExitCodes.FAILED, "tx", "transfer", "--key", "/nonexistent.key", "--to", TO, "--amount", "5");
        assertThat(err).contains("key file /nonexistent.key does not exist; check the path");
    }

    @Test
    void aKeyFileThatIsNotUtf8IsNamed() throws Exception {
        Path bad = dir.resolve("binary.key");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});
        String err = fails(ExitCodes.FAILED, "tx", "transfer", "--key", bad.toString(), "--to", TO, "--amount", "5");
        assertThat(err).contains("key file " + bad + " is not UTF-8 text").doesNotContain("Input length");
        assertThat(fails(ExitCodes.FAILED, "keys", "show", "--key", bad.toString())).contains(bad + " is not UTF-8 text");
    }

    @Test
    void aKeyFileThatIsNotAKeyIsNamed() throws Exception {
        Path bad = dir.resolve("notes.txt");
        Files.writeString(bad, "hello\n");
        assertThat(fails(ExitCodes.FAILED, "tx", "transfer", "--key", bad.toString(), "--to", TO, "--amount", "5"))
                .contains("key file " + bad + " is neither a keystore").contains("keys new");
        Path pem = dir.resolve("broken.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThat(fails(ExitCodes.FAILED, "tx", "transfer", "--key", pem.toString(), "--to", TO, "--amount", "5"))
                .contains("key file " + pem + ":");
    }

    @Test
    void aDataDirHeldByANodeSaysSoInsteadOfRocksDbsLockText() throws Exception {
        Path data = dir.resolve("dev");
        devKey();
        try (RocksDbStore held = RocksDbStore.open(data.resolve("db"))) {
            // 'chain export' opens the database for writing, as a node does ('chain verify' opens it read-only and checks
            // the lock of another process itself: CliCommandsIT runs it against a real node process).
            String err = fails(ExitCodes.FAILED, "chain", "export", "--data-dir", data.toString(), "--out", dir.resolve("x.export").toString());
            assertThat(err).contains("the database at " + data.resolve("db") + " is in use by another process")
                    .contains("stop that process first").doesNotContain("LOCK").doesNotContain("Resource temporarily unavailable");
        }
    }

    @Test
    void aMissingGenesisAndAMissingChainFileAreNamed() throws Exception {
        assertThat(fails(ExitCodes.FAILED, "chain", "verify", "--file", dir.resolve("none.chain").toString())).contains("none.chain");
        Files.createDirectories(dir.resolve("d/db"));
        assertThat(fails(ExitCodes.FAILED, "chain", "verify", "--data-dir", dir.resolve("d").toString())).contains("no genesis file at");
    }

    @Test
    void badValuesForTheNewCommandsAreUsageErrors() {
        assertThat(fails(ExitCodes.USAGE, "block", "latest")).contains("'latest' is neither a block height nor a block hash");
        assertThat(fails(ExitCodes.USAGE, "tx", "show", "abc")).contains("'abc' is not a transaction hash");
        assertThat(fails(ExitCodes.USAGE, "account", "bob")).contains("'bob' is not an address");
        assertThat(fails(ExitCodes.USAGE, "model", "list", "--limit", "0")).contains("--limit must be 1..200");
    }

    @Test
    void testnetRefusesPortsOutOfRangeOrOverlapping() {
        assertThat(fails(ExitCodes.USAGE, "testnet", "--base-port", "65534", "--nodes", "4")).contains("--base-port 65534 with 4 nodes")
                .contains("ports are 1..65535");
        assertThat(fails(ExitCodes.USAGE, "testnet", "--base-port", "9000", "--p2p-base-port", "9002", "--nodes", "4"))
                .contains("overlap");
    }

    @Test
    void anUnknownOptionIsExitTwoWithUsage() {
        CliRun.Result r = CliRun.run("status", "--bogus");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("Usage: maaschain status");
    }
}
