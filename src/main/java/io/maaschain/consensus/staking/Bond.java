package io.maaschain.consensus.staking;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.util.Objects;

/**
 * One account's stake: {@code bonded} counts (pos: validator weight; dpos: voting weight), {@code unbonding} is on its
 * way back to the balance at {@code releaseHeight} and can still be slashed until then. {@code revealCommitment} is the
 * top of the account's RANDAO hash onion (pos). A slashed account's stake is burned and it may not stake again.
 */
public record Bond(PublicKey key, long bonded, long unbonding, long releaseHeight, Hash revealCommitment, boolean slashed) {
    public Bond {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(revealCommitment, "revealCommitment");
        if (bonded < 0 || unbonding < 0 || releaseHeight < 0) throw new IllegalArgumentException("negative bond field");
    }

    public byte[] encode() {
        return new ByteWriter(32 + 8 + 8 + 8 + 32 + 1).raw(key.toBytes()).u64(bonded).u64(unbonding).u64(releaseHeight)
                .raw(revealCommitment.toBytes()).bool(slashed).toByteArray();
    }

    public static Bond decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        Bond b = new Bond(PublicKey.wrap(r.raw(PublicKey.LENGTH, "bond key")), r.u63("bonded"), r.u63("unbonding"), r.u63("release height"),
                Hash.wrap(r.raw(Hash.LENGTH, "reveal commitment")), r.bool("slashed"));
        r.expectEnd();
        return b;
    }
}
