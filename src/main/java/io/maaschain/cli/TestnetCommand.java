package io.maaschain.cli;

import io.maaschain.node.TestnetLayout;
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
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "testnet", description = "Start N local node processes, each with its own data dir and ports; Ctrl-C stops them all."
        + " Exits 1 with the reason if a node does not come up.")
final class TestnetCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "4", description = "Number of nodes (default: ${DEFAULT-VALUE}).") int nodes;
    @Option(names = "--consensus", defaultValue = "pow", description = "Consensus engine of a new testnet: pow, pos, dpos or bft (default: ${DEFAULT-VALUE}).") String consensus;
    @Option(names = "--data-dir", defaultValue = "testnet", description = "Directory for all nodes (default: ${DEFAULT-VALUE}).") Path dir;
    @Option(names = "--base-port", defaultValue = "8700", description = "Node i serves REST on base+i (default: ${DEFAULT-VALUE}).") int basePort;
    @Option(names = "--p2p-base-port", description = "Node i listens for peers on this+i (default: base-port+100).") Integer p2pBasePort;
    @Option(names = "--block-interval-ms", defaultValue = "1000", description = "Minimum time between blocks (default: ${DEFAULT-VALUE}).") long blockIntervalMillis;
    @Option(names = "--start-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long each node has to answer on its REST port (default: ${DEFAULT-VALUE}).") long startSeconds;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 64) throw new CliException.Usage("--nodes must be 1..64, not " + nodes);
        int p2pBase = p2pBasePort != null ? p2pBasePort : basePort + 100;
        checkPorts("--base-port", basePort, p2pBase);
        checkPorts("--p2p-base-port", p2pBase, basePort);
        if (startSeconds < 1) throw new CliException.Usage("--start-timeout must be at least 1 second");
        TestnetLayout layout = new TestnetLayout(dir, basePort, p2pBase);
        try {
            layout.writeGenesis(consensus, nodes, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        List<Process> processes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(processes), "testnet-shutdown"));
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = Path.of(TestnetCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<Integer> all = IntStream.range(0, nodes).boxed().toList();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            // pow: each node paces its blocks at random with mean N x interval, so the network makes about one per
            // interval. The other engines take their timing from the genesis file.
            Path config = layout.writeNodeConfig(i, all, "127.0.0.1", blockIntervalMillis * nodes, false);
            Path log = layout.nodeDir(i).resolve("node.log");
            logs.add(log);
            processes.add(new ProcessBuilder(java, "-jar", jar, "node", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
        }
        try {
            awaitAllUp(processes, layout, logs);
        } catch (CliException e) {
            stopAll(processes);
            throw e;
        }
        for (int i = 0; i < nodes; i++) {
            System.out.printf("node-%d  REST http://127.0.0.1:%d/api/v1/status  p2p 127.0.0.1:%d  log %s%n",
                    i, layout.httpPort(i), layout.p2pPort(i), logs.get(i));
        }
        System.out.printf("%d nodes running (%s). Faucet key: %s. Ctrl-C stops them all.%n", nodes, consensus, layout.faucetKeyFile());
        System.out.flush();
        for (Process p : processes) p.waitFor();
        return ExitCodes.OK;
    }

    /** Every port of the range is a port number, and the REST and p2p ranges do not overlap. */
    private void checkPorts(String option, int base, int otherBase) {
        if (base < 1 || base + nodes - 1 > 65_535) {
            throw new CliException.Usage(option + " " + base + " with " + nodes + " nodes needs ports " + base + ".." + (base + nodes - 1)
                    + "; ports are 1..65535");
        }
        if (base < otherBase + nodes && otherBase < base + nodes) {
            throw new CliException.Usage("the REST ports (--base-port) and p2p ports (--p2p-base-port) overlap; pick ranges "
                    + nodes + " ports apart");
        }
    }

    /** Waits until every node answers on its REST port; the first node that exits, or silence past the timeout, fails the testnet. */
    private void awaitAllUp(List<Process> processes, TestnetLayout layout, List<Path> logs) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        boolean[] up = new boolean[processes.size()];
        int remaining = processes.size();
        long deadline = System.nanoTime() + Duration.ofSeconds(startSeconds).toNanos();
        while (remaining > 0) {
            for (int i = 0; i < processes.size(); i++) {
                Process p = processes.get(i);
                if (up[i]) continue;
                if (!p.isAlive()) {
                    throw new CliException("node-" + i + " exited with code " + p.exitValue() + " before it came up: " + lastError(logs.get(i))
                            + " (full log: " + logs.get(i) + "). The other nodes were stopped.");
                }
                HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + layout.httpPort(i) + "/api/v1/status"))
                        .timeout(Duration.ofSeconds(2)).build();
                try {
                    if (http.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        up[i] = true;
                        remaining--;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            if (remaining == 0) return;
            if (System.nanoTime() > deadline) {
                int i = 0;
                while (up[i]) i++;
                int port = layout.httpPort(i);
                throw new CliException("node-" + i + " did not answer on http://127.0.0.1:" + port + " within " + startSeconds + " s"
                        + (isBound(port) ? "" : " (nothing listens there)") + "; see " + logs.get(i) + ". The other nodes were stopped.");
            }
            Thread.sleep(200);
        }
    }

    private static boolean isBound(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The node's last "error:" line, or else its last line: what a failed start printed. */
    static String lastError(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            for (int j = lines.size() - 1; j >= 0; j--) if (lines.get(j).startsWith("error:")) return lines.get(j).substring(6).strip();
            return lines.isEmpty() ? "(empty log)" : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "(log unreadable: " + ErrorText.describe(e) + ")";
        }
    }

    private static void stopAll(List<Process> processes) {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
