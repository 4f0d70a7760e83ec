package io.maaschain.state.smt;

import io.maaschain.crypto.Hash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The authenticated world-state commitment: a binary sparse Merkle tree over 256-bit keys in the compressed
 * (Diem) style, specified byte for byte in docs/spec-smt.md. The root depends only on the key/value set, never on
 * the order of updates, so every node that applies the same blocks computes the same state root.
 *
 * <p>Immutable and persistent: an update copies only the paths it changes and shares the rest, so older versions
 * stay valid snapshots (for evaluating forks) at the cost of the changed paths only.
 */
public final class SparseMerkleTree {
    private static final SparseMerkleTree EMPTY = new SparseMerkleTree(null, 0);

    private final Node root;
    private final int size;
    private final Hash rootHash;

    private SparseMerkleTree(Node root, int size) {
        this.root = root;
        this.size = size;
        this.rootHash = Node.hashOf(root);
    }

    public static SparseMerkleTree empty() {
        return EMPTY;
    }

    /** The tree holding exactly {@code entries}; values must not be null. */
    public static SparseMerkleTree build(Map<Hash, Hash> entries) {
        for (Map.Entry<Hash, Hash> e : entries.entrySet()) {
            Objects.requireNonNull(e.getValue(), () -> "value for key " + e.getKey() + " is null");
        }
        return EMPTY.update(entries);
    }

    public Hash root() {
        return rootHash;
    }

    public int size() {
        return size;
    }

    public Optional<Hash> get(Hash key) {
        long[][] k = Words.of(key);
        Node node = root;
        for (int depth = 0; node instanceof BranchNode b; depth++) node = b.child(Words.bit(k, 0, depth));
        return node instanceof LeafNode leaf && leaf.hasKey(k, 0) ? Optional.of(leaf.value()) : Optional.empty();
    }

    /**
     * Applies all changes at once: a non-null value inserts or replaces the key, a null value deletes it (use a map
     * that permits null values). Returns this tree itself if nothing changes.
     */
    public SparseMerkleTree update(Map<Hash, Hash> changes) {
        if (changes.isEmpty()) return this;
        BatchUpdate batch = new BatchUpdate(changes);
        Node newRoot = batch.apply(root);
        return newRoot == root ? this : new SparseMerkleTree(newRoot, size + batch.sizeDelta());
    }

    public SparseMerkleTree put(Hash key, Hash valueHash) {
        Objects.requireNonNull(valueHash, "valueHash");
        return update(Collections.singletonMap(key, valueHash));
    }

    public SparseMerkleTree remove(Hash key) {
        return update(Collections.singletonMap(key, null));
    }

    /** An inclusion proof if {@code key} is present, otherwise a non-inclusion proof. */
    public SmtProof prove(Hash key) {
        long[][] k = Words.of(key);
        List<Hash> siblings = new ArrayList<>();
        Node node = root;
        for (int depth = 0; node instanceof BranchNode b; depth++) {
            int bit = Words.bit(k, 0, depth);
            siblings.add(Node.hashOf(b.child(1 - bit)));
            node = b.child(bit);
        }
        Optional<SmtLeaf> leaf = node instanceof LeafNode l ? Optional.of(new SmtLeaf(l.key(), l.value())) : Optional.empty();
        return new SmtProof(siblings, leaf);
    }

    /** For invariant checks in tests. */
    Node rootNode() {
        return root;
    }

    @Override
    public String toString() {
        return "SparseMerkleTree[size=" + size + ", root=" + rootHash + "]";
    }
}
