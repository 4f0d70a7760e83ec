package io.maaschain.chain;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.state.smt.SparseMerkleTree;
import java.util.HashMap;
import java.util.Map;

/** Maps world-state entries onto the sparse Merkle tree: key SHA-256(state key), value SHA-256(value). */
public final class StateCommitment {
    private StateCommitment() {}

    public static Hash treeKey(Bytes stateKey) {
        return Sha256.hash(stateKey.unsafeArray());
    }

    public static Hash valueHash(byte[] value) {
        return Sha256.hash(value);
    }

    /** Applies written entries (null = deleted) to {@code tree}. */
    public static SparseMerkleTree apply(SparseMerkleTree tree, Map<Bytes, byte[]> writes) {
        Map<Hash, Hash> changes = new HashMap<>(writes.size() * 2);
        writes.forEach((k, v) -> changes.put(treeKey(k), v == null ? null : valueHash(v)));
        return tree.update(changes);
    }
}
