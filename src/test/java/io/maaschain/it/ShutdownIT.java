package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a dev node under load (transfers and paid inference calls, blocks every 100 ms): the node stops in order
 * (API, then block production, then what blocks notify: serving, the receipt log, the database) and its log holds no
 * ERROR or WARN line and no stack trace.
 */
class ShutdownIT {
    static final String INFER = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}";
    @TempDir Path tmp;

    @Test
    void sigtermUnderLoadStopsCleanly() throws Exception {
        Path data = tmp.resolve("node");
        int port = NodeProcess.freeTestnetBase(1);
        NodeProcess node = NodeProcess.dev(data, port, "--block-interval-ms", "100");
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<Thread> load = List.of();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> node.height() >= 1 && Files.exists(data.resolve("dev.apikey")));
            await().atMost(Duration.ofSeconds(60)).until(() -> node.get("/v2/models/iris/ready").path("ready").asBoolean(false));
            KeyPair dev = KeyPem.privateKeyFromPem(Files.readString(data.resolve("dev.key")));
            String apiKey = Files.readString(data.resolve("dev.apikey")).trim();
            long chainId = node.get("/api/v1/status").path("chainId").asLong();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Runnable transfers = () -> {
                long nonce = -1;
                while (loading.get()) {
                    try {
                        if (nonce < 0) nonce = node.get("/api/v1/accounts/" + dev.address()).path("nextNonce").asLong();
                        var tx = new UnsignedTransaction(chainId, dev.publicKey(), nonce, 1,
                                new Transfer(KeyPair.fromSeed(new byte[32]).address(), 1)).sign(dev);
                        if ("pending".equals(node.post("/api/v1/txs", "{\"tx\":\"" + Hex.encode(tx.encoded()) + "\"}").path("status").asText())) {
                            nonce++;
                            answered.incrementAndGet();
                        } else {
                            nonce = -1;
                        }
                    } catch (Exception e) {
                        nonce = -1;
                    }
                }
            };
            Runnable calls = () -> {
                while (loading.get()) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/v2/models/iris/infer"))
                                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(INFER)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) answered.incrementAndGet();
                    } catch (Exception e) {
                        // the node is going away
                    }
                }
            };
            load = List.of(new Thread(transfers), new Thread(calls), new Thread(calls));
            load.forEach(Thread::start);
            await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() >= 100);
            long height = node.height();
            await().atMost(Duration.ofSeconds(30)).until(() -> node.height() >= height + 3);

            node.process.destroy(); // SIGTERM, with the load still running
            assertThat(node.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        } finally {
            loading.set(false);
            for (Thread t : load) t.join(10_000);
            node.close();
        }
        String log = Files.readString(node.log);
        assertThat(log).contains("node stopped at height");
        List<String> bad = log.lines().filter(l -> l.contains("ERROR") || l.contains("WARN") || l.contains("Exception")
                || l.startsWith("\tat ")).toList();
        assertThat(bad).as("ERROR/WARN lines and stack traces in %s", node.log).isEmpty();
    }
}
