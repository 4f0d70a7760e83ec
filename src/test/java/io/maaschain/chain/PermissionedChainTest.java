package io.maaschain.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.tx.UpdatePermissions;
import io.maaschain.state.Permissions;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateTransition;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionedChainTest {
    static final KeyPair ADMIN = Fixtures.key(1);
    static final KeyPair MEMBER = Fixtures.key(2);
    static final KeyPair OUTSIDER = Fixtures.key(3);
    static final KeyPair NODE_A = Fixtures.key(20);
    static final KeyPair NODE_B = Fixtures.key(21);
    static final long NOW = Long.MAX_VALUE / 2;

    static Genesis genesis() {
        String json = TestChain.genesisJson(ADMIN, MEMBER, OUTSIDER).replace("\"alloc\"", """
                "permissioned": {"admins": ["%s"], "accounts": ["%s"], "nodes": ["%s"]},
                 "alloc\"""".formatted(ADMIN.address(), MEMBER.address(), NODE_A.publicKey().toHex()));
        return GenesisParser.parse(json);
    }

    static Transaction update(KeyPair from, long nonce, UpdatePermissions u) {
        return new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, u).sign(from);
    }

    static UpdatePermissions addAccountAndNode() {
        return new UpdatePermissions(List.of(OUTSIDER.address()), List.of(), List.of(NODE_B.publicKey()), List.of(), List.of(), List.of());
    }

    @Test
    void onlyMembersTransactAndOnlyAdminsChangeMembershipAtOneHeight() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis());
        TxPool pool = new TxPool(chain.transition(), SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
        assertThat(Permissions.mayConnect(chain.headState(), NODE_A.publicKey())).isTrue();
        assertThat(Permissions.mayConnect(chain.headState(), NODE_B.publicKey())).isFalse();

        Transaction outsiderTx = Fixtures.transfer(OUTSIDER, MEMBER.address(), 5, 0, 1);
        assertThatThrownBy(() -> pool.add(outsiderTx, chain.headState()))
                .satisfies(e -> assertThat(((Rejection) e).code()).isEqualTo(RejectCode.SENDER_NOT_ALLOWED));
        assertThatThrownBy(() -> pool.add(update(MEMBER, 0, addAccountAndNode()), chain.headState()))
                .satisfies(e -> assertThat(((Rejection) e).code()).isEqualTo(RejectCode.NOT_ADMIN));

        pool.add(Fixtures.transfer(MEMBER, ADMIN.address(), 5, 0, 1), chain.headState());
        pool.add(update(ADMIN, 0, addAccountAndNode()), chain.headState());
        Block b1 = TestChain.next(chain, pool.select(10, chain.headState()), ADMIN.address());
        assertThat(b1.transactions()).hasSize(2);
        chain.importBlock(b1, NOW);

        assertThat(Permissions.mayConnect(chain.headState(), NODE_B.publicKey())).isTrue();
        pool.onHeadChanged(List.of(), List.of(b1), chain.headState());
        pool.add(outsiderTx, chain.headState());
        chain.importBlock(TestChain.next(chain, pool.select(10, chain.headState()), ADMIN.address()), NOW);
        assertThat(chain.head().height()).isEqualTo(2);
        assertThat(chain.index().transaction(outsiderTx.hash())).isPresent();
    }

    @Test
    void aBlockCarryingAnOutsidersTransactionIsInvalid() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis());
        // Build the block on a chain that is not permissioned, then offer it to the permissioned one.
        Blockchain open = TestChain.open(new InMemoryStore(), TestChain.genesis(ADMIN, MEMBER, OUTSIDER));
        Block b = TestChain.next(open, List.of(Fixtures.transfer(OUTSIDER, MEMBER.address(), 5, 0, 1)), ADMIN.address());
        Block rebased = TestChain.seal(new Block(new io.maaschain.ledger.block.Header(1, chain.head().hash(),
                b.header().timestampMillis(), b.header().txRoot(), b.header().stateRoot(), b.header().proposer(), 1, b.header().seal()),
                b.transactions()));
        assertThatThrownBy(() -> chain.importBlock(rebased, NOW)).isInstanceOf(Rejection.class).hasMessageContaining("SENDER_NOT_ALLOWED");
        assertThat(chain.head().height()).isZero();
    }

    @Test
    void aProofOfWorkBlockByAnAddressOutsideTheMembersIsRefusedAndNotBuilt() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis());
        Blockchain open = TestChain.open(new InMemoryStore(), TestChain.genesis(ADMIN, MEMBER, OUTSIDER));
        Block b = TestChain.next(open, List.of(), OUTSIDER.address());
        Block rebased = TestChain.seal(new Block(new io.maaschain.ledger.block.Header(1, chain.head().hash(),
                b.header().timestampMillis(), b.header().txRoot(), b.header().stateRoot(), b.header().proposer(), 0, b.header().seal()),
                b.transactions()));
        assertThatThrownBy(() -> chain.importBlock(rebased, NOW)).isInstanceOfSatisfying(Rejection.class, r -> {
            assertThat(r.code()).isEqualTo(RejectCode.PROPOSER_NOT_ALLOWED);
            assertThat(r.getMessage()).contains(OUTSIDER.address().toString());
        });
        assertThat(chain.head().height()).isZero();
        assertThatThrownBy(() -> new BlockBuilder(chain, SignatureCheck.VERIFY).build(List.of(), OUTSIDER.address(), NOW))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a member");
        // A member's block (MEMBER is an account, ADMIN an admin) is fine.
        chain.importBlock(TestChain.next(chain, List.of(), MEMBER.address()), NOW);
        assertThat(chain.head().height()).isEqualTo(1);
    }

    @Test
    void aValidatorSealMustBeSignedByAListedNodeKey() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis());
        java.util.function.Function<KeyPair, io.maaschain.ledger.block.Header> header = k -> new io.maaschain.ledger.block.Header(1,
                chain.head().hash(), NOW, io.maaschain.crypto.Hash.ZERO, io.maaschain.crypto.Hash.ZERO, k.address(), 0,
                new io.maaschain.ledger.block.ValidatorSeal(1, k.publicKey(), io.maaschain.crypto.Hash.ZERO, List.of(),
                        io.maaschain.ledger.block.ValidatorSeal.UNSIGNED));
        StateTransition.checkProposer(chain.headState(), header.apply(NODE_A));
        assertThatThrownBy(() -> StateTransition.checkProposer(chain.headState(), header.apply(NODE_B)))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.code()).isEqualTo(RejectCode.PROPOSER_NOT_ALLOWED));
        // An admin's address is a member, but a validator seal needs a listed node key.
        assertThatThrownBy(() -> StateTransition.checkProposer(chain.headState(), header.apply(ADMIN)))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.getMessage()).contains("not a listed node"));
        // On an open chain anyone proposes.
        Blockchain openChain = TestChain.open(new InMemoryStore(), TestChain.genesis(ADMIN));
        StateTransition.checkProposer(openChain.headState(), header.apply(NODE_B));
    }

    @Test
    void theLastAdminCannotBeRemoved() throws Rejection {
        Blockchain chain = TestChain.open(new InMemoryStore(), genesis());
        TxPool pool = new TxPool(chain.transition(), SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
        pool.add(update(ADMIN, 0, new UpdatePermissions(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(ADMIN.address()))),
                chain.headState());
        Block b = TestChain.next(chain, pool.select(10, chain.headState()), ADMIN.address());
        assertThat(b.transactions()).as("the builder skips the invalid update").isEmpty();
    }

    @Test
    void anOpenChainRefusesPermissionUpdates() {
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis(ADMIN));
        TxPool pool = new TxPool(chain.transition(), SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
        assertThatThrownBy(() -> pool.add(update(ADMIN, 0, addAccountAndNode()), chain.headState()))
                .satisfies(e -> assertThat(((Rejection) e).code()).isEqualTo(RejectCode.NOT_ADMIN));
        assertThat(Permissions.mayConnect(chain.headState(), NODE_B.publicKey())).isTrue();
    }
}
