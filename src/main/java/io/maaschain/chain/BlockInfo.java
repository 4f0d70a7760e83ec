package io.maaschain.chain;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import java.math.BigInteger;

/** What the node knows of a stored block beyond its bytes: the branch's cumulative weight and its status. */
record BlockInfo(long height, BigInteger totalWork, Status status) {
    enum Status {
        /** Header, seal and transaction root checked; not yet executed. */
        STORED,
        /** Executed successfully; its state root matched. */
        EXECUTED,
        /** Failed execution or validation; never retried. */
        INVALID
    }

    byte[] encode() {
        return new ByteWriter(48).u64(height).bytes(totalWork.toByteArray()).u8(status.ordinal()).toByteArray();
    }

    static BlockInfo decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        long height = r.u63("height");
        BigInteger work = new BigInteger(r.bytes(64, "total work"));
        int s = r.u8("status");
        r.expectEnd();
        if (s >= Status.values().length) throw new io.maaschain.codec.CodecException("unknown block status " + s);
        return new BlockInfo(height, work, Status.values()[s]);
    }

    BlockInfo withStatus(Status s) {
        return new BlockInfo(height, totalWork, s);
    }
}
