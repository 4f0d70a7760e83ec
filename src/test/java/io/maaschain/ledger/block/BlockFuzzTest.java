package io.maaschain.ledger.block;

import static io.maaschain.testing.FuzzInvariant.roundTrip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import java.util.List;

/** Headers with both kinds of seal (proof of work; validator seal with its votes) and whole blocks. */
class BlockFuzzTest {
    @FuzzTest
    void header(byte[] input) {
        roundTrip(input, HeaderCodec::decode, HeaderCodec::encode, List.of(CodecException.class));
    }

    @FuzzTest
    void block(byte[] input) {
        roundTrip(input, BlockCodec::decode, BlockFuzzTest::reencode, List.of(CodecException.class));
    }

    /** Like {@link BlockCodec#encode} but each transaction from its fields, not from the bytes it keeps. */
    private static byte[] reencode(Block b) {
        ByteWriter w = new ByteWriter().bytes(HeaderCodec.encode(b.header())).u32(b.transactions().size());
        for (Transaction tx : b.transactions()) {
            byte[] body = TransactionCodec.encodeBody(tx.body());
            w.bytes(new ByteWriter().raw(body).raw(tx.signature().toBytes()).toByteArray());
        }
        return w.toByteArray();
    }
}
