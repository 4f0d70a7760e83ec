package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.consensus.BlockRef;
import io.maaschain.crypto.Hash;

/** A Casper FFG checkpoint: an epoch and its boundary block on one branch (the block at the epoch's first slot, or the last one before). */
public record Checkpoint(long epoch, BlockRef block) {
    public static final int LENGTH = 8 + 8 + Hash.LENGTH;

    public Checkpoint {
        if (epoch < 0) throw new IllegalArgumentException("negative epoch");
    }

    public Hash hash() {
        return block.hash();
    }

    public boolean is(long otherEpoch, Hash otherHash) {
        return epoch == otherEpoch && block.hash().equals(otherHash);
    }

    void write(ByteWriter w) {
        w.u64(epoch).u64(block.height()).raw(block.hash().toBytes());
    }

    static Checkpoint read(ByteReader r) {
        long epoch = r.u63("checkpoint epoch");
        long height = r.u63("checkpoint height");
        return new Checkpoint(epoch, new BlockRef(height, Hash.wrap(r.raw(Hash.LENGTH, "checkpoint hash"))));
    }
}
