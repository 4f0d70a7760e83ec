package io.maaschain.cli;

import io.maaschain.node.Node;
import io.maaschain.node.NodeConfig;
import io.maaschain.node.NodeConfigLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "node", description = "Run a node from a TOML config file (docs/operator-guide.md). "
        + "Environment variables MAASCHAIN_<SECTION>_<KEY> override the file; these flags override both.")
final class NodeCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The node's TOML config file.") Path configFile;
    @Option(names = "--data-dir", description = "Overrides data-dir.") String dataDir;
    @Option(names = "--http-port", description = "Overrides [http] port.") Integer httpPort;
    @Option(names = "--p2p-port", description = "Overrides [p2p] port.") Integer p2pPort;
    @Option(names = "--bootnodes", description = "Overrides [p2p] bootnodes (host:port,host:port).") String bootnodes;
    @Option(names = "--no-mining", description = "Do not produce blocks.") boolean noMining;

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = new HashMap<>(System.getenv());
        if (dataDir != null) settings.put("MAASCHAIN_DATA_DIR", dataDir);
        if (httpPort != null) settings.put("MAASCHAIN_HTTP_PORT", httpPort.toString());
        if (p2pPort != null) settings.put("MAASCHAIN_P2P_PORT", p2pPort.toString());
        if (bootnodes != null) settings.put("MAASCHAIN_P2P_BOOTNODES", bootnodes);
        if (noMining) settings.put("MAASCHAIN_MINING_ENABLED", "false");
        NodeConfig config = NodeConfigLoader.load(configFile, settings);
        Node node = Node.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.printf("maaschain node %s%n  REST  http://%s:%d/api/v1/status%n  p2p   %s%n  data  %s%n",
                node.nodeKey().publicKey(), config.httpHost(), node.httpPort(),
                node.p2p().map(p -> config.network().get().host() + ":" + p.port()).orElse("disabled"), config.dataDir());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
