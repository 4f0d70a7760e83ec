package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --wait}: polls the node until a submitted transaction is in a canonical block, or the timeout passes. */
final class Inclusion {
    private static final long POLL_MILLIS = 250;

    private Inclusion() {}

    /** The block fields to print once the transaction is in a block; a {@link CliException} naming the hash on timeout. */
    static Map<String, Object> await(NodeClient node, String hash, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode tx = node.get("api/v1/txs/" + hash);
            if ("committed".equals(tx.path("status").asText())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", "committed");
                m.put("blockHeight", tx.path("blockHeight").asLong());
                m.put("blockHash", tx.path("blockHash").asText());
                m.put("index", tx.path("index").asLong());
                return m;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("transaction " + hash + " was not in a block after " + timeout.toSeconds()
                        + " s (still " + tx.path("status").asText("unknown") + "); check later with 'maaschain tx show " + hash + "'");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for " + hash);
            }
        }
    }
}
