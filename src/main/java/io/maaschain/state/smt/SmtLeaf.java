package io.maaschain.state.smt;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.util.Objects;

/** A key and its value hash as they appear in a proof. */
public record SmtLeaf(Hash key, Hash valueHash) {
    public SmtLeaf {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(valueHash, "valueHash");
    }

    /** SHA-256(0x00 || key || valueHash). */
    public Hash hash() {
        return Sha256.tagged(NodeHasher.LEAF_TAG, key.toBytes(), valueHash.toBytes());
    }
}
