package io.maaschain.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.node.ConsensusKinds;
import io.maaschain.node.DevSetup;
import io.maaschain.node.TestnetLayout;
import io.maaschain.testing.Fixtures;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Consensus figures for BENCHMARKS.md on a 4-node testnet of real node processes (the packaged jar, RocksDB on disk,
 * gRPC over loopback), one engine per run:
 * <ol>
 *   <li>time to finality: for every block, from its header timestamp (set by its proposer when it built the block)
 *   to the moment each node reports it final, observed by polling every node's status every {@link #POLL_MILLIS} ms
 *   (so figures carry up to that much resolution error; the clock is shared: one machine). Idle and under load.</li>
 *   <li>committed transfers per second: {@code txs} signed transfers from {@link #SENDERS} funded accounts submitted
 *   in batches round-robin to the four nodes' REST APIs as fast as they take them; the rate is the transfers divided by
 *   the time from the first submission to the block that completes them being final on every node.</li>
 * </ol>
 * Run: bench/run.sh consensus-bft (or -pos, -dpos); main arguments: ENGINE JAR [IDLE_SECONDS] [TXS].
 */
public final class ConsensusBench {
    static final int NODES = 4;
    static final int SENDERS = 1_000;
    static final long POLL_MILLIS = 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--available")) {
            System.out.println(ConsensusKinds.AVAILABLE.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(" ")));
            return;
        }
        String engine = args[0];
        Path jar = Path.of(args[1]).toAbsolutePath();
        int idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int txs = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        Path dir = Files.createTempDirectory("consensus-bench-" + engine);
        TestnetLayout layout = new TestnetLayout(dir, freeBase());
        List<KeyPair> validators = new ArrayList<>();
        for (int i = 0; i < NODES; i++) validators.add(layout.nodeKey(i));
        List<KeyPair> senders = IntStream.range(0, SENDERS).mapToObj(i -> Fixtures.key(100_000 + i)).toList();
        Files.writeString(layout.genesisFile(), genesis(engine, validators, senders));
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        for (int i = 0; i < NODES; i++) {
            Path config = layout.writeNodeConfig(i, IntStream.range(0, NODES).boxed().toList(), "127.0.0.1", 1000, false);
            processes.add(new ProcessBuilder(javaCommand, "-Xmx512m", "-jar", jar.toString(), "node", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(layout.nodeDir(i).resolve("node.log").toFile()).start());
            urls.add("http://127.0.0.1:" + layout.httpPort(i));
        }
        try {
            FinalityWatch watch = new FinalityWatch(urls);
            long deadline = System.currentTimeMillis() + 180_000;
            while (watch.minFinal() < 2) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("no finality within 180 s; logs in " + dir);
                watch.poll();
                Thread.sleep(POLL_MILLIS);
            }
            watch.reset();
            long idleEnd = System.currentTimeMillis() + idleSeconds * 1000L;
            while (System.currentTimeMillis() < idleEnd) {
                watch.poll();
                Thread.sleep(POLL_MILLIS);
            }
            List<Long> idle = watch.reset();
            long idleBlocks = idle.size() / NODES;

            List<List<String>> batches = signedBatches(senders, txs, 1000);
            long startHeight = watch.maxFinal();
            long t0 = System.currentTimeMillis();
            Thread submitter = Thread.ofPlatform().start(() -> submit(urls, batches));
            long committed = 0;
            long scanned = startHeight;
            long tEnd = 0;
            long loadDeadline = t0 + 600_000;
            while (tEnd == 0) {
                if (System.currentTimeMillis() > loadDeadline) throw new IllegalStateException("load not committed within 600 s; logs in " + dir);
                watch.poll();
                long finalEverywhere = watch.minFinal();
                while (scanned < finalEverywhere) {
                    JsonNode range = get(urls.getFirst(), "/api/v1/blocks?from=" + (scanned + 1) + "&limit=" + Math.min(100, finalEverywhere - scanned));
                    for (JsonNode b : range.path("blocks")) {
                        committed += b.path("txCount").asLong();
                        scanned = b.path("height").asLong();
                    }
                }
                if (committed >= txs) tEnd = System.currentTimeMillis();
                else Thread.sleep(POLL_MILLIS);
            }
            submitter.join();
            List<Long> loaded = watch.reset();
            double seconds = (tEnd - t0) / 1000.0;
            long loadedBlocks = scanned - startHeight;
            System.out.printf("RESULT consensus_%s engine=%s nodes=%d idle_blocks=%d idle_p50_ms=%d idle_p99_ms=%d idle_max_ms=%d "
                            + "load_txs=%d load_seconds=%.1f tx_per_s=%.0f load_blocks=%d load_p50_ms=%d load_p99_ms=%d poll_ms=%d%n",
                    engine, engine, NODES, idleBlocks, pct(idle, 50), pct(idle, 99), pct(idle, 100), committed, seconds,
                    committed / seconds, loadedBlocks, pct(loaded, 50), pct(loaded, 99), POLL_MILLIS);
            System.out.println("missed/rounds: " + get(urls.getFirst(), "/api/v1/consensus").path("local").path("protocol").asText());
        } finally {
            for (Process p : processes) p.destroy();
            for (Process p : processes) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    /** Tracks each node's final height; each increase records, per newly final block, now minus the block's timestamp. */
    static final class FinalityWatch {
        final List<String> urls;
        final long[] finals;
        final List<Long> latencies = new ArrayList<>();

        FinalityWatch(List<String> urls) {
            this.urls = urls;
            this.finals = new long[urls.size()];
            java.util.Arrays.fill(finals, -1);
        }

        void poll() throws Exception {
            for (int i = 0; i < urls.size(); i++) {
                JsonNode s;
                try {
                    s = get(urls.get(i), "/api/v1/status");
                } catch (IOException e) {
                    continue;
                }
                long now = System.currentTimeMillis();
                long f = s.path("finalizedHeight").asLong(-1);
                if (finals[i] >= 0 && f > finals[i]) {
                    for (long from = finals[i] + 1; from <= f; from += 100) {
                        JsonNode range = get(urls.get(i), "/api/v1/blocks?from=" + from + "&limit=" + Math.min(100, f - from + 1));
                        for (JsonNode b : range.path("blocks")) {
                            if (b.path("height").asLong() <= f) latencies.add(now - b.path("timestamp").asLong());
                        }
                    }
                }
                if (f >= 0) finals[i] = Math.max(finals[i], f);
            }
        }

        long minFinal() {
            long m = Long.MAX_VALUE;
            for (long f : finals) m = Math.min(m, f);
            return m;
        }

        long maxFinal() {
            long m = -1;
            for (long f : finals) m = Math.max(m, f);
            return m;
        }

        List<Long> reset() {
            List<Long> out = new ArrayList<>(latencies);
            latencies.clear();
            return out;
        }
    }

    static long pct(List<Long> values, int p) {
        if (values.isEmpty()) return -1;
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String genesis(String engine, List<KeyPair> validators, List<KeyPair> senders) {
        String section = ConsensusKinds.genesisSection(engine, validators);
        String alloc = java.util.stream.Stream.concat(validators.stream(), senders.stream())
                .map(k -> "\"" + k.address() + "\": \"" + DevSetup.VALIDATOR_BALANCE + "\"").collect(Collectors.joining(", "));
        return """
                {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 50000, "maxBlockBytes": 16777216,
                 "consensus": %s, "alloc": {%s}}
                """.formatted(Fixtures.CHAIN_ID, System.currentTimeMillis(), section, alloc);
    }

    /** {@code total} transfers, nonces 0.. per sender, interleaved so every batch spreads over many senders. */
    static List<List<String>> signedBatches(List<KeyPair> senders, int total, int batchSize) {
        KeyPair sink = Fixtures.key(99_999);
        List<String> all = IntStream.range(0, total).parallel().mapToObj(i -> {
            KeyPair from = senders.get(i % senders.size());
            long nonce = i / senders.size();
            return Hex.encode(new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, new Transfer(sink.address(), 1)).sign(from).encoded());
        }).toList();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += batchSize) batches.add(all.subList(i, Math.min(all.size(), i + batchSize)));
        return batches;
    }

    /** Batch k goes to node k mod N: a node may see a sender's nonce n+1 before n arrives by gossip (within the pool's window). */
    static void submit(List<String> urls, List<List<String>> batches) {
        for (int k = 0; k < batches.size(); k++) {
            String body = "{\"txs\": [" + batches.get(k).stream().map(h -> "\"" + h + "\"").collect(Collectors.joining(",")) + "]}";
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get(k % urls.size()) + "/api/v1/txs/batch"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode answer = Json.MAPPER.readTree(r.body());
                if (answer.path("accepted").asInt() != batches.get(k).size()) {
                    System.err.println("batch " + k + ": " + answer.path("accepted").asInt() + " of " + batches.get(k).size() + " accepted: "
                            + r.body().substring(0, Math.min(400, r.body().length())));
                }
            } catch (Exception e) {
                System.err.println("batch " + k + " failed: " + e);
            }
        }
    }

    static JsonNode get(String url, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    static int freeBase() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + random.nextInt(10_000);
            boolean free = true;
            for (int i = 0; i < NODES && free; i++) free = bindable(base + i) && bindable(base + 100 + i);
            if (free) return base;
        }
        throw new IOException("no free block of ports");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
