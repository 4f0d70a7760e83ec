package io.maaschain.ledger.tx;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import java.nio.charset.StandardCharsets;

/** The canonical transaction encoding, byte for byte as docs/spec.md ("Transaction") gives it. */
public final class TransactionCodec {
    public static final int FORMAT_VERSION = 1;
    /** Hard bound on an encoded transaction, checked before anything is decoded. */
    public static final int MAX_TRANSACTION_BYTES = 4096;
    /** Signed messages start with this tag so a transaction signature can never pass as another kind of signature. */
    static final byte[] DOMAIN_TAG = "maaschain/tx/v1\0".getBytes(StandardCharsets.US_ASCII);

    private TransactionCodec() {}

    public static byte[] encodeBody(UnsignedTransaction tx) {
        ByteWriter w = new ByteWriter(160)
                .u8(FORMAT_VERSION)
                .u64(tx.chainId())
                .u8(tx.payload().kind())
                .raw(tx.sender().toBytes())
                .u64(tx.nonce())
                .u64(tx.fee());
        PayloadCodec.write(w, tx.payload());
        return w.toByteArray();
    }

    static byte[] signingMessage(byte[] body) {
        return signingMessage(body, body.length);
    }

    static byte[] signingMessage(byte[] source, int bodyLength) {
        byte[] msg = new byte[DOMAIN_TAG.length + bodyLength];
        System.arraycopy(DOMAIN_TAG, 0, msg, 0, DOMAIN_TAG.length);
        System.arraycopy(source, 0, msg, DOMAIN_TAG.length, bodyLength);
        return msg;
    }

    public static byte[] encode(Transaction tx) {
        return tx.encoded();
    }

    /** Decodes exactly one transaction; any deviation from the canonical form is a {@link CodecException}. */
    public static Transaction decode(byte[] bytes) {
        if (bytes.length > MAX_TRANSACTION_BYTES) {
            throw new CodecException("transaction is " + bytes.length + " bytes, limit " + MAX_TRANSACTION_BYTES);
        }
        ByteReader r = new ByteReader(bytes);
        int version = r.u8("format version");
        if (version != FORMAT_VERSION) throw new CodecException("unknown transaction format version " + version);
        long chainId = r.u63("chain id");
        int kind = r.u8("payload kind");
        PublicKey sender = PublicKey.wrap(r.raw(PublicKey.LENGTH, "sender key"));
        long nonce = r.u63("nonce");
        long fee = r.u63("fee");
        Payload payload = PayloadCodec.read(r, kind);
        int bodyLength = r.position();
        Signature signature = Signature.wrap(r.raw(Signature.LENGTH, "signature"));
        r.expectEnd();
        return Transaction.decoded(new UnsignedTransaction(chainId, sender, nonce, fee, payload), signature,
                bytes.clone(), bodyLength);
    }
}
