package io.maaschain.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.KeyPair;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transaction routes hold their body limits for chunked bodies (no Content-Length): a 200 MB body is refused with
 * 413 problem+json while the heap grows by about the limit, never by the body.
 */
class ChunkedBodyLimitTest {
    static final long HUGE = 200L << 20;
    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);

    ApiServer server;

    @BeforeEach
    void start() {
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis(ALICE, BOB));
        TxPool pool = new TxPool(chain.transition(), new VerifiedSignatures(100), new TxPool.Limits(100, 10, 5));
        server = new ApiServer(chain, pool).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static void assertRefusedAtLimit(ChunkedPost.Outcome o, long limit) {
        assertThat(o.status()).as(o.body().toString()).isEqualTo(413);
        assertThat(o.contentType()).startsWith(Problem.CONTENT_TYPE);
        assertThat(o.body().path("code").asText()).isEqualTo("OVERSIZED");
        // readNBytes may hold the limit twice while it joins its pieces; a kept 200 MB body would be far above.
        assertThat(o.heapGrowth()).as("heap growth while refusing %d bytes", o.bytesSent()).isLessThan(3 * limit + ChunkedPost.HEAP_SLACK);
    }

    @Test
    void aChunkedSingleTransactionOverItsLimitIs413() throws Exception {
        var o = ChunkedPost.send(server.port(), "POST", "/api/v1/txs", "application/json", "{\"tx\":\"".getBytes(StandardCharsets.US_ASCII), HUGE);
        assertRefusedAtLimit(o, TransactionRoutes.MAX_SUBMIT_BYTES);
        assertThat(o.body().path("detail").asText()).contains("a transaction request is at most " + TransactionRoutes.MAX_SUBMIT_BYTES);
    }

    @Test
    void aChunkedOctetStreamTransactionOverItsLimitIs413() throws Exception {
        var o = ChunkedPost.send(server.port(), "POST", "/api/v1/txs", "application/octet-stream", new byte[0], HUGE);
        assertRefusedAtLimit(o, TransactionRoutes.MAX_SUBMIT_BYTES);
    }

    @Test
    void aChunkedBatchOverItsLimitIs413NotMalformedJson() throws Exception {
        var o = ChunkedPost.send(server.port(), "POST", "/api/v1/txs/batch", "application/json",
                "{\"txs\":[\"".getBytes(StandardCharsets.US_ASCII), HUGE);
        assertRefusedAtLimit(o, TransactionRoutes.MAX_BATCH_BYTES);
        assertThat(o.body().path("detail").asText()).contains("a batch request is at most");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsStillRead() throws Exception {
        // 10 KB of filler after a valid prefix: read whole, then refused as malformed JSON, not as oversized.
        var o = ChunkedPost.send(server.port(), "POST", "/api/v1/txs/batch", "application/json",
                "{\"txs\":[\"".getBytes(StandardCharsets.US_ASCII), 10_000);
        assertThat(o.status()).isEqualTo(400);
        assertThat(o.body().path("code").asText()).isEqualTo("MALFORMED");
    }
}
