package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Hash;
import java.util.Objects;

/** Written by every block (state key 0x22): the slot of the branch's last block, the epoch it is in, and the RANDAO mix so far. */
public record SlotRecord(long lastSlot, long epoch, Hash mix) {
    public SlotRecord {
        Objects.requireNonNull(mix, "mix");
        if (lastSlot < 0 || epoch < 0) throw new IllegalArgumentException("negative slot or epoch");
    }

    public byte[] encode() {
        return new ByteWriter(48).u64(lastSlot).u64(epoch).raw(mix.toBytes()).toByteArray();
    }

    public static SlotRecord decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        SlotRecord s = new SlotRecord(r.u63("last slot"), r.u63("epoch"), Hash.wrap(r.raw(Hash.LENGTH, "mix")));
        r.expectEnd();
        return s;
    }
}
