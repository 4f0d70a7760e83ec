package io.maaschain.ledger.tx;

import static io.maaschain.testing.FuzzInvariant.roundTrip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import java.util.List;

/**
 * Transactions of every kind (the payload kind byte is part of the input; the seed corpus has one of each). A decoded
 * transaction is re-encoded from its fields, not from the bytes it keeps, so a lossy field decoder is a finding.
 */
class TransactionFuzzTest {
    @FuzzTest
    void transaction(byte[] input) {
        roundTrip(input, TransactionCodec::decode, TransactionFuzzTest::reencode, List.of(CodecException.class));
    }

    static byte[] reencode(Transaction tx) {
        byte[] body = TransactionCodec.encodeBody(tx.body());
        return new ByteWriter(body.length + 64).raw(body).raw(tx.signature().toBytes()).toByteArray();
    }
}
