package io.maaschain.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.state.Account;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateKeys;
import io.maaschain.state.StateReader;
import io.maaschain.state.StateTransition;
import io.maaschain.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TxPoolTest {
    static final KeyPair A = Fixtures.key(1);
    static final KeyPair B = Fixtures.key(2);
    static final KeyPair C = Fixtures.key(3);
    final Map<Bytes, byte[]> state = new HashMap<>();
    final StateReader reader = state::get;
    final StateTransition stf = new StateTransition(new ChainParams(Fixtures.CHAIN_ID, 1, 1000, 1 << 20));

    TxPoolTest() {
        for (KeyPair k : List.of(A, B, C)) state.put(StateKeys.account(k.address()), new Account(1_000, 0).encode());
    }

    TxPool pool(int max) {
        return new TxPool(stf, SignatureCheck.VERIFY, new TxPool.Limits(max, 5, 3));
    }

    Transaction tx(KeyPair k, long nonce, long fee) {
        return Fixtures.transfer(k, C.address(), 10, nonce, fee);
    }

    static RejectCode code(ThrowingRunnable r) {
        try {
            r.run();
            return null;
        } catch (Rejection e) {
            return e.code();
        }
    }

    interface ThrowingRunnable {
        void run() throws Rejection;
    }

    @Test
    void selectsByFeeButKeepsEachSendersNonceOrder() throws Rejection {
        TxPool p = pool(100);
        Transaction a0 = tx(A, 0, 1), a1 = tx(A, 1, 50), b0 = tx(B, 0, 10), b1 = tx(B, 1, 2);
        for (Transaction t : List.of(a1, a0, b1, b0)) p.add(t, reader);
        assertThat(p.select(10, reader)).containsExactly(b0, b1, a0, a1);
        assertThat(p.select(2, reader)).containsExactly(b0, b1);
        assertThat(p.nextNonce(A.address(), reader)).isEqualTo(2);
    }

    @Test
    void nonceGapsWaitUntilFilled() throws Rejection {
        TxPool p = pool(100);
        p.add(tx(A, 2, 5), reader);
        assertThat(p.select(10, reader)).isEmpty();
        assertThat(code(() -> p.add(tx(A, 4, 5), reader))).isEqualTo(RejectCode.NONCE_TOO_HIGH);
    }

    @Test
    void replacementNeedsTenPercentMoreFee() throws Rejection {
        TxPool p = pool(100);
        p.add(tx(A, 0, 100), reader);
        assertThat(code(() -> p.add(Fixtures.transfer(A, B.address(), 10, 0, 105), reader))).isEqualTo(RejectCode.DUPLICATE);
        Transaction bump = Fixtures.transfer(A, B.address(), 10, 0, 110);
        p.add(bump, reader);
        assertThat(p.size()).isEqualTo(1);
        assertThat(p.select(10, reader)).containsExactly(bump);
    }

    @Test
    void pendingSpendingCountsAgainstTheBalance() throws Rejection {
        TxPool p = pool(100);
        p.add(Fixtures.transfer(A, C.address(), 600, 0, 1), reader);
        assertThat(code(() -> p.add(Fixtures.transfer(A, C.address(), 600, 1, 1), reader))).isEqualTo(RejectCode.INSUFFICIENT_BALANCE);
        assertThat(p.size()).isEqualTo(1);
    }

    @Test
    void aFullPoolEvictsTheCheapestOnlyForABetterFee() throws Rejection {
        TxPool p = pool(2);
        Transaction cheap = tx(A, 0, 1);
        p.add(cheap, reader);
        p.add(tx(B, 0, 5), reader);
        assertThat(code(() -> p.add(tx(C, 0, 1), reader))).isEqualTo(RejectCode.MEMPOOL_FULL);
        p.add(tx(C, 0, 9), reader);
        assertThat(p.size()).isEqualTo(2);
        assertThat(p.get(cheap.hash())).isEmpty();
    }

    @Test
    void perSenderLimitHolds() throws Rejection {
        TxPool p = new TxPool(stf, SignatureCheck.VERIFY, new TxPool.Limits(100, 2, 10));
        p.add(tx(A, 0, 1), reader);
        p.add(tx(A, 1, 1), reader);
        assertThat(code(() -> p.add(tx(A, 2, 1), reader))).isEqualTo(RejectCode.MEMPOOL_FULL);
    }

    @Test
    void committedAndStaleTransactionsLeaveThePool() throws Rejection {
        TxPool p = pool(100);
        Transaction a0 = tx(A, 0, 1), a1 = tx(A, 1, 1);
        p.add(a0, reader);
        p.add(a1, reader);
        state.put(StateKeys.account(A.address()), new Account(980, 2).encode());
        p.onHeadChanged(List.of(), List.of(new io.maaschain.ledger.block.Block(
                new io.maaschain.ledger.block.Header(1, io.maaschain.crypto.Hash.ZERO, 1, io.maaschain.crypto.Hash.ZERO,
                        io.maaschain.crypto.Hash.ZERO, C.address(), 1, new io.maaschain.ledger.block.PowSeal(0, 0)), List.of(a0))), reader);
        assertThat(p.size()).isZero();
    }

    @Test
    void batchChecksSignaturesAndReportsEach() {
        TxPool p = pool(100);
        byte[] bad = tx(B, 0, 1).encoded();
        bad[bad.length - 1] ^= 1;
        List<TxPool.Result> r = p.addAll(List.of(tx(A, 0, 1), io.maaschain.ledger.tx.TransactionCodec.decode(bad)), reader);
        assertThat(r.get(0).rejection()).isNull();
        assertThat(r.get(1).rejection().code()).isEqualTo(RejectCode.BAD_SIGNATURE);
        assertThat(p.size()).isEqualTo(1);
    }
}
