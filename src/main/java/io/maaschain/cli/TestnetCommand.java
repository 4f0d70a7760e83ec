package io.maaschain.cli;

import io.maaschain.node.TestnetLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "testnet", description = "Start N local node processes, each with its own data dir and ports; Ctrl-C stops them all.")
final class TestnetCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "4", description = "Number of nodes (default: ${DEFAULT-VALUE}).") int nodes;
    @Option(names = "--consensus", defaultValue = "pow", description = "Consensus engine of a new testnet: pow, pos, dpos or bft (default: ${DEFAULT-VALUE}).") String consensus;
    @Option(names = "--data-dir", defaultValue = "testnet", description = "Directory for all nodes (default: ${DEFAULT-VALUE}).") Path dir;
    @Option(names = "--base-port", defaultValue = "8700", description = "Node i serves REST on base+i and p2p on base+100+i (default: ${DEFAULT-VALUE}).") int basePort;
    @Option(names = "--block-interval-ms", defaultValue = "1000", description = "Minimum time between blocks (default: ${DEFAULT-VALUE}).") long blockIntervalMillis;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 64) throw new CliException("--nodes must be 1..64");
        TestnetLayout layout = new TestnetLayout(dir, basePort);
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
        for (int i = 0; i < nodes; i++) {
            // pow: each node paces its blocks at random with mean N x interval, so the network makes about one per
            // interval. The other engines take their timing from the genesis file.
            Path config = layout.writeNodeConfig(i, all, "127.0.0.1", blockIntervalMillis * nodes, false);
            Path log = layout.nodeDir(i).resolve("node.log");
            processes.add(new ProcessBuilder(java, "-jar", jar, "node", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
            System.out.printf("node-%d  REST http://127.0.0.1:%d/api/v1/status  p2p 127.0.0.1:%d  log %s%n",
                    i, layout.httpPort(i), layout.p2pPort(i), log);
        }
        System.out.printf("%d nodes running (%s). Faucet key: %s. Ctrl-C stops them all.%n", nodes, consensus, layout.faucetKeyFile());
        for (Process p : processes) p.waitFor();
        return 0;
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
