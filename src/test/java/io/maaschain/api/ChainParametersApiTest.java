package io.maaschain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.GenesisBlock;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.node.DevSetup;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A verifier given only a URL gets the exact genesis bytes (checked against block 0) and the consensus parameters. */
class ChainParametersApiTest {
    static final List<KeyPair> VALIDATORS = List.of(Fixtures.key(11), Fixtures.key(12), Fixtures.key(13));
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<byte[]> get(ApiServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pow", "pos", "dpos", "bft"})
    void genesisBytesHashToBlockZerosParentAndConsensusCarriesTheParameters(String kind) throws Exception {
        // A trailing blank and newline: the bytes served must be the file's, not a re-serialisation.
        String text = DevSetup.genesis(Fixtures.key(1), kind.equals("pow") ? List.of() : VALIDATORS, kind, 1_700_000_000_000L) + " \n";
        Genesis genesis = GenesisParser.parse(text);
        Blockchain chain = Blockchain.open(new InMemoryStore(), genesis, ConsensusFactory.create(genesis), new VerifiedSignatures(100));
        TxPool pool = new TxPool(chain.transition(), new VerifiedSignatures(100), new TxPool.Limits(100, 10, 5));
        try (ApiServer server = new ApiServer(chain, pool).start("127.0.0.1", 0)) {
            HttpResponse<byte[]> g = get(server, "/api/v1/genesis");
            assertThat(g.statusCode()).isEqualTo(200);
            assertThat(g.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(g.body()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
            JsonNode block0 = Json.MAPPER.readTree(get(server, "/api/v1/blocks/0").body());
            assertThat(block0.path("parentHash").asText()).isEqualTo(Sha256.hash(g.body()).toHex());
            assertThat(g.headers().firstValue("X-Maaschain-Genesis-Sha256").orElse("")).isEqualTo(Sha256.hash(g.body()).toHex());
            // From the served bytes alone a verifier recomputes the genesis hash.
            Genesis served = GenesisParser.parse(new String(g.body(), StandardCharsets.UTF_8));
            assertThat(GenesisBlock.of(served, ConsensusFactory.create(served)).hash().toHex()).isEqualTo(block0.path("hash").asText());

            JsonNode c = Json.MAPPER.readTree(get(server, "/api/v1/consensus").body());
            assertThat(c.path("kind").asText()).isEqualTo(kind);
            assertThat(c.path("parameters")).isEqualTo(Json.MAPPER.readTree(text).path("consensus"));
            assertThat(c.path("chain").path("chainId").asLong()).isEqualTo(DevSetup.DEV_CHAIN_ID);
            assertThat(c.path("chain").path("minTxFee").asLong()).isEqualTo(genesis.params().minTxFee());
            assertThat(c.path("chain").path("maxBlockBytes").asLong()).isEqualTo(genesis.params().maxBlockBytes());
            assertThat(c.path("chain").path("genesisHash").asText()).isEqualTo(block0.path("hash").asText());
            if (kind.equals("pow")) {
                assertThat(c.path("parameters").path("retargetInterval").asLong()).isPositive();
                assertThat(c.path("parameters").path("targetBlockTimeMillis").asLong()).isPositive();
                assertThat(c.path("parameters").path("blockReward").isMissingNode()).isFalse();
            } else {
                // The validator set of the genesis file, by key, whatever the engine calls the list.
                String body = c.path("parameters").toString();
                for (KeyPair v : VALIDATORS) assertThat(body).contains(v.publicKey().toHex());
            }
        }
    }
}
