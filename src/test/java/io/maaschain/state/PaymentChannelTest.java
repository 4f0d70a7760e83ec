package io.maaschain.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.AllowSpendingKey;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.tx.Withdraw;
import io.maaschain.state.MarketRecords.Escrow;
import io.maaschain.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The settlement rule against a host that cheats: a host takes no more than the caller signed for (its cumulative
 * authorisation, or its API key's allowance), cannot replay or forge an authorisation, and a channel closes with every
 * coin at the right party whichever side goes silent. Price per call of bert/1 here: 5 (model) + 2 (host) = 7.
 */
class PaymentChannelTest {
    static final KeyPair OWNER = Fixtures.key(1);
    static final KeyPair HOST = Fixtures.key(2);
    static final KeyPair CALLER = Fixtures.key(3);
    static final KeyPair ROGUE = Fixtures.key(4);
    static final long PRICE = 7;
    static final StateTransition STF = new StateTransition(new ChainParams(Fixtures.CHAIN_ID, 1, 1000, 1 << 20));

    WorldState state;
    final Map<KeyPair, Long> nonces = new HashMap<>();
    long height = 1;
    long nextSeq;

    @BeforeEach
    void setUp() throws Rejection {
        Map<Bytes, byte[]> base = new HashMap<>();
        for (KeyPair k : List.of(OWNER, HOST, CALLER, ROGUE)) base.put(StateKeys.account(k.address()), new Account(100_000, 0).encode());
        state = new WorldState(base::get);
        apply(OWNER, Fixtures.model("bert", "1", "weights"));
        apply(OWNER, new SetVisibility("bert", true));
        apply(HOST, new HostModel("bert", "1", 2));
        apply(CALLER, new Deposit(HOST.address(), 1_000));
    }

    void apply(KeyPair from, Payload p) throws Rejection {
        long nonce = nonces.getOrDefault(from, 0L);
        Transaction tx = new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, p).sign(from);
        assertThat(TransactionCodec.decode(tx.encoded()).body()).isEqualTo(tx.body());
        STF.applyTransaction(state, tx, height, SignatureCheck.VERIFY);
        nonces.put(from, nonce + 1);
    }

    /** The code a rejected transaction got; asserts it wrote nothing. */
    RejectCode rejected(KeyPair from, Payload p) {
        Map<Bytes, byte[]> before = new HashMap<>(state.writes());
        try {
            apply(from, p);
            return null;
        } catch (Rejection r) {
            assertThat(state.writes()).isEqualTo(before);
            return r.code();
        }
    }

    long balance(KeyPair k) {
        return state.account(k.address()).balance();
    }

    Escrow channel() {
        return ModelMarket.escrow(state, CALLER.address(), HOST.address());
    }

    static PaymentAuthorisation signed(KeyPair signer, KeyPair host, long authorised) {
        return PaymentAuthorisation.sign(signer, PaymentAuthorisation.channelId(Fixtures.CHAIN_ID, signer.address(), host.address()),
                authorised, Sha256.hash(("request for " + authorised).getBytes()));
    }

    /** The host settles {@code calls} calls of the caller, paid through the channel, carrying {@code auth} (or none). */
    void settle(long calls, PaymentAuthorisation auth) throws Rejection {
        apply(HOST, batch(calls, auth, null));
        nextSeq += calls;
    }

    ReceiptBatch batch(long calls, PaymentAuthorisation auth, Hash spendingKey) {
        return new ReceiptBatch(nextSeq, nextSeq + calls - 1, Hash.ZERO, List.of(new ReceiptBatch.Charge(CALLER.address(), "bert", "1", calls, spendingKey)),
                auth == null ? List.of() : List.of(auth));
    }

    @Test
    void aHostChargesExactlyWhatTheCallerAuthorisedAndNoMore() throws Rejection {
        long owner = balance(OWNER);
        settle(3, signed(CALLER, HOST, 3 * PRICE));
        assertThat(channel().balance()).isEqualTo(1_000 - 21);
        assertThat(channel().settled()).isEqualTo(21);
        assertThat(balance(OWNER)).isEqualTo(owner + 15);
        // Ten calls claimed, one more authorised: the host gets the 7 the caller signed for, not 70.
        settle(10, signed(CALLER, HOST, 4 * PRICE));
        assertThat(channel().balance()).isEqualTo(1_000 - 28);
        assertThat(channel().settled()).isEqualTo(28);
    }

    @Test
    void withoutAnAuthorisationNothingIsCharged() throws Rejection {
        long host = balance(HOST), owner = balance(OWNER);
        settle(5, null);
        assertThat(channel().balance()).isEqualTo(1_000);
        assertThat(balance(OWNER)).isEqualTo(owner);
        assertThat(balance(HOST)).as("only the transaction fee moved").isEqualTo(host - 1);
    }

    @Test
    void aReplayedOrLowerAuthorisationIsRefusedAndChangesNothing() throws Rejection {
        PaymentAuthorisation first = signed(CALLER, HOST, 2 * PRICE);
        settle(2, first);
        assertThat(rejected(HOST, batch(2, first, null))).as("the same authorisation again").isEqualTo(RejectCode.AUTHORISATION_REPLAYED);
        assertThat(rejected(HOST, batch(1, signed(CALLER, HOST, PRICE), null))).as("a lower one").isEqualTo(RejectCode.AUTHORISATION_REPLAYED);
        assertThat(channel().balance()).isEqualTo(1_000 - 14);
    }

    @Test
    void aForgedOrMisdirectedAuthorisationIsRefused() {
        PaymentAuthorisation real = signed(CALLER, HOST, 500);
        PaymentAuthorisation forged = new PaymentAuthorisation(CALLER.publicKey(), 900, real.requestDigest(), real.signature());
        assertThat(rejected(HOST, batch(1, forged, null))).as("amount changed after signing").isEqualTo(RejectCode.BAD_AUTHORISATION);
        PaymentAuthorisation byRogue = PaymentAuthorisation.sign(ROGUE, PaymentAuthorisation.channelId(Fixtures.CHAIN_ID, CALLER.address(), HOST.address()),
                500, real.requestDigest());
        PaymentAuthorisation claimed = new PaymentAuthorisation(CALLER.publicKey(), 500, real.requestDigest(), byRogue.signature());
        assertThat(rejected(HOST, batch(1, claimed, null))).as("signed by someone else").isEqualTo(RejectCode.BAD_AUTHORISATION);
        assertThat(rejected(HOST, batch(1, signed(CALLER, ROGUE, 500), null))).as("signed for another host's channel")
                .isEqualTo(RejectCode.BAD_AUTHORISATION);
        assertThat(channel().balance()).isEqualTo(1_000);
    }

    @Test
    void anApiKeySpendsOnlyWithinTheAllowanceItsAccountSigned() throws Rejection {
        Hash key = Sha256.hash("mck_example".getBytes());
        apply(HOST, batch(2, null, key));
        nextSeq += 2;
        assertThat(channel().balance()).as("no allowance: the operator alone cannot spend the account's escrow").isEqualTo(1_000);
        apply(ROGUE, new AllowSpendingKey(HOST.address(), key, 1_000, 100));
        apply(HOST, batch(2, null, key));
        nextSeq += 2;
        assertThat(channel().balance()).as("an allowance by another account does not count").isEqualTo(1_000);
        apply(CALLER, new AllowSpendingKey(HOST.address(), key, 20, 100));
        apply(HOST, batch(5, null, key));
        nextSeq += 5;
        assertThat(channel().balance()).as("spending stops at the cap").isEqualTo(980);
        apply(CALLER, new AllowSpendingKey(HOST.address(), key, 34, 100));
        assertThat(MarketRecords.Allowance.decode(state.get(MarketRecords.allowanceKey(CALLER.address(), HOST.address(), key))).spent())
                .as("raising the cap keeps what was spent").isEqualTo(20);
        height = 100;
        apply(HOST, batch(1, null, key));
        assertThat(channel().balance()).as("expired").isEqualTo(980);
        assertThat(channel().settled()).as("API-key spending does not use up the caller's signed authorisations").isZero();
    }

    @Test
    void callerClosesWhileTheHostHoldsAnUnsettledAuthorisation() throws Rejection {
        long caller = balance(CALLER), host = balance(HOST), owner = balance(OWNER);
        PaymentAuthorisation last = signed(CALLER, HOST, 10 * PRICE); // ten calls served, none settled yet
        apply(CALLER, new Withdraw(HOST.address(), 1_000));
        assertThat(channel().spendable()).as("closing: no new call can be paid").isZero();
        height += ModelMarket.ESCROW_TIMEOUT_BLOCKS - 1;
        settle(10, last); // the host settles inside the timeout
        assertThat(rejected(CALLER, new Withdraw(HOST.address(), 1_000))).isEqualTo(RejectCode.WITHDRAWAL_LOCKED);
        height += 1;
        apply(CALLER, new Withdraw(HOST.address(), 1_000));
        assertThat(channel().balance()).isZero();
        assertThat(balance(CALLER)).isEqualTo(caller - 2 + 1_000 - 70);
        assertThat(balance(HOST) + balance(OWNER)).isEqualTo(host - 1 + owner + 70);
        assertThat(rejected(HOST, batch(10, last, null))).as("after the close, the old authorisation is spent").isEqualTo(RejectCode.AUTHORISATION_REPLAYED);
    }

    @Test
    void hostSilentWhileTheCallerCloses() throws Rejection {
        long caller = balance(CALLER);
        apply(CALLER, new Withdraw(HOST.address(), 1_000));
        height += ModelMarket.ESCROW_TIMEOUT_BLOCKS;
        apply(CALLER, new Withdraw(HOST.address(), 1_000));
        assertThat(balance(CALLER)).isEqualTo(caller - 2 + 1_000);
        assertThat(channel().balance()).isZero();
        // The host wakes up late with an authorisation: the channel is empty, nothing is paid, no coin is created.
        long host = balance(HOST), owner = balance(OWNER);
        settle(3, signed(CALLER, HOST, 3 * PRICE));
        assertThat(balance(HOST) + balance(OWNER)).isEqualTo(host - 1 + owner);
        assertThat(channel().settled()).as("nothing was paid, so the authorisation is not used up").isZero();
    }
}
