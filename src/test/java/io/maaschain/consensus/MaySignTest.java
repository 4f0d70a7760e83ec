package io.maaschain.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.node.ConsensusKinds;
import io.maaschain.state.Account;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateKeys;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ConsensusEngine.maySign}, the p2p layer's relay filter: the validators of the head may sign, outsiders may not. */
class MaySignTest {
    static final List<KeyPair> VALIDATORS = List.of(Fixtures.key(1), Fixtures.key(2));
    static final KeyPair OUTSIDER = Fixtures.key(9);

    static Genesis genesis(String kind) {
        if (kind.equals("pow")) return TestChain.genesis(OUTSIDER);
        return GenesisParser.parse("""
                {"chainId": %d, "timestamp": %d, "consensus": %s, "alloc": {"%s": "1000000000"}}
                """.formatted(Fixtures.CHAIN_ID, TestChain.GENESIS_TIME, ConsensusKinds.genesisSection(kind, VALIDATORS), OUTSIDER.address()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pow", "pos", "dpos", "bft"})
    void validatorsOfTheHeadMaySignAndOutsidersMayNot(String kind) throws Rejection {
        Genesis genesis = genesis(kind);
        ConsensusEngine engine = ConsensusFactory.create(genesis);
        Map<Bytes, byte[]> base = new HashMap<>(engine.genesisState());
        base.put(StateKeys.account(OUTSIDER.address()), new Account(1_000_000_000L, 0).encode());
        WorldState state = new WorldState(base::get);
        if (kind.equals("pow")) {
            assertThat(engine.maySign(state, OUTSIDER.publicKey())).as("proof of work has no votes to filter").isTrue();
            return;
        }
        for (KeyPair v : VALIDATORS) assertThat(engine.maySign(state, v.publicKey())).as(kind).isTrue();
        assertThat(engine.maySign(state, OUTSIDER.publicKey())).as(kind).isFalse();
        if (kind.equals("dpos")) {
            // A registered candidate may be elected by the next block: its messages are relayed.
            StateTransition stf = new StateTransition(genesis.params(), engine.rules());
            stf.applyTransaction(state, new UnsignedTransaction(Fixtures.CHAIN_ID, OUTSIDER.publicKey(), 0, 1, new Stake(1_000, Hash.ZERO)).sign(OUTSIDER),
                    1, SignatureCheck.VERIFY);
            assertThat(engine.maySign(state, OUTSIDER.publicKey())).isFalse();
            stf.applyTransaction(state, new UnsignedTransaction(Fixtures.CHAIN_ID, OUTSIDER.publicKey(), 1, 1, new RegisterProducer("")).sign(OUTSIDER),
                    1, SignatureCheck.VERIFY);
            assertThat(engine.maySign(state, OUTSIDER.publicKey())).isTrue();
        }
    }
}
