package io.maaschain.chain;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.state.smt.SmtProof;
import io.maaschain.state.smt.SparseMerkleTree;
import io.maaschain.storage.Column;
import io.maaschain.storage.KeyValueStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Proofs of one state key in the states of past canonical blocks. The node keeps only the head's state; the state of
 * an earlier block is the head's with the undo records of the blocks above it applied, newest first (the same step a
 * reorganisation takes). A light client needs these to learn the bft validator set of every height from a header it
 * has already verified (docs/light-client.md). The cost is one undo record per block between the head and the oldest
 * height asked for.
 */
final class StateHistory {
    /** A state value at block {@code header}, with its proof against that header's state root. */
    record PastValue(Header header, byte[] value, SmtProof proof) {}

    private final KeyValueStore store;
    private final ChainIndex index;

    StateHistory(KeyValueStore store, ChainIndex index) {
        this.store = store;
        this.index = index;
    }

    /**
     * The value of {@code key} with its proof in the state of each block from height {@code from} to {@code to} of the
     * branch ending at {@code head} (whose state value is {@code headValue}); oldest first. {@code to <= head.height()}.
     */
    List<PastValue> prove(Bytes key, Head head, byte[] headValue, long from, long to) {
        if (from < 0 || from > to || to > head.height()) throw new IllegalArgumentException("heights " + from + ".." + to + " outside 0.." + head.height());
        Hash treeKey = StateCommitment.treeKey(key);
        List<PastValue> out = new ArrayList<>();
        SparseMerkleTree tree = head.stateTree();
        byte[] value = headValue;
        Header header = head.header();
        while (true) {
            long h = header.height();
            if (h <= to) {
                if (!tree.root().equals(header.stateRoot())) {
                    throw new io.maaschain.storage.StorageException("the state rolled back to block " + h + " does not match its state root: an undo record is corrupted");
                }
                out.add(new PastValue(header, value, tree.prove(treeKey)));
            }
            if (h == from) break;
            // Roll the state back over this block: its undo record holds what it overwrote.
            Map<Bytes, byte[]> undo = UndoRecord.decode(store.get(Column.UNDO, header.hash().toBytes()));
            tree = StateCommitment.apply(tree, undo);
            if (undo.containsKey(key)) value = undo.get(key);
            Hash parent = header.parentHash();
            header = index.header(parent);
            if (header == null) throw new io.maaschain.storage.StorageException("header " + parent + " is missing: the database is corrupted");
        }
        return out.reversed();
    }
}
