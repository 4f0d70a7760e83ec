package io.maaschain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.chain.Blockchain;
import io.maaschain.codec.Hex;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.node.DevSetup;
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
import org.junit.jupiter.api.Test;

/** GET /api/v1/light/headers: headers in ranges; on bft the next validator set with its proof; refused on pos and dpos. */
class LightRoutesTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(ApiServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static ApiServer serve(Blockchain chain) {
        TxPool pool = new TxPool(chain.transition(), new VerifiedSignatures(100), new TxPool.Limits(100, 10, 5));
        return new ApiServer(chain, pool).start("127.0.0.1", 0);
    }

    @Test
    void powHeadersComeInRangesWithoutProofs() throws Exception {
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis(Fixtures.key(1)));
        for (int i = 0; i < 5; i++) chain.importBlock(TestChain.next(chain, List.of(), Fixtures.key(10).address()), Long.MAX_VALUE / 2);
        try (ApiServer server = serve(chain)) {
            JsonNode r = io.maaschain.api.Json.MAPPER.readTree(get(server, "/api/v1/light/headers?from=2&limit=2").body());
            assertThat(r.path("head").asLong()).isEqualTo(5);
            assertThat(r.path("genesisHash").asText()).isEqualTo(chain.genesisHash().toHex());
            assertThat(r.path("headers")).hasSize(2);
            for (int i = 0; i < 2; i++) {
                JsonNode h = r.path("headers").get(i);
                assertThat(h.path("height").asLong()).isEqualTo(2 + i);
                assertThat(HeaderCodec.decode(Hex.decode(h.path("encoded").asText()))).isEqualTo(chain.index().canonicalBlock(2 + i).header());
                assertThat(h.has("nextValidators")).isFalse();
            }
            assertThat(r.path("headCommit").isNull()).isTrue();
            assertThat(Json.MAPPER.readTree(get(server, "/api/v1/light/headers?from=5").body()).path("headers")).hasSize(1);
            assertThat(Json.MAPPER.readTree(get(server, "/api/v1/light/headers?from=9").body()).path("headers")).isEmpty();
            assertThat(get(server, "/api/v1/light/headers?limit=257").statusCode()).isEqualTo(400);
            assertThat(get(server, "/api/v1/light/headers?from=-1").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void bftGenesisComesWithItsValidatorSetProvenAndPosIsNotServed() throws Exception {
        List<KeyPair> validators = List.of(Fixtures.key(11), Fixtures.key(12));
        Genesis bft = GenesisParser.parse(DevSetup.genesis(Fixtures.key(1), validators, "bft", 1_700_000_000_000L));
        Blockchain chain = Blockchain.open(new InMemoryStore(), bft, ConsensusFactory.create(bft), new VerifiedSignatures(100));
        try (ApiServer server = serve(chain)) {
            JsonNode h = Json.MAPPER.readTree(get(server, "/api/v1/light/headers?from=0&limit=10").body()).path("headers").get(0);
            JsonNode nv = h.path("nextValidators");
            assertThat(nv.path("stateKey").asText()).isEqualTo("30");
            ValidatorSet set = ValidatorSet.decode(Hex.decode(nv.path("value").asText()));
            assertThat(set.size()).isEqualTo(2);
            SmtProof proof = SmtProof.decode(Hex.decode(nv.path("proof").asText()));
            assertThat(proof.verifyInclusion(chain.head().header().stateRoot(), Sha256.hash(BftState.nextValidatorsKey().unsafeArray()),
                    Sha256.hash(Hex.decode(nv.path("value").asText())))).isTrue();
        }
        Genesis pos = GenesisParser.parse(DevSetup.genesis(Fixtures.key(1), validators, "pos", 1_700_000_000_000L));
        Blockchain posChain = Blockchain.open(new InMemoryStore(), pos, ConsensusFactory.create(pos), new VerifiedSignatures(100));
        try (ApiServer server = serve(posChain)) {
            HttpResponse<String> r = get(server, "/api/v1/light/headers");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("pow and bft only");
        }
    }
}
