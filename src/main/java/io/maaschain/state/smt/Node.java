package io.maaschain.state.smt;

import io.maaschain.crypto.Hash;
import java.util.Arrays;

/**
 * A node of the tree. {@code null} stands for an empty subtree, so empty space costs no memory. Nodes are
 * immutable and shared between tree versions; each carries its own hash so that rehashing a parent never needs
 * to descend into an unchanged sibling.
 */
abstract sealed class Node permits LeafNode, BranchNode {
    final long h0, h1, h2, h3;

    Node(long h0, long h1, long h2, long h3) {
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
        this.h3 = h3;
    }

    Hash hash() {
        return Words.toHash(h0, h1, h2, h3);
    }

    static Hash hashOf(Node node) {
        return node == null ? Hash.ZERO : node.hash();
    }

    static void writeHash(Node node, byte[] dst, int offset) {
        if (node == null) {
            Arrays.fill(dst, offset, offset + Hash.LENGTH, (byte) 0);
        } else {
            Words.put(dst, offset, node.h0);
            Words.put(dst, offset + 8, node.h1);
            Words.put(dst, offset + 16, node.h2);
            Words.put(dst, offset + 24, node.h3);
        }
    }
}
