package io.maaschain.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.PowSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.state.Account;
import io.maaschain.state.StateKeys;
import io.maaschain.state.WorldState;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockchainTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);
    static final Address MINER_A = Fixtures.key(10).address();
    static final Address MINER_B = Fixtures.key(11).address();
    static final long NOW = Long.MAX_VALUE / 2;

    final Genesis genesis = TestChain.genesis(ALICE, BOB);

    static long balance(Blockchain chain, Address a) {
        return new WorldState(chain.headState()).account(a).balance();
    }

    @Test
    void extendsTheHeadAndCreditsRewardAndFees() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis);
        Transaction tx = Fixtures.transfer(ALICE, BOB.address(), 100, 0, 3);
        Block b1 = TestChain.next(chain, List.of(tx), MINER_A);
        assertThat(chain.importBlock(b1, NOW)).isEqualTo(ImportResult.EXTENDED_HEAD);
        assertThat(chain.head().hash()).isEqualTo(b1.hash());
        assertThat(balance(chain, ALICE.address())).isEqualTo(1_000_000_000 - 103);
        assertThat(balance(chain, BOB.address())).isEqualTo(1_000_000_000 + 100);
        assertThat(balance(chain, MINER_A)).isEqualTo(50 + 3);
        assertThat(chain.index().transaction(tx.hash())).contains(new TxLocation(b1.hash(), 0));
        assertThat(chain.importBlock(b1, NOW)).isEqualTo(ImportResult.ALREADY_KNOWN);
    }

    @Test
    void reorgsToTheHeavierBranchAndRollsStateBackAndForward() throws Rejection {
        InMemoryStore store = new InMemoryStore();
        Blockchain chain = TestChain.open(store, genesis);
        // Branch A: one block that pays Bob 100.
        Block a1 = TestChain.next(chain, List.of(Fixtures.transfer(ALICE, BOB.address(), 100, 0, 1)), MINER_A);
        chain.importBlock(a1, NOW);
        Hash stateAfterA1 = chain.head().header().stateRoot();

        // Branch B: built on genesis by another chain instance, two blocks, different transfer.
        Blockchain other = TestChain.open(new InMemoryStore(), genesis);
        Block b1 = TestChain.next(other, List.of(Fixtures.transfer(ALICE, BOB.address(), 7, 0, 1)), MINER_B);
        other.importBlock(b1, NOW);
        Block b2 = TestChain.next(other, List.of(), MINER_B);
        other.importBlock(b2, NOW);

        assertThat(chain.importBlock(b1, NOW)).isEqualTo(ImportResult.STORED_SIDE_BRANCH);
        assertThat(chain.head().hash()).isEqualTo(a1.hash());
        assertThat(chain.importBlock(b2, NOW)).isEqualTo(ImportResult.REORGANIZED);
        assertThat(chain.head().hash()).isEqualTo(b2.hash());
        assertThat(chain.head().header().stateRoot()).isEqualTo(other.head().header().stateRoot());
        assertThat(balance(chain, BOB.address())).isEqualTo(1_000_000_007);
        assertThat(balance(chain, MINER_A)).isZero();
        assertThat(balance(chain, MINER_B)).isEqualTo(2 * 50 + 1);
        assertThat(chain.index().transaction(a1.transactions().getFirst().hash())).isEmpty();
        assertThat(chain.index().canonicalHash(1)).isEqualTo(b1.hash());

        // Reopening from the same store rebuilds the same head and state root.
        Blockchain reopened = TestChain.open(store, genesis);
        assertThat(reopened.head().hash()).isEqualTo(b2.hash());
        assertThat(reopened.head().stateTree().root()).isEqualTo(other.head().header().stateRoot());
        assertThat(stateAfterA1).isNotEqualTo(reopened.head().header().stateRoot());
    }

    @Test
    void forkChoiceIsByWorkNotLength() throws Rejection {
        Genesis retargeting = io.maaschain.ledger.genesis.GenesisParser.parse(TestChain.genesisJson(false, ALICE, BOB));
        Blockchain chain = TestChain.open(new InMemoryStore(), retargeting);
        // Branch A: four slow blocks; the target stays at the limit.
        for (int i = 1; i <= 4; i++) {
            chain.importBlock(TestChain.nextAt(chain, List.of(), MINER_A, TestChain.GENESIS_TIME + i * 3_600_000L), NOW);
        }
        // Branch B: two fast blocks; retargeting makes the second one four times harder.
        Blockchain other = TestChain.open(new InMemoryStore(), retargeting);
        Block b1 = TestChain.nextAt(other, List.of(), MINER_B, TestChain.GENESIS_TIME + 1);
        other.importBlock(b1, NOW);
        Block b2 = TestChain.nextAt(other, List.of(), MINER_B, TestChain.GENESIS_TIME + 2);
        other.importBlock(b2, NOW);
        assertThat(other.head().totalWork()).isGreaterThan(chain.head().totalWork());

        assertThat(chain.importBlock(b1, NOW)).isEqualTo(ImportResult.STORED_SIDE_BRANCH);
        assertThat(chain.importBlock(b2, NOW)).isEqualTo(ImportResult.REORGANIZED);
        assertThat(chain.head().height()).isEqualTo(2);
        assertThat(chain.index().canonicalHash(3)).as("heights above the new, shorter head are unindexed").isNull();
        assertThat(balance(chain, MINER_A)).isZero();
        assertThat(balance(chain, MINER_B)).isEqualTo(100);
    }

    @Test
    void invalidBlocksAreRejectedWithTheirReasonAndChangeNothing() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis);
        Hash head = chain.head().hash();
        Block good = TestChain.next(chain, List.of(Fixtures.transfer(ALICE, BOB.address(), 100, 0, 1)), MINER_A);

        Header h = good.header();
        Block badStateRoot = TestChain.seal(new Block(new Header(h.height(), h.parentHash(), h.timestampMillis(), h.txRoot(),
                Hash.ZERO, h.proposer(), h.txCount(), h.seal()), good.transactions()));
        assertRejected(chain, badStateRoot, RejectCode.INVALID_STATE_ROOT);

        Block badTxRoot = TestChain.seal(new Block(new Header(h.height(), h.parentHash(), h.timestampMillis(), Hash.ZERO,
                h.stateRoot(), h.proposer(), h.txCount(), h.seal()), good.transactions()));
        assertRejected(chain, badTxRoot, RejectCode.INVALID_BODY);

        Block orphan = TestChain.seal(new Block(new Header(h.height(), Hash.ZERO, h.timestampMillis(), h.txRoot(),
                h.stateRoot(), h.proposer(), h.txCount(), h.seal()), good.transactions()));
        assertRejected(chain, orphan, RejectCode.UNKNOWN_PARENT);

        Block stale = TestChain.seal(new Block(new Header(h.height(), h.parentHash(), TestChain.GENESIS_TIME, h.txRoot(),
                h.stateRoot(), h.proposer(), h.txCount(), h.seal()), good.transactions()));
        assertRejected(chain, stale, RejectCode.INVALID_HEADER);

        Block future = TestChain.seal(new Block(new Header(h.height(), h.parentHash(), NOW + Blockchain.MAX_FUTURE_DRIFT_MILLIS + 1, h.txRoot(),
                h.stateRoot(), h.proposer(), h.txCount(), h.seal()), good.transactions()));
        assertRejected(chain, future, RejectCode.INVALID_HEADER);

        int bits = ((PowSeal) h.seal()).bits();
        Block unsealed = unsealed(good, bits);
        assertRejected(chain, unsealed, RejectCode.INVALID_SEAL);

        Block wrongBits = TestChain.seal(new Block(h.withSeal(new PowSeal(0x1f00ffff, 0)), good.transactions()));
        assertRejected(chain, wrongBits, RejectCode.INVALID_SEAL);

        Block doubleSpend = TestChain.seal(new Block(h, List.of(good.transactions().getFirst(), good.transactions().getFirst())));
        assertRejected(chain, doubleSpend, RejectCode.INVALID_BODY);

        assertThat(chain.head().hash()).isEqualTo(head);
        assertThat(chain.importBlock(good, NOW)).isEqualTo(ImportResult.EXTENDED_HEAD);
        assertRejected(chain, badStateRoot, RejectCode.KNOWN_INVALID);
    }

    /** A nonce whose hash misses the target. */
    private static Block unsealed(Block good, int bits) {
        for (long nonce = 0; ; nonce++) {
            Header c = good.header().withSeal(new PowSeal(bits, nonce));
            if (!io.maaschain.consensus.pow.PowSealVerifier.meets(c.hash(), io.maaschain.consensus.pow.CompactTarget.toTarget(bits))) {
                return new Block(c, good.transactions());
            }
        }
    }

    private static void assertRejected(Blockchain chain, Block block, RejectCode code) {
        assertThatThrownBy(() -> chain.importBlock(block, NOW)).isInstanceOf(Rejection.class)
                .satisfies(e -> assertThat(((Rejection) e).code()).as(e.getMessage()).isEqualTo(code));
    }

    @Test
    void refusesADatabaseWhoseStateWasTamperedWith() throws Rejection {
        InMemoryStore store = new InMemoryStore();
        Blockchain chain = TestChain.open(store, genesis);
        chain.importBlock(TestChain.next(chain, List.of(Fixtures.transfer(ALICE, BOB.address(), 100, 0, 1)), MINER_A), NOW);
        try (var batch = store.newBatch()) {
            batch.put(io.maaschain.storage.Column.STATE, StateKeys.account(BOB.address()).toArray(), new Account(999, 0).encode());
            batch.commit();
        }
        assertThatThrownBy(() -> TestChain.open(store, genesis)).hasMessageContaining("state root");
    }

    @Test
    void refusesADatabaseOfAnotherChain() {
        InMemoryStore store = new InMemoryStore();
        TestChain.open(store, genesis);
        assertThatThrownBy(() -> TestChain.open(store, TestChain.genesis(BOB))).hasMessageContaining("another chain");
    }

    @Test
    void statesProofsVerifyAgainstTheHeadStateRoot() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis);
        chain.importBlock(TestChain.next(chain, List.of(Fixtures.register(ALICE, Fixtures.model("bert", "1", "w"), 0)), MINER_A), NOW);
        Bytes key = StateKeys.modelVersion("bert", "1");
        Blockchain.ProvenValue pv = chain.prove(key);
        assertThat(pv.proof().verifyInclusion(pv.head().header().stateRoot(), StateCommitment.treeKey(key), StateCommitment.valueHash(pv.value()))).isTrue();
        Bytes absent = StateKeys.modelVersion("bert", "2");
        assertThat(chain.prove(absent).proof().verifyNonInclusion(chain.head().header().stateRoot(), StateCommitment.treeKey(absent))).isTrue();
    }

    @Test
    void ownBlocksReuseTheBuildersExecutionOnlyWhileNothingWasCommitted() throws Rejection {
        InMemoryStore store = new InMemoryStore();
        Blockchain chain = TestChain.open(store, genesis);
        BlockBuilder builder = new BlockBuilder(chain, io.maaschain.state.SignatureCheck.VERIFY);
        BlockBuilder.Template t1 = builder.build(List.of(Fixtures.transfer(ALICE, BOB.address(), 100, 0, 1)), MINER_A, TestChain.GENESIS_TIME + 1000);
        Block b1 = TestChain.seal(t1.block());
        assertThat(chain.importOwnBlock(b1, t1, NOW)).isEqualTo(ImportResult.EXTENDED_HEAD);

        // A template built before another block was committed is executed again, not trusted: here it no longer
        // extends the head, so it is stored on a side branch.
        BlockBuilder.Template stale = builder.build(List.of(), MINER_B, TestChain.GENESIS_TIME + 2000);
        chain.importBlock(TestChain.next(chain, List.of(Fixtures.transfer(ALICE, BOB.address(), 5, 1, 1)), MINER_A), NOW);
        assertThat(chain.importOwnBlock(TestChain.seal(stale.block()), stale, NOW)).isEqualTo(ImportResult.STORED_SIDE_BRANCH);

        // A sealed block whose body differs from its template is executed and judged on its own.
        BlockBuilder.Template t3 = builder.build(List.of(), MINER_A, chain.head().header().timestampMillis() + 1000);
        Block forged = TestChain.seal(new Block(t3.block().header(), List.of(Fixtures.transfer(ALICE, BOB.address(), 5, 2, 1))));
        assertThatThrownBy(() -> chain.importOwnBlock(forged, t3, NOW)).isInstanceOf(Rejection.class);

        // Whatever path each block took, the stored state is what replaying the chain gives.
        Blockchain reopened = TestChain.open(store, genesis);
        assertThat(reopened.head().stateTree().root()).isEqualTo(chain.head().header().stateRoot());
        assertThat(balance(reopened, BOB.address())).isEqualTo(1_000_000_000 + 105);
    }
}
