package io.maaschain.ledger.merkle;

import io.maaschain.crypto.Hash;
import java.util.List;

/**
 * Proof that an item is leaf {@code index} of a tree of {@code treeSize} leaves. Verification follows
 * RFC 9162 section 2.1.3.2, so any Certificate Transparency verifier can check it.
 */
public record InclusionProof(long index, long treeSize, List<Hash> path) {
    public InclusionProof {
        path = List.copyOf(path);
    }

    public boolean verify(Hash item, Hash expectedRoot) {
        if (index < 0 || index >= treeSize) return false;
        long fn = index;
        long sn = treeSize - 1;
        Hash r = MerkleTree.leafHash(item);
        for (Hash p : path) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleTree.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = MerkleTree.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.equals(expectedRoot);
    }
}
