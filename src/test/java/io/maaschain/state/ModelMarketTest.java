package io.maaschain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.Deprecate;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.NewVersion;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.RevokeAccess;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.tx.Withdraw;
import io.maaschain.state.MarketRecords.Escrow;
import io.maaschain.state.MarketRecords.Grant;
import io.maaschain.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The market's state transition: hosting, grants, escrow and gap-free settlement of receipt batches. */
class ModelMarketTest {
    static final KeyPair OWNER = Fixtures.key(1);
    static final KeyPair HOST = Fixtures.key(2);
    static final KeyPair CALLER = Fixtures.key(3);
    static final KeyPair ROGUE = Fixtures.key(4);
    static final StateTransition STF = new StateTransition(new ChainParams(Fixtures.CHAIN_ID, 1, 1000, 1 << 20));

    WorldState state;
    final Map<KeyPair, Long> nonces = new HashMap<>();
    long height = 1;

    @BeforeEach
    void setUp() throws Rejection {
        Map<Bytes, byte[]> base = new HashMap<>();
        for (KeyPair k : List.of(OWNER, HOST, CALLER, ROGUE)) base.put(StateKeys.account(k.address()), new Account(100_000, 0).encode());
        state = new WorldState(base::get);
        apply(OWNER, Fixtures.model("bert", "1", "weights")); // price 5 per call
        assertThat(rejected(HOST, new HostModel("bert", "1", 2))).as("a private model needs the owner's consent").isEqualTo(RejectCode.HOST_NOT_APPROVED);
        apply(OWNER, new SetVisibility("bert", true));
        apply(HOST, new HostModel("bert", "1", 2));
    }

