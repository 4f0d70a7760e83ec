package io.maaschain.cli;

import io.maaschain.maas.access.ApiKeys;
import io.maaschain.node.DevModelBootstrap;
import io.maaschain.node.DevSetup;
import io.maaschain.node.Node;
import io.maaschain.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "dev", description = "Run a single-node devnet with a funded dev account and embedded defaults.")
final class DevCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "data", description = "Data directory (default: ${DEFAULT-VALUE}).") Path dataDir;
    @Option(names = "--http-port", defaultValue = "8645", description = "REST port on 127.0.0.1 (default: ${DEFAULT-VALUE}).") int httpPort;
    @Option(names = "--consensus", defaultValue = "pow", description = "Consensus engine for a new devnet: pow, pos, dpos or bft; the dev key is the only validator (default: ${DEFAULT-VALUE}).") String consensus;
    @Option(names = "--miner-threads", defaultValue = "1", description = "Mining threads (default: ${DEFAULT-VALUE}).") int minerThreads;
    @Option(names = "--block-interval-ms", defaultValue = "1000", description = "Minimum time between blocks (default: ${DEFAULT-VALUE}).") long blockIntervalMillis;

    @Option(names = "--artifact-recheck-seconds", defaultValue = "60", description = "How often served artifacts are re-checked against the chain (default: ${DEFAULT-VALUE}).") int recheckSeconds;

    @Override
    public Integer call() throws Exception {
        if (recheckSeconds < 1) throw new CliException("--artifact-recheck-seconds must be at least 1");
        DevSetup.DevFiles files;
        try {
            files = DevSetup.prepare(dataDir, consensus, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        // In dev mode the node's key is the dev account, so it can host the dev model and settle its receipts.
        NodeConfig config = new NodeConfig(dataDir, files.genesisFile(), files.keyFile(), "127.0.0.1", httpPort,
                Optional.empty(), new NodeConfig.Mining(true, Optional.of(files.devKey().address()), minerThreads, blockIntervalMillis),
                new NodeConfig.Serving(Duration.ofSeconds(recheckSeconds), List.of()));
        Node node = Node.start(config);
        String apiKey = ApiKeys.ensureDevKey(dataDir, files.devKey().address(), new java.security.SecureRandom(), System.currentTimeMillis());
        DevModelBootstrap.run(node, files.devKey(), ApiKeys.hash(apiKey));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        String url = "http://127.0.0.1:" + node.httpPort();
        String dev = files.devKey().address().toString();
        System.out.printf("""

                maaschain devnet is running (DEVELOPMENT MODE: the dev key is stored UNENCRYPTED)
                  REST API     %s/api/v1/status
                  data dir     %s
                  dev account  %s
                  dev key      %s
                  dev API key  %s (in %s)
                  consensus    %s, chain id %d, height %d

                Try:
                  bin/maaschain status --node %s
                  bin/maaschain tx transfer --node %s --key %s --to <address> --amount 100
                  bin/maaschain model register --node %s --key %s --file <model.onnx> --name my-model --version 1.0.0 --price 5
                  curl -s %s/api/v1/accounts/%s
                  curl -s %s/v2/models/iris
                  curl -s -X POST %s/v2/models/iris/infer -H 'Content-Type: application/json' \
                       -H "Authorization: Bearer $(cat %s)" \
                       -d '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}'
                  bin/maaschain receipt get <maaschain.receipt_id> --node %s --out receipt.json
                  bin/maaschain receipt verify receipt.json --node %s

                Stop with Ctrl-C.
                """, url, dataDir.toAbsolutePath(), dev, files.keyFile(), apiKey, dataDir.resolve(ApiKeys.DEV_KEY_FILE), node.chain().engine().kind(),
                node.chain().transition().params().chainId(), node.chain().head().height(),
                url, url, files.keyFile(), url, files.keyFile(), url, dev, url, url, dataDir.resolve(ApiKeys.DEV_KEY_FILE), url, url);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
