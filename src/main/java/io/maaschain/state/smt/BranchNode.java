package io.maaschain.state.smt;

/**
 * An internal node. Invariant: at least two leaves lie below it, so one child may be empty ({@code null}) only
 * if the other is itself a branch; a lone leaf is always lifted to the parent's position instead.
 */
final class BranchNode extends Node {
    final Node left;
    final Node right;

    BranchNode(long h0, long h1, long h2, long h3, Node left, Node right) {
        super(h0, h1, h2, h3);
        this.left = left;
        this.right = right;
    }

    Node child(int bit) {
        return bit == 0 ? left : right;
    }
}
