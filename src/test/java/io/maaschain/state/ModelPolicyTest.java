package io.maaschain.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Bytes;
import io.maaschain.contracts.CallOutcome;
import io.maaschain.contracts.CallStatus;
import io.maaschain.contracts.TestContracts;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.CallContract;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.DeployCode;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Instantiate;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.SetModelPolicy;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model governed by a policy contract: its authorize answer prices each settled charge, and the model's part goes to
 * the contract. bert/1 is registered at 5 per call, hosted at 2.
 */
class ModelPolicyTest {
    static final KeyPair OWNER = Fixtures.key(1);
    static final KeyPair HOST = Fixtures.key(2);
    static final KeyPair CALLER = Fixtures.key(3);
    static final StateTransition STF = new StateTransition(new ChainParams(Fixtures.CHAIN_ID, 1, 1000, 1 << 20));
    static final BlockContext BLOCK = new BlockContext(5, 1_000);

    WorldState state;
    final Map<KeyPair, Long> nonces = new HashMap<>();
    long nextSeq;
    Address policy;

    @BeforeEach
    void setUp() throws Rejection {
        Map<Bytes, byte[]> base = new HashMap<>();
        for (KeyPair k : List.of(OWNER, HOST, CALLER)) base.put(StateKeys.account(k.address()), new Account(10_000_000, 0).encode());
        state = new WorldState(base::get);
        apply(OWNER, Fixtures.model("bert", "1", "weights"));
        apply(OWNER, new SetVisibility("bert", true));
        apply(HOST, new HostModel("bert", "1", 2));
        apply(CALLER, new Deposit(HOST.address(), 1_000));
    }

    void apply(KeyPair from, Payload p) throws Rejection {
        long nonce = nonces.getOrDefault(from, 0L);
        Transaction tx = new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, p).sign(from);
        STF.applyTransaction(state, tx, BLOCK, SignatureCheck.VERIFY);
        nonces.put(from, nonce + 1);
    }

    Address deploy(byte[] code) throws Rejection {
        apply(OWNER, new DeployCode(code, 1_000_000));
        long nonce = nonces.get(OWNER);
        apply(OWNER, new Instantiate(Sha256.hash(code), new byte[0], 0, 100_000));
        return ContractRecords.contractAddress(OWNER.address(), nonce);
    }

    /** The policy answers {@code answer} (9 bytes) from now on. */
    void answer(byte[] answer) throws Rejection {
        apply(OWNER, new CallContract(policy, "set", answer, 0, 100_000));
    }

    static byte[] allow(long price) {
        return ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1).putLong(price).array();
    }

    void settle(long calls, long authorised) throws Rejection {
        PaymentAuthorisation auth = PaymentAuthorisation.sign(CALLER,
                PaymentAuthorisation.channelId(Fixtures.CHAIN_ID, CALLER.address(), HOST.address()), authorised, Sha256.hash(new byte[] {1}));
        apply(HOST, new ReceiptBatch(nextSeq, nextSeq + calls - 1, Hash.ZERO,
                List.of(new ReceiptBatch.Charge(CALLER.address(), "bert", "1", calls, null)), List.of(auth)));
        nextSeq += calls;
    }

    long balance(Address a) {
        return state.account(a).balance();
    }

    @Test
    void thePolicysPriceIsChargedAndTheModelsPartPaidToIt() throws Rejection {
        policy = deploy(TestContracts.policy());
        apply(OWNER, new SetModelPolicy("bert", Optional.of(policy)));
        answer(allow(11));
        long owner = balance(OWNER.address());
        long host = balance(HOST.address());
        settle(3, 1_000);
        assertThat(ModelMarket.escrow(state, CALLER.address(), HOST.address()).balance()).isEqualTo(1_000 - 3 * (11 + 2));
        assertThat(balance(policy)).as("the model's part goes to the policy contract").isEqualTo(33);
        assertThat(balance(OWNER.address())).isEqualTo(owner);
        assertThat(balance(HOST.address())).isEqualTo(host - 1 + 6);
    }

    @Test
    void aDenialOrAFailingPolicyLeavesOnlyTheHostsPart() throws Rejection {
        policy = deploy(TestContracts.policy());
        apply(OWNER, new SetModelPolicy("bert", Optional.of(policy)));
        byte[] deny = "\0no more".getBytes(StandardCharsets.US_ASCII);
        answer(java.util.Arrays.copyOf(deny, 9));
        settle(2, 1_000);
        assertThat(ModelMarket.escrow(state, CALLER.address(), HOST.address()).balance()).isEqualTo(1_000 - 2 * 2);
        assertThat(balance(policy)).isZero();

        Address spinning = deploy(TestContracts.spinningPolicy());
        apply(OWNER, new SetModelPolicy("bert", Optional.of(spinning)));
        settle(1, 1_000);
        assertThat(ModelMarket.escrow(state, CALLER.address(), HOST.address()).balance()).isEqualTo(1_000 - 3 * 2);
    }

    @Test
    void withoutAPolicyTheRegisteredPriceGoesToTheOwner() throws Rejection {
        long owner = balance(OWNER.address());
        settle(2, 1_000);
        assertThat(balance(OWNER.address())).isEqualTo(owner + 10);
    }

    @Test
    void answersDecodeStrictly() {
        assertThat(ModelPolicies.decode(ok(new byte[] {1}), 5)).isEqualTo(new ModelPolicies.Decision.Allow(5));
        assertThat(ModelPolicies.decode(ok(allow(0)), 5)).isEqualTo(new ModelPolicies.Decision.Allow(0));
        assertThat(ModelPolicies.decode(ok(allow(Long.MAX_VALUE)), 5)).isEqualTo(new ModelPolicies.Decision.Allow(Long.MAX_VALUE));
        assertThat(ModelPolicies.decode(ok(allow(-1)), 5)).isInstanceOf(ModelPolicies.Decision.Deny.class);
        assertThat(ModelPolicies.decode(ok(new byte[] {1, 2, 3}), 5)).isEqualTo(
                new ModelPolicies.Decision.Deny("the policy contract's answer is malformed: allow takes 1 or 9 bytes, got 3"));
        assertThat(ModelPolicies.decode(ok(new byte[0]), 5)).isEqualTo(new ModelPolicies.Decision.Deny("the policy contract answered nothing"));
        assertThat(ModelPolicies.decode(ok("\0licence expired".getBytes(StandardCharsets.UTF_8)), 5))
                .isEqualTo(new ModelPolicies.Decision.Deny("licence expired"));
        assertThat(ModelPolicies.decode(ok(new byte[] {0, (byte) 0xff}), 5)).isEqualTo(
                new ModelPolicies.Decision.Deny("denied by the model's policy contract (its reason is not UTF-8)"));
        assertThat(ModelPolicies.decode(CallOutcome.failed(CallStatus.OUT_OF_GAS, 1_000_000, ""), 5))
                .isEqualTo(new ModelPolicies.Decision.Deny("the policy contract failed: OUT_OF_GAS"));
        String longReason = "\0" + "x".repeat(500);
        assertThat(((ModelPolicies.Decision.Deny) ModelPolicies.decode(ok(longReason.getBytes(StandardCharsets.UTF_8)), 5)).reason())
                .hasSize(ModelPolicies.MAX_REASON_CHARS + 3);
    }

    static CallOutcome ok(byte[] data) {
        return new CallOutcome(CallStatus.OK, 10, data, "");
    }
}
