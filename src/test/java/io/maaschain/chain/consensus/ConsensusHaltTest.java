package io.maaschain.chain.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.api.ApiServer;
import io.maaschain.api.ConsensusStatus;
import io.maaschain.api.NetworkStatus;
import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.BlockchainView;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.Hex;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftParams;
import io.maaschain.consensus.bft.BftProtocol;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.Seal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.state.ConsensusRules;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.txpool.TxPool;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A block decided by consensus that this node cannot import halts consensus, loudly: the driver stops with the reason,
 * and the REST API refuses transactions with 503 and that reason instead of accepting them to wait forever. The broken
 * engine is the bft engine whose fork-choice weight overflows from height 2: the block passes the proposal check (which
 * computes no weight) and fails only at import, as a rule that throws on some blocks would.
 */
class ConsensusHaltTest {
    static final long T0 = 1_700_000_000_000L;
    final KeyPair validator = Fixtures.key(7);
    final Genesis genesis = GenesisParser.parse("""
            {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 100, "maxBlockBytes": 1048576,
             "consensus": %s, "alloc": {"%s": "1000000"}}""".formatted(Fixtures.CHAIN_ID, T0, BftEngine.genesisSection(List.of(validator)),
            validator.address()));
    final BftEngine real = new BftEngine(BftParams.fromGenesis(genesis.consensus()), Fixtures.CHAIN_ID);

    /** Delegates to the real bft engine; its weight rule throws from height 2 on. */
    final class BrokenEngine implements ConsensusEngine {
        @Override public String kind() { return real.kind(); }
        @Override public Seal genesisSeal() { return real.genesisSeal(); }
        @Override public Seal templateSeal(HeaderAncestry ancestry, long height) { return real.templateSeal(ancestry, height); }
        @Override public void validateSeal(Header header, HeaderAncestry ancestry) throws Rejection { real.validateSeal(header, ancestry); }
        @Override public long blockReward(long height) { return real.blockReward(height); }
        @Override public Map<Bytes, byte[]> genesisState() { return real.genesisState(); }
        @Override public ConsensusRules rules() { return real.rules(); }
        @Override public void beginBlock(WorldState state, Header header) throws Rejection { real.beginBlock(state, header); }
        @Override public Optional<BlockRef> finalizedIn(StateReader state) { return real.finalizedIn(state); }

        @Override
        public BigInteger weight(Header header) {
            if (header.height() >= 2) throw new ArithmeticException("weight overflow (deliberately broken engine)");
            return real.weight(header);
        }
    }

    @Test
    void aDecidedBlockThatDoesNotImportHaltsConsensusAndTheApiRefusesTransactions() throws Exception {
        Blockchain chain = Blockchain.open(new InMemoryStore(), genesis, new BrokenEngine(), SignatureCheck.VERIFY);
        TxPool pool = new TxPool(chain.transition(), SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
        long[] now = {T0 + 1_000};
        GuardedSigner signer = new GuardedSigner(validator, Fixtures.CHAIN_ID, new GuardedSigner.InMemory());
        BftProtocol protocol = new BftProtocol(new BlockchainView(chain, () -> now[0]), signer, real.params());
        ConsensusDriver driver = new ConsensusDriver(chain, pool, new BlockBuilder(chain, SignatureCheck.VERIFY), protocol, signer, validator, m -> { });
        chain.addListener((removed, added, head) -> driver.headChanged(now[0]));
        driver.start(now[0]);
        for (int i = 0; i < 200 && driver.halted().isEmpty(); i++) {
            now[0] = Math.max(now[0] + 1, driver.nextWake());
            driver.tick(now[0]);
        }

        assertThat(chain.head().height()).isEqualTo(1);
        assertThat(driver.halted()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("at height 2", "decided by consensus but cannot be imported", "INVALID_SEAL", "weight overflow"));
        // Halted means halted: no further input moves it.
        long wake = driver.nextWake();
        driver.tick(now[0] + 60_000);
        assertThat(chain.head().height()).isEqualTo(1);
        assertThat(wake).isEqualTo(Long.MAX_VALUE);

        ConsensusStatus status = new ConsensusStatus() {
            @Override public Optional<Map<String, Object>> local() { return Optional.of(Map.of()); }
            @Override public Optional<String> halted() { return driver.halted(); }
        };
        try (ApiServer api = new ApiServer(chain, pool, NetworkStatus.NONE, status, () -> driver.halted().map(r -> "consensus halted: " + r))
                .start("127.0.0.1", 0)) {
            HttpClient http = HttpClient.newHttpClient();
            String tx = Hex.encode(Fixtures.transfer(validator, Fixtures.key(8).address(), 5, 0, 1).encoded());
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1/txs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"tx\":\"" + tx + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("NOT_COMMITTING", "consensus halted", "weight overflow");
            assertThat(pool.size()).isZero();
            HttpResponse<String> statusJson = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(statusJson.body()).contains("\"halted\":\"block ").contains("weight overflow");
        }
    }
}
