package io.maaschain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.chain.Blockchain;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.merkle.InclusionProof;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.state.smt.SmtProof;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API over a real HTTP socket: happy paths, and every kind of bad input refused with problem+json. */
class RestApiTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);
    static final KeyPair POOR = Fixtures.key(3);

    Blockchain chain;
    TxPool pool;
    ApiServer server;
    final HttpClient http = HttpClient.newHttpClient();
    String base;

    @BeforeEach
    void start() {
        chain = TestChain.open(new InMemoryStore(), TestChain.genesis(ALICE, BOB));
        VerifiedSignatures sigs = new VerifiedSignatures(10_000);
        pool = new TxPool(chain.transition(), sigs, new TxPool.Limits(100, 10, 5));
        chain.addListener((removed, added, head) -> pool.onHeadChanged(removed, added, chain.headState()));
        server = new ApiServer(chain, pool).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Reply(int status, String contentType, JsonNode body) {}

    Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply post(String path, String contentType, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Reply submit(Transaction tx) throws Exception {
        return submitHex(Hex.encode(tx.encoded()));
    }

    Reply submitHex(String hex) throws Exception {
        return post("/api/v1/txs", "application/json", ("{\"tx\":\"" + hex + "\"}").getBytes());
    }

    Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), Json.MAPPER.readTree(r.body()));
    }

    void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("code").asText()).isEqualTo(code);
        assertThat(r.body().path("detail").asText()).isNotBlank();
    }

    Transaction transfer(KeyPair from, long amount, long nonce, long fee) {
        return Fixtures.transfer(from, BOB.address(), amount, nonce, fee);
    }

    void mine() throws Exception {
        chain.importBlock(TestChain.next(chain, pool.select(1000, chain.headState()), Fixtures.key(9).address()), Long.MAX_VALUE / 2);
    }

    @Test
    void statusDescribesTheChain() throws Exception {
        Reply r = get("/api/v1/status");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("chainId").asLong()).isEqualTo(Fixtures.CHAIN_ID);
        assertThat(r.body().path("consensus").asText()).isEqualTo("pow");
        assertThat(r.body().path("height").asLong()).isZero();
        assertThat(r.body().path("headHash").asText()).isEqualTo(chain.head().hash().toHex());
    }

    @Test
    void submittedTransferIsCommittedAndProvable() throws Exception {
        Transaction tx = transfer(ALICE, 100, 0, 2);
        Reply accepted = submit(tx);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().path("hash").asText()).isEqualTo(tx.hash().toHex());
        assertThat(get("/api/v1/txs/" + tx.hash()).body().path("status").asText()).isEqualTo("pending");
        assertThat(get("/api/v1/accounts/" + ALICE.address()).body().path("nextNonce").asLong()).isEqualTo(1);
        mine();

        JsonNode found = get("/api/v1/txs/" + tx.hash()).body();
        assertThat(found.path("status").asText()).isEqualTo("committed");
        JsonNode block = get("/api/v1/blocks/" + found.path("blockHeight").asLong()).body();
        assertThat(block.path("hash").asText()).isEqualTo(found.path("blockHash").asText());
        JsonNode proof = found.path("proof");
        InclusionProof p = new InclusionProof(proof.path("leafIndex").asLong(), proof.path("treeSize").asLong(),
                StreamSupport.stream(proof.path("path").spliterator(), false).map(n -> Hash.fromHex(n.asText())).toList());
        assertThat(p.verify(tx.hash(), Hash.fromHex(block.path("txRoot").asText()))).isTrue();

        JsonNode alice = get("/api/v1/accounts/" + ALICE.address()).body();
        assertThat(alice.path("balance").asLong()).isEqualTo(1_000_000_000 - 102);
        assertThat(alice.path("nonce").asLong()).isEqualTo(1);
        assertThat(get("/api/v1/blocks?from=0&limit=5").body().path("blocks").size()).isEqualTo(2);
        assertThat(get("/api/v1/blocks/" + block.path("hash").asText()).body().path("height").asLong()).isEqualTo(1);
    }

    @Test
    void modelIsProvenAgainstTheStateRoot() throws Exception {
        Transaction reg = Fixtures.register(ALICE, Fixtures.model("resnet", "1.0", "weights"), 0);
        assertThat(submit(reg).status()).isEqualTo(202);
        mine();
        JsonNode m = get("/api/v1/models/resnet").body();
        assertThat(m.path("artifactDigest").asText()).isEqualTo(Fixtures.digest("weights").toHex());
        assertThat(m.path("owner").asText()).isEqualTo(ALICE.address().toString());
        JsonNode proof = m.path("proof");
        JsonNode header = get("/api/v1/blocks/" + proof.path("blockHash").asText()).body();
        SmtProof smt = SmtProof.decode(Hex.decode(proof.path("encoded").asText()));
        byte[] value = Hex.decode(proof.path("value").asText());
        assertThat(smt.verifyInclusion(Hash.fromHex(header.path("stateRoot").asText()),
                Sha256.hash(Hex.decode(proof.path("stateKey").asText())), Sha256.hash(value))).isTrue();
        assertThat(get("/api/v1/models").body().path("models").get(0).path("name").asText()).isEqualTo("resnet");
        assertThat(get("/api/v1/models/resnet/versions/1.0").status()).isEqualTo(200);
        assertProblem(get("/api/v1/models/nope"), 404, "NOT_FOUND");
        assertProblem(get("/api/v1/models/resnet/versions/9"), 404, "NOT_FOUND");
    }

    @Test
    void badTransactionsAreRefusedWithTheirReasonAndChangeNothing() throws Exception {
        Hash stateRoot = chain.head().header().stateRoot();
        Transaction good = transfer(ALICE, 100, 0, 2);
        assertThat(submit(good).status()).isEqualTo(202);
        assertProblem(submit(good), 409, "DUPLICATE");

        byte[] forged = transfer(ALICE, 100, 1, 2).encoded();
        forged[forged.length - 5] ^= 0x40;
        assertProblem(submitHex(Hex.encode(forged)), 400, "BAD_SIGNATURE");

        Transaction otherChain = new UnsignedTransaction(7, ALICE.publicKey(), 1, 2, new Transfer(BOB.address(), 1)).sign(ALICE);
        assertProblem(submit(otherChain), 400, "WRONG_CHAIN");
        assertProblem(submit(transfer(ALICE, 100, 99, 2)), 400, "NONCE_TOO_HIGH");
        assertProblem(submit(transfer(POOR, 1, 0, 1)), 400, "INSUFFICIENT_BALANCE");
        assertProblem(submit(transfer(ALICE, 1, 1, 0)), 400, "FEE_TOO_LOW");
        assertProblem(submit(transfer(ALICE, 10, 0, 2)), 409, "DUPLICATE");
        mine();
        assertProblem(submit(transfer(ALICE, 10, 0, 50)), 400, "NONCE_TOO_LOW");

        byte[] truncated = java.util.Arrays.copyOf(good.encoded(), 100);
        assertProblem(submitHex(Hex.encode(truncated)), 400, "MALFORMED");
        assertProblem(submitHex("zz"), 400, "MALFORMED");
        assertProblem(submitHex("abc"), 400, "MALFORMED");
        assertProblem(post("/api/v1/txs", "application/json", "{not json".getBytes()), 400, "MALFORMED");
        assertProblem(post("/api/v1/txs", "application/json", "[1,2]".getBytes()), 400, "MALFORMED");
        assertProblem(post("/api/v1/txs", "application/json", "{\"tx\": 5}".getBytes()), 400, "MALFORMED");
        assertProblem(post("/api/v1/txs", "application/octet-stream", new byte[5000]), 413, "OVERSIZED");
        assertProblem(submitHex("00".repeat(5000)), 413, "OVERSIZED");
        assertProblem(post("/api/v1/txs/batch", "application/json", new byte[(int) ApiServer.MAX_REQUEST_BYTES + 10]), 413, "OVERSIZED");

        assertThat(pool.size()).isZero();
        assertThat(chain.head().height()).isEqualTo(1);
        assertThat(chain.head().header().stateRoot()).isNotEqualTo(stateRoot);
        assertThat(get("/api/v1/accounts/" + POOR.address()).body().path("balance").asLong()).isZero();
    }

    @Test
    void batchReportsEachTransaction() throws Exception {
        List<String> txs = List.of(Hex.encode(transfer(ALICE, 1, 0, 1).encoded()), Hex.encode(transfer(POOR, 1, 0, 1).encoded()));
        Reply r = post("/api/v1/txs/batch", "application/json", Json.MAPPER.writeValueAsBytes(java.util.Map.of("txs", txs)));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.body().path("accepted").asInt()).isEqualTo(1);
        assertThat(r.body().path("results").get(1).path("code").asText()).isEqualTo("INSUFFICIENT_BALANCE");
        assertProblem(post("/api/v1/txs/batch", "application/json", "{\"txs\":[\"00\"]}".getBytes()), 400, "MALFORMED");
    }

    /** docs/spec.md: a proof-of-work chain refuses kinds 13-18; the pool says so at once instead of 202 and pending forever. */
    @Test
    void aProofOfWorkNodeRefusesAStakeWithUnsupportedPayload() throws Exception {
        Transaction stake = new UnsignedTransaction(Fixtures.CHAIN_ID, ALICE.publicKey(), 0, 1, new Stake(1_000, Hash.ZERO)).sign(ALICE);
        Reply r = submit(stake);
        assertProblem(r, 400, "UNSUPPORTED_PAYLOAD");
        assertThat(r.body().path("detail").asText()).contains("kind 13").contains("consensus engine");
        Reply batch = post("/api/v1/txs/batch", "application/json", Json.MAPPER.writeValueAsBytes(java.util.Map.of("txs",
                List.of(Hex.encode(stake.encoded()), Hex.encode(transfer(ALICE, 1, 0, 1).encoded())))));
        assertThat(batch.body().path("results").get(0).path("code").asText()).isEqualTo("UNSUPPORTED_PAYLOAD");
        assertThat(batch.body().path("accepted").asInt()).isEqualTo(1);
        assertThat(pool.get(stake.hash())).isEmpty();
        assertThat(pool.size()).isEqualTo(1);
    }

    /** A bad signature in a large batch fails the combined check; only that transaction is refused. */
    @Test
    void aBadSignatureAmongManyIsTheOnlyOneRefused() throws Exception {
        List<String> txs = new java.util.ArrayList<>();
        for (int n = 0; n < 100; n++) {
            byte[] tx = transfer(ALICE, 1, n, 1).encoded();
            if (n == 41) tx[tx.length - 3] ^= 1;
            txs.add(Hex.encode(tx));
        }
        Reply r = post("/api/v1/txs/batch", "application/json", Json.MAPPER.writeValueAsBytes(java.util.Map.of("txs", txs)));
        assertThat(r.status()).isEqualTo(202);
        List<String> codes = new java.util.ArrayList<>();
        r.body().path("results").forEach(x -> codes.add(x.path("code").asText()));
        assertThat(codes.get(41)).isEqualTo("BAD_SIGNATURE");
        assertThat(codes.stream().filter("BAD_SIGNATURE"::equals).count()).as("the pool's own limits refuse others, for other reasons").isEqualTo(1);
        assertThat(r.body().path("accepted").asInt()).isPositive();

        List<String> malformed = new java.util.ArrayList<>(txs.subList(0, 20));
        malformed.set(7, "zz");
        malformed.set(12, "00");
        assertProblem(post("/api/v1/txs/batch", "application/json", Json.MAPPER.writeValueAsBytes(java.util.Map.of("txs", malformed))), 400, "MALFORMED");
        Reply again = post("/api/v1/txs/batch", "application/json", Json.MAPPER.writeValueAsBytes(java.util.Map.of("txs", malformed)));
        assertThat(again.body().path("detail").asText()).startsWith("txs[7]");
    }

    @Test
    void malformedQueriesAndUnknownResourcesAreProblems() throws Exception {
        assertProblem(get("/api/v1/blocks/xyz"), 400, "MALFORMED");
        assertProblem(get("/api/v1/blocks/99"), 404, "NOT_FOUND");
        assertProblem(get("/api/v1/blocks?limit=0"), 400, "MALFORMED");
        assertProblem(get("/api/v1/blocks?from=x"), 400, "MALFORMED");
        assertProblem(get("/api/v1/txs/1234"), 400, "MALFORMED");
        assertProblem(get("/api/v1/txs/" + Hash.ZERO), 404, "NOT_FOUND");
        assertProblem(get("/api/v1/accounts/mcXYZ"), 400, "MALFORMED");
        assertProblem(get("/api/v1/nothing-here"), 404, "NOT_FOUND");
        Block genesis = chain.index().canonicalBlock(0);
        assertThat(get("/api/v1/blocks/0").body().path("hash").asText()).isEqualTo(genesis.hash().toHex());
    }
}
