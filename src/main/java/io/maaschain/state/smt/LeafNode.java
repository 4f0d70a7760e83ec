package io.maaschain.state.smt;

import io.maaschain.crypto.Hash;

/** One key and its value hash, placed at the shallowest depth on the key's path where no other key shares the prefix. */
final class LeafNode extends Node {
    final long k0, k1, k2, k3;
    final long v0, v1, v2, v3;

    LeafNode(long h0, long h1, long h2, long h3, long[][] keys, long[][] values, int i) {
        super(h0, h1, h2, h3);
        k0 = keys[0][i];
        k1 = keys[1][i];
        k2 = keys[2][i];
        k3 = keys[3][i];
        v0 = values[0][i];
        v1 = values[1][i];
        v2 = values[2][i];
        v3 = values[3][i];
    }

    int keyBit(int i) {
        long word = switch (i >>> 6) {
            case 0 -> k0;
            case 1 -> k1;
            case 2 -> k2;
            default -> k3;
        };
        return Words.bit(word, i);
    }

    /** Unsigned comparison of this leaf's key with key {@code i} of the column-wise words. */
    int compareKey(long[][] keys, int i) {
        int c = Long.compareUnsigned(k0, keys[0][i]);
        if (c != 0) return c;
        c = Long.compareUnsigned(k1, keys[1][i]);
        if (c != 0) return c;
        c = Long.compareUnsigned(k2, keys[2][i]);
        if (c != 0) return c;
        return Long.compareUnsigned(k3, keys[3][i]);
    }

    boolean hasKey(long[][] keys, int i) {
        return k0 == keys[0][i] && k1 == keys[1][i] && k2 == keys[2][i] && k3 == keys[3][i];
    }

    boolean hasValue(long[][] values, int i) {
        return v0 == values[0][i] && v1 == values[1][i] && v2 == values[2][i] && v3 == values[3][i];
    }

    Hash key() {
        return Words.toHash(k0, k1, k2, k3);
    }

    Hash value() {
        return Words.toHash(v0, v1, v2, v3);
    }
}
