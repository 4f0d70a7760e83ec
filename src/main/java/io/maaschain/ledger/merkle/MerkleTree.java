package io.maaschain.ledger.merkle;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 6962 / RFC 9162 Merkle tree hash over an ordered list of leaves, as Certificate Transparency and
 * Sigstore Rekor use it: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right), the split point
 * is the largest power of two below n, and the empty tree hashes to SHA-256 of nothing.
 * Here a leaf's data is a 32-byte item hash (a transaction hash, later a receipt hash).
 */
public final class MerkleTree {
    public static final int LEAF_TAG = 0x00;
    public static final int NODE_TAG = 0x01;
    public static final Hash EMPTY_ROOT = Sha256.hash(new byte[0]);

    private MerkleTree() {}

    public static Hash leafHash(Hash item) {
        return Sha256.tagged(LEAF_TAG, item.toBytes());
    }

    public static Hash nodeHash(Hash left, Hash right) {
        return Sha256.tagged(NODE_TAG, left, right);
    }

    public static Hash root(List<Hash> items) {
        if (items.isEmpty()) return EMPTY_ROOT;
        List<Hash> level = new ArrayList<>(items.size());
        for (Hash item : items) level.add(leafHash(item));
        return subtreeRoot(level, 0, level.size());
    }

    private static Hash subtreeRoot(List<Hash> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) return leaves.get(from);
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
    }

    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    /** The audit path for leaf {@code index}, ordered from the leaf upwards (RFC 9162 section 2.1.3.1). */
    public static InclusionProof prove(List<Hash> items, int index) {
        if (index < 0 || index >= items.size()) throw new IndexOutOfBoundsException("leaf " + index + " of " + items.size());
        List<Hash> leaves = new ArrayList<>(items.size());
        for (Hash item : items) leaves.add(leafHash(item));
        List<Hash> path = new ArrayList<>();
        collectPath(leaves, index, 0, leaves.size(), path);
        return new InclusionProof(index, items.size(), List.copyOf(path.reversed()));
    }

    private static void collectPath(List<Hash> leaves, int index, int from, int to, List<Hash> path) {
        int n = to - from;
        if (n == 1) return;
        int k = largestPowerOfTwoBelow(n);
        if (index - from < k) {
            path.add(subtreeRoot(leaves, from + k, to));
            collectPath(leaves, index, from, from + k, path);
        } else {
            path.add(subtreeRoot(leaves, from, from + k));
            collectPath(leaves, index, from + k, to, path);
        }
    }
}
