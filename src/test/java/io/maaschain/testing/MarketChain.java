package io.maaschain.testing;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.WorldState;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.storage.KeyValueStore;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain with a model market for tests: an owner, callers and a hosting node, each funded; transactions go through
 * a real pool and are mined into real (trivially sealed) blocks.
 */
public final class MarketChain {
    public static final KeyPair OWNER = Fixtures.key(1);
    public static final KeyPair CALLER = Fixtures.key(2);
    public static final KeyPair NODE = Fixtures.key(3);
    public static final KeyPair STRANGER = Fixtures.key(4);
    public static final KeyPair OTHER = Fixtures.key(5);

    public final String genesisJson = TestChain.genesisJson(OWNER, CALLER, NODE, STRANGER, OTHER);
    public final Genesis genesis = io.maaschain.ledger.genesis.GenesisParser.parse(genesisJson);
    public final KeyValueStore store;
    public final Blockchain chain;
    public final TxPool pool;
    public final List<Block> blocks = new ArrayList<>();

    public MarketChain() {
        this(new InMemoryStore());
    }

    public MarketChain(KeyValueStore store) {
        this.store = store;
        this.chain = TestChain.open(store, genesis);
        this.pool = new TxPool(chain.transition(), new VerifiedSignatures(10_000), TxPool.Limits.DEFAULT);
        chain.addListener((removed, added, head) -> pool.onHeadChanged(removed, added, chain.headState()));
    }

    /** Signs {@code payload} from {@code key} at its next nonce (counting the pool) and adds it to the pool. */
    public Transaction submit(KeyPair key, Payload payload) {
        long nonce = pool.nextNonce(key.address(), chain.headState());
        Transaction tx = new UnsignedTransaction(Fixtures.CHAIN_ID, key.publicKey(), nonce, 1, payload).sign(key);
        try {
            pool.add(tx, chain.headState());
        } catch (Rejection r) {
            throw new IllegalStateException("pool refused " + payload + ": " + r.getMessage(), r);
        }
        return tx;
    }

    /** Mines one block with everything the pool selects; returns it. */
    public Block mine() {
        return mine(pool.select(1000, chain.headState()));
    }

    public Block mine(List<Transaction> txs) {
        Block b = TestChain.next(chain, txs, OTHER.address());
        try {
            chain.importBlock(b, b.header().timestampMillis());
        } catch (Rejection r) {
            throw new IllegalStateException(r);
        }
        blocks.add(b);
        return b;
    }

    /** Submits and mines in one block. */
    public Block apply(KeyPair key, Payload... payloads) {
        for (Payload p : payloads) submit(key, p);
        return mine();
    }

    public static RegisterModel model(String name, String version, Hash digest, long size, long price) {
        return new RegisterModel(name, version, digest, size, "onnx", "mit", price, List.of(), List.of());
    }

    /** The escrow {@code who} holds for {@link #NODE}. */
    public MarketRecords.Escrow escrow(KeyPair who) {
        byte[] b = chain.headState().get(MarketRecords.escrowKey(who.address(), NODE.address()));
        return b == null ? MarketRecords.Escrow.EMPTY : MarketRecords.Escrow.decode(b);
    }

    public long balance(KeyPair who) {
        return new WorldState(chain.headState()).account(who.address()).balance();
    }

    public long cursor(KeyPair host) {
        byte[] b = chain.headState().get(MarketRecords.settlementKey(host.address()));
        return b == null ? 0 : MarketRecords.Settlement.decode(b).nextSeq();
    }

    public MarketRecords.Grant grant(String model, KeyPair who) {
        byte[] b = chain.headState().get(MarketRecords.grantKey(model, who.address()));
        return b == null ? null : MarketRecords.Grant.decode(b);
    }
}
