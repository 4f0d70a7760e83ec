package io.maaschain.state.smt;

import io.maaschain.crypto.Hash;
import java.util.Map;
import java.util.Objects;

/**
 * Applies a set of changes to a tree in one top-down pass. The changes are sorted by key, so the changes below
 * any node form a contiguous range and splitting a range between the two children is a binary search. Each new
 * node is built after its children, so it is hashed exactly once however many changes pass through it, and
 * subtrees that no change reaches are shared with the old version untouched.
 */
final class BatchUpdate {
    private final int n;
    // Column-wise words (keys[w][i] is word w of change i), ascending by key: the first column alone decides
    // almost every comparison and split, and four n-long arrays stay below G1's humongous-object threshold longer.
    private final long[][] keys;
    private final long[][] values; // zero where the change is a deletion
    private final boolean[] deletion;
    private final int[] insertsBefore; // insertsBefore[i] = insertions among changes [0, i): any range's count in O(1)
    private final NodeHasher hasher = new NodeHasher();
    private int sizeDelta;

    BatchUpdate(Map<Hash, Hash> changes) {
        n = changes.size();
        long[][] unsortedKeys = new long[4][n];
        long[][] unsortedValues = new long[4][n];
        boolean[] unsortedDeletion = new boolean[n];
        byte[] scratch = new byte[Hash.LENGTH];
        int i = 0;
        for (Map.Entry<Hash, Hash> e : changes.entrySet()) {
            Words.split(Objects.requireNonNull(e.getKey(), "a key is null"), unsortedKeys, i, scratch);
            Hash value = e.getValue();
            unsortedDeletion[i] = value == null;
            if (value != null) Words.split(value, unsortedValues, i, scratch);
            i++;
        }
        int[] order = KeyOrder.sort(unsortedKeys, n);
        keys = new long[4][n];
        values = new long[4][n];
        deletion = new boolean[n];
        insertsBefore = new int[n + 1];
        for (int j = 0; j < n; j++) {
            int from = order[j];
            for (int w = 0; w < 4; w++) {
                keys[w][j] = unsortedKeys[w][from];
                values[w][j] = unsortedValues[w][from];
            }
            deletion[j] = unsortedDeletion[from];
            insertsBefore[j + 1] = insertsBefore[j] + (deletion[j] ? 0 : 1);
        }
    }

    /** The new root; the old root object itself if nothing changed. */
    Node apply(Node root) {
        return update(root, 0, 0, n);
    }

    /** Leaves added minus leaves removed by the last {@link #apply}. */
    int sizeDelta() {
        return sizeDelta;
    }

    long hashCount() {
        return hasher.count();
    }

    /** The subtree at {@code depth} after applying changes {@code [from, to)}, all of whose keys lie below it. */
    private Node update(Node node, int depth, int from, int to) {
        if (from == to) return node;
        if (node == null) {
            sizeDelta += inserts(from, to);
            return build(depth, from, to, null, -1);
        }
        if (node instanceof LeafNode leaf) return updateLeaf(leaf, depth, from, to);
        BranchNode branch = (BranchNode) node;
        int mid = split(depth, from, to);
        Node left = update(branch.left, depth + 1, from, mid);
        Node right = update(branch.right, depth + 1, mid, to);
        if (left == branch.left && right == branch.right) return branch;
        // Lift a lone leaf: this is what makes deletion restore the shape the tree would have without the key.
        if (left == null && !(right instanceof BranchNode)) return right;
        if (right == null && !(left instanceof BranchNode)) return left;
        return hasher.branch(left, right);
    }

    private Node updateLeaf(LeafNode leaf, int depth, int from, int to) {
        int i = find(leaf, from, to);
        LeafNode kept = leaf;
        int skip = -1;
        if (i >= 0) {
            if (deletion[i] || !leaf.hasValue(values, i)) {
                kept = null; // deleted, or replaced by the insertion at i
            } else {
                skip = i; // same value again: keep the old leaf rather than hash an identical one
            }
        }
        if (kept == leaf && inserts(from, to) - (skip >= 0 ? 1 : 0) == 0) return leaf;
        int survivors = count(from, to, kept, skip);
        sizeDelta += survivors - 1;
        return build(depth, from, to, kept, skip);
    }

    /**
     * A fresh subtree at {@code depth} holding the insertions in {@code [from, to)} except {@code skip}, plus the
     * existing leaf {@code extra} if not null. It is built bottom-up so every node is final when hashed.
     */
    private Node build(int depth, int from, int to, LeafNode extra, int skip) {
        int count = count(from, to, extra, skip);
        if (count == 0) return null;
        if (count == 1) return extra != null ? extra : hasher.leaf(keys, values, onlyInsert(from, to));
        // At least two distinct keys share the first `depth` bits, so depth < 256 here.
        int mid = split(depth, from, to);
        boolean extraRight = extra != null && extra.keyBit(depth) == 1;
        Node left = build(depth + 1, from, mid, extraRight ? null : extra, skip < mid ? skip : -1);
        Node right = build(depth + 1, mid, to, extraRight ? extra : null, skip >= mid ? skip : -1);
        return hasher.branch(left, right);
    }

    private int count(int from, int to, LeafNode extra, int skip) {
        boolean skipInRange = skip >= from && skip < to;
        return inserts(from, to) - (skipInRange ? 1 : 0) + (extra != null ? 1 : 0);
    }

    private int inserts(int from, int to) {
        return insertsBefore[to] - insertsBefore[from];
    }

    /** The index of the single insertion in a range known to hold exactly one. */
    private int onlyInsert(int from, int to) {
        int base = insertsBefore[from];
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (insertsBefore[mid + 1] - base == 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The first index in {@code [from, to)} whose key has bit {@code depth} set; sorted keys with a common prefix make this monotone. */
    private int split(int depth, int from, int to) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Words.bit(keys, mid, depth) == 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private int find(LeafNode leaf, int from, int to) {
        int lo = from;
        int hi = to - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = leaf.compareKey(keys, mid);
            if (c == 0) return mid;
            if (c > 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }
}
