package io.maaschain.ledger.block;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical block encoding: the header, then a u32 transaction count, then each transaction
 * as a length-prefixed byte string (docs/spec.md, "Block").
 */
public final class BlockCodec {
    /** Upper bound on an encoded block, enforced before decoding; genesis may set a lower one. */
    public static final int MAX_BLOCK_BYTES = 64 * 1024 * 1024;

    private BlockCodec() {}

    public static byte[] encode(Block b) {
        byte[] header = HeaderCodec.encode(b.header());
        int size = 4 + header.length + 4;
        for (Transaction tx : b.transactions()) size += 4 + tx.size();
        ByteWriter w = new ByteWriter(size).bytes(header).u32(b.transactions().size());
        for (Transaction tx : b.transactions()) w.bytes(tx.encoded());
        return w.toByteArray();
    }

    public static Block decode(byte[] bytes) {
        if (bytes.length > MAX_BLOCK_BYTES) throw new CodecException("block is " + bytes.length + " bytes, limit " + MAX_BLOCK_BYTES);
        ByteReader r = new ByteReader(bytes);
        Header header = HeaderCodec.decode(r.bytes(HeaderCodec.MAX_HEADER_BYTES, "header"));
        long count = r.u32("transaction count");
        if (count != header.txCount()) {
            throw new CodecException("block has " + count + " transactions, its header says " + header.txCount());
        }
        // Each transaction takes at least 4 bytes of length prefix; this bounds the list before allocating it.
        if (count > r.remaining() / 4) throw new CodecException("transaction count exceeds the bytes present");
        List<Transaction> txs = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            txs.add(TransactionCodec.decode(r.bytes(TransactionCodec.MAX_TRANSACTION_BYTES, "transaction " + i)));
        }
        r.expectEnd();
        return new Block(header, txs);
    }
}
