package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Hash;
import java.util.Objects;

/**
 * A validator's RANDAO progress (state key 0x23 || address): the last value it revealed (its commitment before the
 * first reveal) and how many reveals it made, which tells its node the next layer of its onion.
 */
public record RevealRecord(Hash last, long count) {
    public RevealRecord {
        Objects.requireNonNull(last, "last");
        if (count < 0) throw new IllegalArgumentException("negative reveal count");
    }

    public byte[] encode() {
        return new ByteWriter(40).raw(last.toBytes()).u64(count).toByteArray();
    }

    public static RevealRecord decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        RevealRecord v = new RevealRecord(Hash.wrap(r.raw(Hash.LENGTH, "last reveal")), r.u63("reveal count"));
        r.expectEnd();
        return v;
    }
}
