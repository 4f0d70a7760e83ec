package io.maaschain.chain;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Hash;

/** Where a canonical transaction sits: its block and its index in that block. */
public record TxLocation(Hash blockHash, int index) {
    static byte[] encode(Hash block, int index) {
        return new ByteWriter(36).raw(block.toBytes()).u32(index).toByteArray();
    }

    static TxLocation decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        TxLocation loc = new TxLocation(Hash.wrap(r.raw(Hash.LENGTH, "block hash")), (int) r.u32("index"));
        r.expectEnd();
        return loc;
    }
}
