package io.maaschain.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.SetValidator;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.tx.Unstake;
import io.maaschain.ledger.tx.VoteProducers;
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
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Admission by engine: a consensus payload kind (13-18) that the chain's engine has no rule for is refused at the pool
 * with UNSUPPORTED_PAYLOAD, by the same check ({@code StateTransition.checkStateless}) that makes a block carrying it
 * invalid; the kinds the engine accepts are admitted (their state rules run when they apply).
 */
class EngineAdmissionTest {
    static final KeyPair SENDER = Fixtures.key(7);
    static final List<Payload> CONSENSUS_PAYLOADS = List.of(new Stake(1_000_000, Hash.ZERO), new Unstake(1), new Evidence(new byte[] {1}, new byte[] {2}),
            new RegisterProducer("https://p.example"), new VoteProducers(List.of(Fixtures.key(1).address())), new SetValidator(Fixtures.key(1).publicKey(), 1));
    /** Which of kinds 13-18 each engine accepts, as docs/consensus.md's table says. */
    static final Map<String, Set<Integer>> ACCEPTED = Map.of(
            "pow", Set.of(),
            "pos", Set.of(13, 14, 15),
            "dpos", Set.of(13, 14, 15, 16, 17),
            "bft", Set.of(15, 18));

    static Genesis genesis(String kind) {
        if (kind.equals("pow")) return TestChain.genesis(SENDER);
        String section = ConsensusKinds.genesisSection(kind, List.of(Fixtures.key(1), Fixtures.key(2)));
        return GenesisParser.parse("""
                {"chainId": %d, "timestamp": %d, "consensus": %s, "alloc": {"%s": "1000000000"}}
                """.formatted(Fixtures.CHAIN_ID, TestChain.GENESIS_TIME, section, SENDER.address()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pow", "pos", "dpos", "bft"})
    void thePoolAndBlockValidityRefuseExactlyTheKindsTheEngineCannotApply(String kind) {
        Genesis genesis = genesis(kind);
        ConsensusEngine engine = ConsensusFactory.create(genesis);
        StateTransition stf = new StateTransition(genesis.params(), engine.rules());
        Map<Bytes, byte[]> base = new HashMap<>(engine.genesisState());
        base.put(StateKeys.account(SENDER.address()), new Account(1_000_000_000L, 0).encode());
        for (Payload p : CONSENSUS_PAYLOADS) {
            // Each at nonce 0 in a fresh pool, so only the payload kind decides.
            Transaction tx = new UnsignedTransaction(Fixtures.CHAIN_ID, SENDER.publicKey(), 0, 1, p).sign(SENDER);
            TxPool fresh = new TxPool(stf, SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
            if (ACCEPTED.get(kind).contains(p.kind())) {
                assertThat(admit(fresh, tx, base)).as(kind + " admits kind " + p.kind()).isNull();
                assertThat(engine.rules().accepts(p)).isTrue();
            } else {
                Rejection atPool = admit(fresh, tx, base);
                assertThat(atPool).as(kind + " refuses kind " + p.kind()).isNotNull();
                assertThat(atPool.code()).isEqualTo(RejectCode.UNSUPPORTED_PAYLOAD);
                assertThat(atPool.getMessage()).contains("kind " + p.kind());
                assertThat(fresh.size()).isZero();
                assertThatThrownBy(() -> stf.applyTransaction(new WorldState(base::get), tx, 1, SignatureCheck.VERIFY))
                        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.code()).isEqualTo(RejectCode.UNSUPPORTED_PAYLOAD));
                // The batch path too.
                assertThat(fresh.addAll(List.of(tx), base::get).getFirst().rejection().code()).isEqualTo(RejectCode.UNSUPPORTED_PAYLOAD);
            }
        }
    }

    private static Rejection admit(TxPool pool, Transaction tx, Map<Bytes, byte[]> state) {
        try {
            pool.add(tx, state::get);
            return null;
        } catch (Rejection r) {
            return r;
        }
    }
}
