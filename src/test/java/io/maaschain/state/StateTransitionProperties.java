package io.maaschain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class StateTransitionProperties {
    static final List<KeyPair> KEYS = List.of(Fixtures.key(1), Fixtures.key(2), Fixtures.key(3), Fixtures.key(4));
    static final StateTransition STF = new StateTransition(new ChainParams(Fixtures.CHAIN_ID, 1, 1000, 1 << 20));

    record Step(int from, int to, long amount, long fee, int nonceSkew) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3),
                Arbitraries.longs().between(1, 2_000), Arbitraries.longs().between(0, 50),
                Arbitraries.integers().between(-1, 1).withDistribution(net.jqwik.api.RandomDistribution.uniform()))
                .as(Step::new).list().ofMaxSize(60);
    }

    static WorldState funded() {
        Map<Bytes, byte[]> base = new HashMap<>();
        for (KeyPair k : KEYS) base.put(StateKeys.account(k.address()), new Account(10_000, 0).encode());
        return new WorldState(base::get);
    }

    static long total(WorldState s, Address... extra) {
        long sum = 0;
        for (KeyPair k : KEYS) sum += s.account(k.address()).balance();
        for (Address a : extra) sum += s.account(a).balance();
        return sum;
    }

    /** Applied or rejected, every transaction keeps balances + collected fees constant, and a rejection writes nothing. */
    @Property(tries = 300)
    void balancesAreConserved(@ForAll("steps") List<Step> steps) {
        WorldState state = funded();
        long supply = total(state);
        long fees = 0;
        for (Step s : steps) {
            KeyPair from = KEYS.get(s.from());
            long nonce = Math.max(0, state.account(from.address()).nonce() + s.nonceSkew());
            Transaction tx = Fixtures.transfer(from, KEYS.get(s.to()).address(), s.amount(), nonce, s.fee());
            Map<Bytes, Bytes> before = encodedWrites(state);
            try {
                fees += STF.applyTransaction(state, tx, 1, SignatureCheck.VERIFY);
            } catch (Rejection r) {
                assertThat(encodedWrites(state)).as("a rejected transaction changes nothing").isEqualTo(before);
            }
            assertThat(total(state) + fees).isEqualTo(supply);
        }
    }

    /** The same transactions on the same state give the same writes, so the same state root. */
    @Property(tries = 100)
    void executionIsDeterministic(@ForAll("steps") List<Step> steps) {
        List<Transaction> txs = new ArrayList<>();
        long[] nonces = new long[KEYS.size()];
        for (Step s : steps) {
            txs.add(Fixtures.transfer(KEYS.get(s.from()), KEYS.get(s.to()).address(), s.amount(), nonces[s.from()]++, s.fee()));
        }
        assertThat(encodedWrites(run(txs))).isEqualTo(encodedWrites(run(txs)));
    }

    private static WorldState run(List<Transaction> txs) {
        WorldState s = funded();
        for (Transaction tx : txs) {
            try {
                STF.applyTransaction(s, tx, 1, SignatureCheck.VERIFY);
            } catch (Rejection ignored) {
                // skipped, as a block builder would
            }
        }
        return s;
    }

    private static Map<Bytes, Bytes> encodedWrites(WorldState s) {
        Map<Bytes, Bytes> out = new HashMap<>();
        s.writes().forEach((k, v) -> out.put(k, v == null ? null : Bytes.of(v)));
        return out;
    }

    @Example
    void replayedTransactionIsRejected() throws Rejection {
        WorldState s = funded();
        Transaction tx = Fixtures.transfer(KEYS.get(0), KEYS.get(1).address(), 5, 0, 1);
        STF.applyTransaction(s, tx, 1, SignatureCheck.VERIFY);
        assertThatThrownBy(() -> STF.applyTransaction(s, tx, 1, SignatureCheck.VERIFY))
                .isInstanceOf(Rejection.class).extracting(e -> ((Rejection) e).code()).isEqualTo(RejectCode.NONCE_TOO_LOW);
    }

    @Example
    void wrongChainAndBadSignatureAreRejected() {
        WorldState s = funded();
        KeyPair k = KEYS.get(0);
        Transaction other = new io.maaschain.ledger.tx.UnsignedTransaction(99, k.publicKey(), 0, 1,
                new io.maaschain.ledger.tx.Transfer(KEYS.get(1).address(), 5)).sign(k);
        assertThatThrownBy(() -> STF.applyTransaction(s, other, 1, SignatureCheck.VERIFY))
                .extracting(e -> ((Rejection) e).code()).isEqualTo(RejectCode.WRONG_CHAIN);
        byte[] bytes = Fixtures.transfer(k, KEYS.get(1).address(), 5, 0, 1).encoded();
        bytes[bytes.length - 1] ^= 1;
        Transaction forged = io.maaschain.ledger.tx.TransactionCodec.decode(bytes);
        assertThatThrownBy(() -> STF.applyTransaction(s, forged, 1, SignatureCheck.VERIFY))
                .extracting(e -> ((Rejection) e).code()).isEqualTo(RejectCode.BAD_SIGNATURE);
        assertThat(s.writes()).isEmpty();
    }

    @Example
    void modelNamesBelongToTheirFirstRegistrant() throws Rejection {
        WorldState s = funded();
        STF.applyTransaction(s, Fixtures.register(KEYS.get(0), Fixtures.model("resnet", "1", "a"), 0), 5, SignatureCheck.VERIFY);
        assertThatThrownBy(() -> STF.applyTransaction(s, Fixtures.register(KEYS.get(1), Fixtures.model("resnet", "2", "b"), 0), 6, SignatureCheck.VERIFY))
                .extracting(e -> ((Rejection) e).code()).isEqualTo(RejectCode.NOT_MODEL_OWNER);
        assertThatThrownBy(() -> STF.applyTransaction(s, Fixtures.register(KEYS.get(0), Fixtures.model("resnet", "1", "c"), 1), 6, SignatureCheck.VERIFY))
                .extracting(e -> ((Rejection) e).code()).isEqualTo(RejectCode.MODEL_VERSION_EXISTS);
        STF.applyTransaction(s, Fixtures.register(KEYS.get(0), Fixtures.model("resnet", "2", "d"), 1), 7, SignatureCheck.VERIFY);
        ModelName name = ModelName.decode(s.get(StateKeys.modelName("resnet")));
        assertThat(name.latestVersion()).isEqualTo("2");
        assertThat(name.versionCount()).isEqualTo(2);
        ModelVersion v1 = ModelVersion.decode(s.get(StateKeys.modelVersion("resnet", "1")));
        assertThat(v1.registration().artifactDigest()).isEqualTo(Fixtures.digest("a"));
        assertThat(v1.registeredAtHeight()).isEqualTo(5);
    }
}
