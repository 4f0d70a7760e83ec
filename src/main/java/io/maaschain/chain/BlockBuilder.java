package io.maaschain.chain;

import io.maaschain.consensus.MedianTimePast;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Seal;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.state.CachingStateReader;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import io.maaschain.state.smt.SparseMerkleTree;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles the next block on the current head from candidate transactions, in the given order, skipping any that
 * no longer apply. The result carries the engine's template seal; the engine's sealer completes it.
 */
public final class BlockBuilder {
    private final Blockchain chain;
    private final SignatureCheck signatures;

    public BlockBuilder(Blockchain chain, SignatureCheck signatures) {
        this.chain = chain;
        this.signatures = signatures;
    }

    /**
     * The unsealed block, the head it was built on, the candidates that no longer applied, and the state change it makes,
     * so that importing the sealed block does not execute it a second time ({@link Blockchain#importOwnBlock}).
     */
    public record Template(Block block, Head parent, List<Transaction> skipped, Blockchain.StateChange change, long builtAtCommit) {}

    public Template build(Iterable<Transaction> candidates, Address proposer, long timestampMillis) {
        return build(candidates, proposer, timestampMillis, null);
    }

    /**
     * As above with the seal given by the proposer (validator seals: slot, key, reveal and votes; signed afterwards).
     * Throws {@link IllegalStateException} if the engine's block rules refuse the seal on this head.
     */
    public Template build(Iterable<Transaction> candidates, Address proposer, long timestampMillis, Seal givenSeal) {
        // Read before the head: if any commit lands while building, the recorded count no longer matches at import.
        long commits = chain.commits();
        Head parent = chain.head();
        StateTransition stf = chain.transition();
        ChainParams params = stf.params();
        long height = parent.height() + 1;
        // Cached: the undo record reads back every key the block wrote, and execution has just read them all.
        WorldState state = new WorldState(new CachingStateReader(chain.headState()));
        var ancestry = chain.ancestryOf(parent.hash(), parent.height());
        long timestamp = Math.max(timestampMillis, MedianTimePast.of(parent.height(), ancestry) + 1);
        Seal seal = givenSeal != null ? givenSeal : chain.engine().templateSeal(ancestry, height);
        try {
            Header draft = new Header(height, parent.hash(), timestamp, Hash.ZERO, Hash.ZERO, proposer, 0, seal);
            StateTransition.checkProposer(state, draft);
            chain.engine().beginBlock(state, draft);
        } catch (Rejection r) {
            throw new IllegalStateException("the engine refuses this block on head " + parent.hash() + ": " + r.getMessage(), r);
        }
        List<Transaction> included = new ArrayList<>();
        List<Transaction> skipped = new ArrayList<>();
        long fees = 0;
        long bytes = 0;
        for (Transaction tx : candidates) {
            if (included.size() >= params.maxBlockTransactions()) break;
            if (bytes + tx.size() > params.maxBlockBytes()) continue;
            try {
                fees = Math.addExact(fees, stf.applyTransaction(state, tx, new io.maaschain.state.BlockContext(height, timestamp), signatures));
                included.add(tx);
                bytes += tx.size();
            } catch (Rejection | ArithmeticException e) {
                skipped.add(tx);
            }
        }
        try {
            StateTransition.creditProposer(state, proposer, Math.addExact(chain.engine().blockReward(height), fees));
        } catch (Rejection | ArithmeticException e) {
            throw new IllegalStateException("proposer reward overflows", e);
        }
        SparseMerkleTree tree = StateCommitment.apply(parent.stateTree(), state.writes());
        Header header = new Header(height, parent.hash(), timestamp,
                MerkleTree.root(included.stream().map(Transaction::hash).toList()), tree.root(), proposer,
                included.size(), seal);
        return new Template(new Block(header, included), parent, skipped,
                new Blockchain.StateChange(state.writes(), state.previousValues(), tree), commits);
    }
}
