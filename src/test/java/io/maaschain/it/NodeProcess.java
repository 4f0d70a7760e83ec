package io.maaschain.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A node or CLI run as a separate JVM from the packaged jar, as an operator would run it. */
final class NodeProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("maaschain.jar", "target/maaschain.jar"));
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Process process;
    final int port;
    final Path log;

    private NodeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A base port for a {@code TestnetLayout} of up to {@code nodes} nodes (REST on base+i, p2p on base+100+i), below
     * the kernel's ephemeral range so that no outgoing connection can be holding one of them, and checked free.
     */
    static int freeTestnetBase(int nodes) throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + random.nextInt(10_000);
            boolean free = true;
            for (int i = 0; i < nodes && free; i++) free = bindable(base + i) && bindable(base + 100 + i);
            if (free) return base;
        }
        throw new IOException("no free block of ports for a testnet");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static NodeProcess dev(Path dataDir, int port, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString(), "dev", "--data-dir", dataDir.toString(),
                "--http-port", String.valueOf(port)));
        cmd.addAll(List.of(extra));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new NodeProcess(p, port, log);
    }

    /** A node run from a config file; {@code prefix} wraps the command (e.g. {@code ip netns exec ns0}). */
    static NodeProcess node(Path config, int httpPort, List<String> prefix, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(JAVA, "-jar", JAR.toAbsolutePath().toString(), "node", "--config", config.toString()));
        cmd.addAll(List.of(extra));
        Path log = config.resolveSibling("node.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new NodeProcess(p, httpPort, log);
    }

    /** Runs a CLI command to completion; returns its exit code and output. */
    static CliResult cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // Every test's dev chain has chain id 1337 and its own genesis: a light-client store shared through the user's
        // home would pin the first one seen and refuse the others (as it must for a real chain). Each command gets its own.
        pb.environment().put("MAASCHAIN_LIGHT_DIR", Files.createTempDirectory("maaschain-light").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        return new CliResult(p.waitFor(), out);
    }

    record CliResult(int exitCode, String output) {}

    String url() {
        return "http://127.0.0.1:" + port;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    JsonNode post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    /** The current height, or -1 while the node is not answering yet. */
    long height() {
        try {
            return get("/api/v1/status").path("height").asLong(-1);
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed by the JVM. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) kill9();
    }
}
