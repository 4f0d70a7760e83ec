package io.maaschain.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.state.Account;
import io.maaschain.state.StateKeys;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Past states rebuilt from undo records: each proof verifies against its own block's state root, with that block's value. */
class StateHistoryTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);
    static final long NOW = Long.MAX_VALUE / 2;

    @Test
    void everyPastValueIsProvenAgainstItsOwnBlock() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis(ALICE, BOB));
        Bytes key = StateKeys.account(BOB.address());
        List<byte[]> values = new ArrayList<>();
        values.add(chain.headState().get(key));
        for (int i = 0; i < 6; i++) {
            // Bob's balance changes at every other block; the blocks in between leave his key alone.
            List<io.maaschain.ledger.tx.Transaction> txs = i % 2 == 0 ? List.of(Fixtures.transfer(ALICE, BOB.address(), 10 + i, i / 2, 1)) : List.of();
            Block b = TestChain.next(chain, txs, Fixtures.key(10).address());
            chain.importBlock(b, NOW);
            values.add(chain.headState().get(key));
        }
        List<Blockchain.PastValue> history = chain.proveHistory(key, 0, 100);
        assertThat(history).hasSize(7);
        for (int h = 0; h <= 6; h++) {
            Blockchain.PastValue p = history.get(h);
            assertThat(p.header()).isEqualTo(chain.index().canonicalBlock(h).header());
            assertThat(p.value()).isEqualTo(values.get(h));
            assertThat(p.proof().verifyInclusion(p.header().stateRoot(), StateCommitment.treeKey(key), StateCommitment.valueHash(p.value()))).isTrue();
        }
        assertThat(Account.decode(history.get(6).value()).balance()).isGreaterThan(Account.decode(history.get(0).value()).balance());
        assertThat(chain.proveHistory(key, 3, 4)).extracting(p -> p.header().height()).containsExactly(3L, 4L);
        assertThat(chain.proveHistory(key, 7, 9)).isEmpty();
    }
}
