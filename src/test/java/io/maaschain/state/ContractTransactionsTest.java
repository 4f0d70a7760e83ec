package io.maaschain.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Bytes;
import io.maaschain.contracts.CallStatus;
import io.maaschain.contracts.GasSchedule;
import io.maaschain.contracts.TestContracts;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.CallContract;
import io.maaschain.ledger.tx.DeployCode;
import io.maaschain.ledger.tx.Instantiate;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.SetModelPolicy;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract transactions on a world state: deploy once, instantiate, call, failures that revert but pay. */
class ContractTransactionsTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);
    static final StateTransition STF = new StateTransition(new ChainParams(Fixtures.CHAIN_ID, 1, 1000, 1 << 20));
    static final long START = 10_000_000;

    WorldState state;
    final Map<KeyPair, Long> nonces = new HashMap<>();
    Transaction last;

    @BeforeEach
    void setUp() {
        Map<Bytes, byte[]> base = new HashMap<>();
        for (KeyPair k : List.of(ALICE, BOB)) base.put(StateKeys.account(k.address()), new Account(START, 0).encode());
        state = new WorldState(base::get);
    }

    long apply(KeyPair from, Payload p) throws Rejection {
        long nonce = nonces.getOrDefault(from, 0L);
        Transaction tx = new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, p).sign(from);
        assertThat(TransactionCodec.decode(tx.encoded()).body()).isEqualTo(tx.body());
        long collected = STF.applyTransaction(state, tx, new BlockContext(5, 1_000), SignatureCheck.VERIFY);
        nonces.put(from, nonce + 1);
        last = tx;
        return collected;
    }

    TxResult result() {
        return TxResult.decode(state.get(ContractRecords.resultKey(last.hash())));
    }

    Address instantiate(KeyPair from, byte[] code, long value) throws Rejection {
        Hash hash = Sha256.hash(code);
        if (state.get(ContractRecords.codeKey(hash)) == null) apply(from, new DeployCode(code, 1_000_000));
        apply(from, new Instantiate(hash, new byte[0], value, 100_000));
        assertThat(result().status()).isEqualTo(CallStatus.OK);
        return Address.wrap(result().returnData());
    }

    long balance(Address a) {
        return state.account(a).balance();
    }

    static long le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void codeDeploysOnceAndInstancesKeepSeparateStorage() throws Rejection {
        byte[] code = TestContracts.multi();
        long collected = apply(ALICE, new DeployCode(code, 1_000_000));
        TxResult deployed = result();
        assertThat(deployed.status()).isEqualTo(CallStatus.OK);
        assertThat(Hash.wrap(deployed.returnData())).isEqualTo(Sha256.hash(code));
        assertThat(collected).isEqualTo(1 + deployed.gasCoins());
        assertThat(state.get(ContractRecords.codeKey(Sha256.hash(code)))).isEqualTo(code);
        apply(BOB, new DeployCode(code, 1_000_000));
        assertThat(result().status()).isEqualTo(CallStatus.CODE_EXISTS);

        Address one = instantiate(ALICE, code, 0);
        Address two = instantiate(BOB, code, 0);
        assertThat(one).isNotEqualTo(two);
        apply(BOB, new CallContract(one, "increment", new byte[0], 0, 100_000));
        apply(BOB, new CallContract(one, "increment", new byte[0], 0, 100_000));
        assertThat(le(result().returnData())).isEqualTo(2);
        apply(BOB, new CallContract(two, "increment", new byte[0], 0, 100_000));
        assertThat(le(result().returnData())).isEqualTo(1);
    }

    @Test
    void anInvalidModuleIsIncludedAsAFailureThatPaysItsFee() throws Rejection {
        byte[] notWasm = {1, 2, 3, 4};
        long before = balance(ALICE.address());
        long collected = apply(ALICE, new DeployCode(notWasm, 1_000_000));
        TxResult r = result();
        assertThat(r.status()).isEqualTo(CallStatus.INVALID_MODULE);
        assertThat(r.message()).startsWith("MALFORMED");
        assertThat(state.get(ContractRecords.codeKey(Sha256.hash(notWasm)))).isNull();
        assertThat(balance(ALICE.address())).isEqualTo(before - collected);
        assertThat(collected).isEqualTo(1 + GasSchedule.coins(r.gasUsed())).isGreaterThan(1);
    }

    @Test
    void aFailedCallRevertsEverythingButPaysFeeAndGasAndReturnsTheValue() throws Rejection {
        Address c = instantiate(ALICE, TestContracts.multi(), 0);
        Map<Bytes, byte[]> before = new HashMap<>(state.writes());
        long bob = balance(BOB.address());
        long collected = apply(BOB, new CallContract(c, "fail", new byte[0], 500, 100_000));
        TxResult r = result();
        assertThat(r.status()).isEqualTo(CallStatus.ABORTED);
        assertThat(r.message()).isEqualTo("reverted: no");
        assertThat(r.events()).isEmpty();
        assertThat(balance(BOB.address())).isEqualTo(bob - collected);
        assertThat(balance(c)).isZero();
        // Only the sender's account (fee, gas, nonce) and the result record changed.
        Map<Bytes, byte[]> changed = new HashMap<>(state.writes());
        changed.keySet().removeAll(before.keySet());
        assertThat(changed.keySet()).containsExactlyInAnyOrder(StateKeys.account(BOB.address()), ContractRecords.resultKey(last.hash()));

        apply(BOB, new CallContract(c, "spin", new byte[0], 0, 200_000));
        assertThat(result().status()).isEqualTo(CallStatus.OUT_OF_GAS);
        assertThat(result().gasUsed()).isEqualTo(200_000);
        assertThat(result().gasCoins()).isEqualTo(200);
        apply(BOB, new CallContract(c, "nothing_here", new byte[0], 0, 200_000));
        assertThat(result().status()).isEqualTo(CallStatus.MISSING_FUNCTION);
    }

    @Test
    void valueEventsTransfersAndReentrance() throws Rejection {
        Address c = instantiate(ALICE, TestContracts.multi(), 1_000);
        assertThat(balance(c)).isEqualTo(1_000);
        apply(BOB, new CallContract(c, "note", new byte[0], 0, 100_000));
        assertThat(result().events()).hasSize(1);
        assertThat(state.get(ContractRecords.eventCountKey(c))).isNotNull();
        long bob = balance(BOB.address());
        byte[] amount = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(400).array();
        long collected = apply(BOB, new CallContract(c, "pay", amount, 0, 100_000));
        assertThat(result().status()).isEqualTo(CallStatus.OK);
        assertThat(balance(BOB.address())).isEqualTo(bob - collected + 400);
        byte[] tooMuch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(601).array();
        apply(BOB, new CallContract(c, "pay", tooMuch, 0, 100_000));
        assertThat(result().status()).isEqualTo(CallStatus.INSUFFICIENT_CONTRACT_BALANCE);
        assertThat(balance(c)).isEqualTo(600);
        apply(BOB, new CallContract(c, "callself", new byte[0], 0, 300_000));
        assertThat(result().status()).isEqualTo(CallStatus.OK);
        assertThat(ByteBuffer.wrap(result().returnData()).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(CallStatus.REENTRANCE.code());
    }

    @Test
    void oneContractCallsAnother() throws Rejection {
        Address counter = instantiate(ALICE, TestContracts.multi(), 0);
        Address fwd = instantiate(ALICE, TestContracts.forwarder(), 0);
        apply(BOB, new CallContract(fwd, "forward", counter.toBytes(), 0, 2_000_000));
        TxResult r = result();
        assertThat(r.status()).isEqualTo(CallStatus.OK);
        ByteBuffer b = ByteBuffer.wrap(r.returnData()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt()).isEqualTo(0);
        assertThat(b.getLong()).isEqualTo(1);
        apply(BOB, new CallContract(fwd, "forward", BOB.address().toBytes(), 0, 2_000_000));
        assertThat(ByteBuffer.wrap(result().returnData()).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(CallStatus.CONTRACT_NOT_FOUND.code());
    }

    @Test
    void whatCannotBePaidOrIsNotOwnedIsRejectedAndChangesNothing() throws Rejection {
        Address c = instantiate(ALICE, TestContracts.multi(), 0);
        Map<Bytes, byte[]> before = new HashMap<>(state.writes());
        try {
            apply(BOB, new CallContract(c, "increment", new byte[0], START, 100_000));
            throw new AssertionError("accepted");
        } catch (Rejection r) {
            assertThat(r.code()).isEqualTo(RejectCode.INSUFFICIENT_BALANCE);
        }
        try {
            apply(BOB, new SetModelPolicy("nobody-s-model", Optional.of(c)));
            throw new AssertionError("accepted");
        } catch (Rejection r) {
            assertThat(r.code()).isEqualTo(RejectCode.MODEL_NOT_FOUND);
        }
        assertThat(state.writes()).containsOnlyKeys(before.keySet().toArray(new Bytes[0]));
    }

    @Test
    void gasUsedIsTheSameOnAnotherStateCopy() throws Rejection {
        Address c = instantiate(ALICE, TestContracts.multi(), 0);
        apply(BOB, new CallContract(c, "increment", new byte[0], 0, 100_000));
        long gas = result().gasUsed();
        setUp();
        nonces.clear();
        Address again = instantiate(ALICE, TestContracts.multi(), 0);
        assertThat(again).isEqualTo(c);
        apply(BOB, new CallContract(again, "increment", new byte[0], 0, 100_000));
        assertThat(result().gasUsed()).isEqualTo(gas);
    }
}
