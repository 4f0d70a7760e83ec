package io.maaschain.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.consensus.BlockRef;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The final block pointer: finality overrides fork choice, and nothing that conflicts with a final block is accepted. */
class FinalityTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);
    static final Address MINER_A = Fixtures.key(10).address();
    static final Address MINER_B = Fixtures.key(11).address();
    static final long NOW = Long.MAX_VALUE / 2;

    final Genesis genesis = TestChain.genesis(ALICE, BOB);

    @Test
    void finalizingASideBlockReorganisesToItAndConflictsAreRefusedAfterwardsAndAfterAReopen() throws Rejection {
        InMemoryStore store = new InMemoryStore();
        Blockchain chain = TestChain.open(store, genesis);
        assertThat(chain.finalized()).isEqualTo(new BlockRef(0, chain.genesisHash()));
        Block a1 = TestChain.next(chain, List.of(Fixtures.transfer(ALICE, BOB.address(), 1, 0, 1)), MINER_A);
        chain.importBlock(a1, NOW);
        Block a2 = TestChain.next(chain, List.of(), MINER_A);
        chain.importBlock(a2, NOW);

        Blockchain other = TestChain.open(new InMemoryStore(), genesis);
        Block b1 = TestChain.next(other, List.of(Fixtures.transfer(ALICE, BOB.address(), 2, 0, 1)), MINER_B);
        other.importBlock(b1, NOW);
        assertThat(chain.importBlock(b1, NOW)).isEqualTo(ImportResult.STORED_SIDE_BRANCH);

        chain.finalize(b1.hash());
        assertThat(chain.head().hash()).as("finality overrides the heavier branch").isEqualTo(b1.hash());
        assertThat(chain.head().header().stateRoot()).isEqualTo(other.head().header().stateRoot());
        assertThat(chain.finalized()).isEqualTo(new BlockRef(1, b1.hash()));

        Blockchain mirror = TestChain.open(new InMemoryStore(), genesis);
        mirror.importBlock(a1, NOW);
        mirror.importBlock(a2, NOW);
        Block a3 = TestChain.next(mirror, List.of(), MINER_A);
        assertThatThrownBy(() -> chain.importBlock(a3, NOW)).isInstanceOf(Rejection.class)
                .extracting(e -> ((Rejection) e).code()).isIn(RejectCode.FINALITY_CONFLICT, RejectCode.KNOWN_INVALID);
        assertThat(chain.head().hash()).isEqualTo(b1.hash());
        assertThatThrownBy(() -> chain.finalize(a1.hash())).isInstanceOf(Rejection.class)
                .extracting(e -> ((Rejection) e).code()).isEqualTo(RejectCode.FINALITY_CONFLICT);

        Blockchain reopened = TestChain.open(store, genesis);
        assertThat(reopened.finalized()).isEqualTo(new BlockRef(1, b1.hash()));
        assertThat(reopened.head().hash()).isEqualTo(b1.hash());
    }

    @Test
    void aFreshBlockBelowTheFinalHeightIsRefused() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis);
        Block a1 = TestChain.next(chain, List.of(), MINER_A);
        chain.importBlock(a1, NOW);
        Block a2 = TestChain.next(chain, List.of(), MINER_A);
        chain.importBlock(a2, NOW);
        chain.finalize(a2.hash());
        Blockchain other = TestChain.open(new InMemoryStore(), genesis);
        Block b1 = TestChain.next(other, List.of(), MINER_B);
        assertThatThrownBy(() -> chain.importBlock(b1, NOW)).isInstanceOf(Rejection.class)
                .extracting(e -> ((Rejection) e).code()).isEqualTo(RejectCode.FINALITY_CONFLICT);
        assertThat(chain.head().hash()).isEqualTo(a2.hash());
    }

    /** A block checked first (a bft proposal) and imported afterwards commits exactly what executing it on import would. */
    @Test
    void importingACheckedBlockCommitsTheSameStateAsImportingItDirectly() throws Rejection {
        InMemoryStore checkedStore = new InMemoryStore();
        Blockchain checked = TestChain.open(checkedStore, genesis);
        Blockchain direct = TestChain.open(new InMemoryStore(), genesis);
        Block b1 = TestChain.next(checked, List.of(Fixtures.transfer(ALICE, BOB.address(), 5, 0, 1)), MINER_A);
        checked.check(b1, NOW);
        assertThat(checked.head().height()).as("checking stores nothing").isZero();
        checked.importBlock(b1, NOW);
        direct.importBlock(b1, NOW);
        assertThat(checked.head().header().stateRoot()).isEqualTo(direct.head().header().stateRoot()).isEqualTo(b1.header().stateRoot());
        // Reopening rebuilds the state tree from the stored entries and refuses to start if they differ from the root.
        assertThat(TestChain.open(checkedStore, genesis).head().hash()).isEqualTo(b1.hash());

        // A check that went stale (another block committed meanwhile) is not reused: the next block still executes.
        Block b2 = TestChain.next(checked, List.of(Fixtures.transfer(ALICE, BOB.address(), 6, 1, 1)), MINER_A);
        checked.check(b2, NOW);
        Block b2other = TestChain.next(direct, List.of(), MINER_B);
        checked.importBlock(b2other, NOW);
        assertThat(checked.importBlock(b2, NOW)).isEqualTo(ImportResult.STORED_SIDE_BRANCH);
        assertThat(TestChain.open(checkedStore, genesis).head().hash()).isEqualTo(b2other.hash());
    }
}
