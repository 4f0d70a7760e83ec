package io.maaschain.consensus.bft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class BftParamsTest {
    static final String KEY = Fixtures.key(1).publicKey().toHex();

    static BftParams parse(String section) {
        return BftParams.fromGenesis(BftEngineTest.json(section));
    }

    @Test
    void defaultsFillWhatTheSectionLeavesOut() {
        BftParams p = parse("{\"kind\": \"bft\", \"validators\": [{\"key\": \"" + KEY + "\", \"power\": 3}]}");
        assertThat(p.validators().totalPower()).isEqualTo(3);
        assertThat(p.timeoutProposeMillis()).isEqualTo(BftParams.DEFAULT_TIMEOUT_PROPOSE);
        assertThat(p.timeout(p.timeoutProposeMillis(), 2)).isEqualTo(BftParams.DEFAULT_TIMEOUT_PROPOSE + 2 * BftParams.DEFAULT_TIMEOUT_DELTA);
        assertThat(p.timeout(p.timeoutProposeMillis(), 1_000_000)).isEqualTo(BftParams.DEFAULT_TIMEOUT_CAP);
    }

    @Test
    void theTestnetSectionParsesAndTheFactoryPicksTheEngine() {
        String section = BftEngine.genesisSection(List.of(Fixtures.key(1), Fixtures.key(2)));
        var genesis = GenesisParser.parse("{\"chainId\": 9, \"consensus\": " + section + ", \"alloc\": {}}");
        assertThat(ConsensusFactory.create(genesis)).isInstanceOfSatisfying(BftEngine.class, e -> {
            assertThat(e.params().validators().size()).isEqualTo(2);
            assertThat(e.chainId()).isEqualTo(9);
        });
    }

    @Test
    void malformedSectionsAreRefusedWithAReason() {
        String v = "\"validators\": [{\"key\": \"" + KEY + "\", \"power\": 1}]";
        assertRefused("{\"kind\": \"bft\"}", "'validators' must be a non-empty array");
        assertRefused("{\"kind\": \"bft\", \"validators\": []}", "'validators' must be a non-empty array");
        assertRefused("{\"kind\": \"bft\", " + v + ", \"slotMillis\": 5}", "unknown bft field 'slotMillis'");
        assertRefused("{\"kind\": \"bft\", \"validators\": [{\"key\": \"abc\", \"power\": 1}]}", "validators[0].key must be an Ed25519 public key");
        assertRefused("{\"kind\": \"bft\", \"validators\": [{\"key\": \"" + KEY + "\"}]}", "validators[0].power is missing");
        assertRefused("{\"kind\": \"bft\", \"validators\": [{\"key\": \"" + KEY + "\", \"power\": 0}]}", "validator power must be in 1..");
        assertRefused("{\"kind\": \"bft\", \"validators\": [{\"key\": \"" + KEY + "\", \"power\": 1, \"stake\": 2}]}", "unknown field 'stake'");
        assertRefused("{\"kind\": \"bft\", \"validators\": [{\"key\": \"" + KEY + "\", \"power\": 1}, {\"key\": \"" + KEY + "\", \"power\": 2}]}",
                "listed twice");
        assertRefused("{\"kind\": \"bft\", " + v + ", \"timeoutProposeMillis\": 0}", "timeoutProposeMillis must be in 1..");
        assertRefused("{\"kind\": \"bft\", " + v + ", \"timeoutPrevoteMillis\": \"soon\"}", "must be an integer");
        assertRefused("{\"kind\": \"bft\", " + v + ", \"timeoutCapMillis\": 10}", "timeoutCapMillis must be at least every base timeout");
        assertRefused("{\"kind\": \"bft\", " + v + ", \"blockReward\": -1}", "must be in 0..2^63-1");
    }

    private static void assertRefused(String section, String reason) {
        assertThatThrownBy(() -> parse(section)).isInstanceOf(CodecException.class).hasMessageContaining(reason);
    }
}
