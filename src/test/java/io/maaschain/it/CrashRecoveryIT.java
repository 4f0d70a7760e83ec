package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node processes killed with SIGKILL while mining, at random moments, then restarted: every block that was
 * reported committed before a kill is still there, with the same hash, and the whole chain verifies.
 */
class CrashRecoveryIT {
    @TempDir Path tmp;

    @Test
    void killNineWhileMiningLosesNothingCommitted() throws Exception {
        Path data = tmp.resolve("node");
        int port = NodeProcess.freeTestnetBase(1);
        Map<Long, String> seen = new HashMap<>();
        Random random = new Random(42);
        long nonce = 0;
        for (int round = 0; round < 6; round++) {
            NodeProcess node = NodeProcess.dev(data, port, "--block-interval-ms", "150");
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> node.height() >= 0);
                // Everything seen in earlier rounds survived the kill.
                for (var e : seen.entrySet()) {
                    assertThat(node.get("/api/v1/blocks/" + e.getKey()).path("hash").asText())
                            .as("block %d after kill %d (log %s)", e.getKey(), round, node.log).isEqualTo(e.getValue());
                }
                KeyPair dev = KeyPem.privateKeyFromPem(Files.readString(data.resolve("dev.key")));
                long chainId = node.get("/api/v1/status").path("chainId").asLong();
                // Dev mode submits its own transactions (the dev model's registration) just after the API is up: wait until
                // they are committed and nothing more arrives, then continue from the dev key's next nonce.
                long[] settled = {-1};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(700)).until(() -> {
                    JsonNode a = node.get("/api/v1/accounts/" + dev.address());
                    long committed = a.path("nonce").asLong();
                    // Above 0: the bootstrap has run (it submits its three transactions at once) on this or an earlier start.
                    boolean stable = committed > 0 && committed == a.path("nextNonce").asLong() && committed == settled[0];
                    settled[0] = committed;
                    return stable;
                });
                nonce = settled[0];
                for (int i = 0; i < 20; i++, nonce++) {
                    var tx = new UnsignedTransaction(chainId, dev.publicKey(), nonce, 1, new Transfer(KeyPair.fromSeed(new byte[32]).address(), 1)).sign(dev);
                    JsonNode r = node.post("/api/v1/txs", "{\"tx\":\"" + Hex.encode(tx.encoded()) + "\"}");
                    assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("pending");
                }
                long target = node.height() + 3;
                await().atMost(Duration.ofSeconds(60)).until(() -> node.height() >= target);
                long h = node.height();
                for (long i = Math.max(0, h - 5); i <= h; i++) seen.put(i, node.get("/api/v1/blocks/" + i).path("hash").asText());
                Thread.sleep(random.nextInt(700));
            } finally {
                node.kill9();
            }
        }
        NodeProcess.CliResult verify = NodeProcess.cli("chain", "verify", "--data-dir", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("ok:             true");
    }
}
