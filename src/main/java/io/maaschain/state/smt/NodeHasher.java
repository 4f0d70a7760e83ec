package io.maaschain.state.smt;

import io.maaschain.crypto.Sha256;
import java.security.DigestException;
import java.security.MessageDigest;

/**
 * Creates nodes together with their hashes, reusing one digest and one input buffer so that hashing allocates
 * nothing but the node itself. Not thread-safe: one instance per batch.
 */
final class NodeHasher {
    static final int LEAF_TAG = 0x00;
    static final int BRANCH_TAG = 0x01;
    private static final int INPUT_LENGTH = 1 + 32 + 32;

    private final MessageDigest digest = Sha256.newDigest();
    private final byte[] input = new byte[INPUT_LENGTH];
    private final byte[] output = new byte[32];
    private long count;

    /** A leaf for key {@code i} and value {@code i} of the column-wise words. */
    LeafNode leaf(long[][] keys, long[][] values, int i) {
        input[0] = LEAF_TAG;
        for (int w = 0; w < 4; w++) {
            Words.put(input, 1 + 8 * w, keys[w][i]);
            Words.put(input, 33 + 8 * w, values[w][i]);
        }
        run();
        return new LeafNode(word(0), word(1), word(2), word(3), keys, values, i);
    }

    BranchNode branch(Node left, Node right) {
        input[0] = BRANCH_TAG;
        Node.writeHash(left, input, 1);
        Node.writeHash(right, input, 33);
        run();
        return new BranchNode(word(0), word(1), word(2), word(3), left, right);
    }

    /** Digests computed so far; lets tests check that a batch hashes each new node exactly once. */
    long count() {
        return count;
    }

    private void run() {
        digest.update(input, 0, INPUT_LENGTH);
        try {
            digest.digest(output, 0, output.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 output buffer rejected", e);
        }
        count++;
    }

    private long word(int w) {
        return Words.get(output, 8 * w);
    }
}
