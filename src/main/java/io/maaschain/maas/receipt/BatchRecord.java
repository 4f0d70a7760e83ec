package io.maaschain.maas.receipt;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Hash;

/**
 * A ReceiptBatch transaction this node made or saw committed: receipts {@code firstSeq..lastSeq} under
 * {@code receiptsRoot}, carried by transaction {@code txHash}. Whether it is settled is read from the chain, never from here.
 */
public record BatchRecord(long firstSeq, long lastSeq, Hash receiptsRoot, Hash txHash, long nonce, long fee, long submittedAtMillis) {
    public BatchRecord {
        if (firstSeq < 0 || lastSeq < firstSeq) throw new IllegalArgumentException("batch range must satisfy 0 <= firstSeq <= lastSeq");
    }

    public long size() {
        return lastSeq - firstSeq + 1;
    }

    public boolean covers(long seq) {
        return seq >= firstSeq && seq <= lastSeq;
    }

    byte[] encode() {
        return new ByteWriter(112).u8(1).u64(firstSeq).u64(lastSeq).raw(receiptsRoot.toBytes()).raw(txHash.toBytes())
                .u64(nonce).u64(fee).u64(submittedAtMillis).toByteArray();
    }

    static BatchRecord decode(byte[] b) {
        ByteReader r = new ByteReader(b);
        if (r.u8("batch record version") != 1) throw new io.maaschain.codec.CodecException("unknown batch record version");
        BatchRecord rec = new BatchRecord(r.u63("first seq"), r.u63("last seq"), Hash.wrap(r.raw(32, "root")), Hash.wrap(r.raw(32, "tx hash")),
                r.u63("nonce"), r.u63("fee"), r.u63("submitted at"));
        r.expectEnd();
        return rec;
    }
}