    long apply(KeyPair from, Object payload) throws Rejection {
        Payload p = payload instanceof io.maaschain.ledger.tx.RegisterModel m ? m : (Payload) payload;
        long nonce = nonces.getOrDefault(from, 0L);
        Transaction tx = new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, p).sign(from);
        // Every payload also survives its canonical encoding.
        assertThat(TransactionCodec.decode(tx.encoded()).body()).isEqualTo(tx.body());
        long fee = STF.applyTransaction(state, tx, height, SignatureCheck.VERIFY);
        nonces.put(from, nonce + 1);
        return fee;
    }

    RejectCode rejected(KeyPair from, Payload p) {
        Map<Bytes, byte[]> before = new HashMap<>(state.writes());
        try {
            apply(from, p);
            return null;
        } catch (Rejection r) {
            assertThat(state.writes().keySet()).isEqualTo(before.keySet());
            return r.code();
        }
    }

    long balance(KeyPair k) {
        return state.account(k.address()).balance();
    }

    Escrow escrow(KeyPair k) {
        return ModelMarket.escrow(state, k.address(), HOST.address());
    }

    /** A batch whose caller authorised far more than it charges: only escrow and prices bound it. */
    ReceiptBatch batch(long first, long last, long calls) {
        return batch(first, last, calls, authorisation(CALLER, HOST, escrow(CALLER).settled() + 1_000_000));
    }

    ReceiptBatch batch(long first, long last, long calls, PaymentAuthorisation auth) {
        return new ReceiptBatch(first, last, Hash.ZERO, List.of(new ReceiptBatch.Charge(CALLER.address(), "bert", "1", calls)),
                auth == null ? List.of() : List.of(auth));
    }

    static PaymentAuthorisation authorisation(KeyPair caller, KeyPair host, long authorised) {
        return PaymentAuthorisation.sign(caller, PaymentAuthorisation.channelId(Fixtures.CHAIN_ID, caller.address(), host.address()),
                authorised, Sha256.hash(("call " + authorised).getBytes()));
    }

    @Test
    void settlementChargesEscrowAndSplitsBetweenOwnerAndHost() throws Rejection {
        apply(CALLER, new Deposit(HOST.address(), 1_000));
        assertThat(escrow(CALLER).balance()).isEqualTo(1_000);
        long owner = balance(OWNER), host = balance(HOST);
        apply(HOST, batch(0, 9, 8)); // 10 receipts, 8 successful calls at 5 + 2
        assertThat(escrow(CALLER).balance()).isEqualTo(1_000 - 8 * 7);
        assertThat(balance(OWNER)).isEqualTo(owner + 8 * 5);
        assertThat(balance(HOST)).isEqualTo(host + 8 * 2 - 1);
    }

    @Test
    void batchesMustFollowEachOtherSoNothingIsChargedTwiceOrSkipped() throws Rejection {
        apply(CALLER, new Deposit(HOST.address(), 1_000));
        apply(HOST, batch(0, 4, 5));
        assertThat(rejected(HOST, batch(0, 4, 5))).as("the same batch again").isEqualTo(RejectCode.BATCH_OUT_OF_ORDER);
        assertThat(rejected(HOST, batch(6, 8, 1))).as("a gap").isEqualTo(RejectCode.BATCH_OUT_OF_ORDER);
        apply(HOST, batch(5, 8, 1));
        assertThat(escrow(CALLER).balance()).isEqualTo(1_000 - 6 * 7);
    }

    @Test
    void onlyHostsSettleAndChargesAreBoundedByEscrow() throws Rejection {
        assertThat(rejected(OWNER, batch(0, 0, 1, authorisation(CALLER, OWNER, 100)))).isEqualTo(RejectCode.NOT_HOSTING);
        apply(CALLER, new Deposit(HOST.address(), 10));
        apply(HOST, batch(0, 4, 5)); // owes 35, escrow holds 10
        assertThat(escrow(CALLER).balance()).isZero();
        assertThatThrownBy(() -> new ReceiptBatch(0, 1, Hash.ZERO, List.of(new ReceiptBatch.Charge(CALLER.address(), "bert", "1", 3))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withdrawalAnnouncesThenPaysOutAfterTheTimeout() throws Rejection {
        apply(CALLER, new Deposit(HOST.address(), 500));
        long before = balance(CALLER);
        apply(CALLER, new Withdraw(HOST.address(), 300));
        assertThat(escrow(CALLER).spendable()).isEqualTo(200);
        height += ModelMarket.ESCROW_TIMEOUT_BLOCKS - 1;
        assertThat(rejected(CALLER, new Withdraw(HOST.address(), 300))).isEqualTo(RejectCode.WITHDRAWAL_LOCKED);
        height += 1;
        assertThat(rejected(CALLER, new Withdraw(HOST.address(), 299))).isEqualTo(RejectCode.WITHDRAWAL_MISMATCH);
        apply(CALLER, new Withdraw(HOST.address(), 300));
        assertThat(escrow(CALLER)).isEqualTo(new Escrow(200, 0, 0, 0));
        assertThat(balance(CALLER)).isEqualTo(before - 1 + 300 - 1);
        assertThat(rejected(CALLER, new Withdraw(HOST.address(), 201))).isEqualTo(RejectCode.INSUFFICIENT_ESCROW);
    }

    @Test
    void aHostCanOnlyChargeEscrowDepositedForIt() throws Rejection {
        KeyPair rogue = ROGUE;
        apply(CALLER, new Deposit(HOST.address(), 50_000));
        apply(rogue, new HostModel("bert", "1", Long.MAX_VALUE / 4)); // bert is public here
        long before = balance(rogue);
        apply(rogue, batch(0, 0, 1, authorisation(CALLER, rogue, 100)));
        assertThat(escrow(CALLER).balance()).as("the honest host's escrow is untouched").isEqualTo(50_000);
        assertThat(balance(rogue)).isEqualTo(before - 1);
    }

    @Test
    void aPriceRaiseWaitsSoCallersCanLeave() throws Rejection {
        apply(CALLER, new Deposit(HOST.address(), 1_000));
        apply(HOST, new HostModel("bert", "1", 1_000));
        apply(HOST, batch(0, 0, 1));
        assertThat(escrow(CALLER).balance()).as("old price 5 + 2 still applies").isEqualTo(1_000 - 7);
        height += 2 * ModelMarket.ESCROW_TIMEOUT_BLOCKS;
        apply(HOST, batch(1, 1, 1));
        assertThat(escrow(CALLER).balance()).isEqualTo(1_000 - 7 - (5 + 1_000) < 0 ? 0 : 1_000 - 7 - 1_005);
        apply(HOST, new HostModel("bert", "1", 0));
        apply(HOST, batch(2, 2, 1));
    }

    @Test
    void ownerShareIsExactIntegerArithmetic() {
        long paid = (1L << 62) + 12345, model = (1L << 61) + 3, price = (1L << 61) + 7;
        assertThat(ModelMarket.ownerShare(paid, model, price))
                .isEqualTo(java.math.BigInteger.valueOf(paid).multiply(java.math.BigInteger.valueOf(model)).divide(java.math.BigInteger.valueOf(price)).longValue());
        assertThat(ModelMarket.ownerShare(7, 5, 7)).isEqualTo(5);
        assertThatThrownBy(() -> new ReceiptBatch(0, 0, Hash.ZERO, List.of(
                new ReceiptBatch.Charge(CALLER.address(), "bert", "1", 1L << 62), new ReceiptBatch.Charge(CALLER.address(), "bert", "1", 1L << 62))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grantsAreOwnedCountedAndRevocable() throws Rejection {
        assertThat(rejected(CALLER, new GrantAccess("bert", CALLER.address(), 5, 100))).isEqualTo(RejectCode.NOT_MODEL_OWNER);
        apply(OWNER, new GrantAccess("bert", CALLER.address(), 5, 100));
        apply(CALLER, new Deposit(HOST.address(), 1_000));
        apply(HOST, batch(0, 2, 3));
        Grant g = Grant.decode(state.get(MarketRecords.grantKey("bert", CALLER.address())));
        assertThat(g.used()).isEqualTo(3);
        assertThat(g.remaining()).isEqualTo(2);
        apply(OWNER, new RevokeAccess("bert", CALLER.address()));
        assertThat(rejected(OWNER, new RevokeAccess("bert", CALLER.address()))).isEqualTo(RejectCode.GRANT_NOT_FOUND);
    }

    @Test
    void versionsVisibilityAndDeprecation() throws Rejection {
        assertThat(rejected(HOST, new NewVersion(Fixtures.model("bert", "2", "w2")))).isEqualTo(RejectCode.NOT_MODEL_OWNER);
        assertThat(rejected(OWNER, new NewVersion(Fixtures.model("gpt", "1", "w")))).isEqualTo(RejectCode.MODEL_NOT_FOUND);
        apply(OWNER, new NewVersion(Fixtures.model("bert", "2", "w2")));
        assertThat(ModelName.decode(state.get(StateKeys.modelName("bert"))).latestVersion()).isEqualTo("2");
        apply(OWNER, new SetVisibility("bert", false));
        assertThat(state.get(MarketRecords.visibilityKey("bert"))).isNull();
        assertThat(rejected(ROGUE, new HostModel("bert", "2", 1))).isEqualTo(RejectCode.HOST_NOT_APPROVED);
        apply(OWNER, new GrantAccess("bert", ROGUE.address(), 1, 1_000));
        apply(ROGUE, new HostModel("bert", "2", 1));
        apply(OWNER, new Deprecate("bert", "1"));
        assertThat(rejected(HOST, new HostModel("bert", "1", 1))).isEqualTo(RejectCode.MODEL_DEPRECATED);
        assertThat(rejected(HOST, new Deprecate("bert", "2"))).isEqualTo(RejectCode.NOT_MODEL_OWNER);
    }
}
