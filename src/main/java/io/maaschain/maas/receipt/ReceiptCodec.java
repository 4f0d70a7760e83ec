package io.maaschain.maas.receipt;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.nio.charset.StandardCharsets;

/**
 * The canonical encoding of a {@link Receipt} (docs/receipts.md, "Encoding"). Strict: one receipt has one encoding,
 * every length is bounded before it is read, and trailing bytes, bad flags or inconsistent fields are refused.
 */
public final class ReceiptCodec {
    /** Format 1: a receipt that records no payment. */
    public static final int FORMAT_VERSION = 1;
    /** Format 2: format 1 followed by what paid the call ({@link PaidBy}). */
    public static final int FORMAT_WITH_PAYMENT = 2;
    public static final int PAID_BY_CHANNEL = 1;
    public static final int PAID_BY_SPENDING_KEY = 2;
    /** Larger than the largest valid encoding (410 + 137 = 547 bytes); a decoder refuses longer input before reading it. */
    public static final int MAX_ENCODED_BYTES = 640;
    /** Domain tag in front of the encoding in the signed message: "maaschain/receipt/v1" and a NUL, 21 bytes. */
    public static final byte[] SIGNING_DOMAIN = "maaschain/receipt/v1\0".getBytes(StandardCharsets.US_ASCII);

    private ReceiptCodec() {}

    public static byte[] encode(Receipt r) {
        ByteWriter w = new ByteWriter(256)
                .u8(r.paidBy() == null ? FORMAT_VERSION : FORMAT_WITH_PAYMENT)
                .u64(r.chainId())
                .raw(r.nodeKey().toBytes())
                .raw(r.node().toBytes())
                .u64(r.seq())
                .u64(r.timestampMillis())
                .string(r.modelName())
                .string(r.modelVersion());
        optional(w, r.artifactDigest() == null ? null : r.artifactDigest().toBytes());
        optional(w, r.caller() == null ? null : r.caller().toBytes());
        optional(w, r.requestHash() == null ? null : r.requestHash().toBytes());
        w.u16(r.status());
        if (r.succeeded()) {
            w.raw(r.responseHash().toBytes());
        } else {
            w.string(r.errorCode()).raw(r.errorMessageHash().toBytes());
        }
        w.u64(r.fee());
        switch (r.paidBy()) {
            case null -> {}
            case PaidBy.Channel c -> {
                w.u8(PAID_BY_CHANNEL);
                c.authorisation().write(w);
            }
            case PaidBy.SpendingKey k -> w.u8(PAID_BY_SPENDING_KEY).raw(k.keyHash().toBytes());
        }
        return w.toByteArray();
    }

    private static void optional(ByteWriter w, byte[] value) {
        w.bool(value != null);
        if (value != null) w.raw(value);
    }

    public static Receipt decode(byte[] bytes) {
        if (bytes.length > MAX_ENCODED_BYTES) throw new CodecException("receipt is " + bytes.length + " bytes, limit " + MAX_ENCODED_BYTES);
        ByteReader r = new ByteReader(bytes);
        int version = r.u8("format version");
        if (version != FORMAT_VERSION && version != FORMAT_WITH_PAYMENT) {
            throw new CodecException("receipt format version " + version + ", this code reads " + FORMAT_VERSION + " and " + FORMAT_WITH_PAYMENT);
        }
        long chainId = r.u63("chain id");
        PublicKey nodeKey = PublicKey.wrap(r.raw(PublicKey.LENGTH, "node key"));
        Address node = Address.wrap(r.raw(Address.LENGTH, "node address"));
        if (!node.equals(nodeKey.address())) throw new CodecException("node address " + node + " is not the address of the node key");
        long seq = r.u63("seq");
        long timestamp = r.u63("timestamp");
        String name = r.string(Receipt.MAX_MODEL_NAME_BYTES, "model name");
        String version2 = r.string(Receipt.MAX_MODEL_VERSION_BYTES, "model version");
        Hash digest = r.bool("has artifact digest") ? Hash.wrap(r.raw(Hash.LENGTH, "artifact digest")) : null;
        Address caller = r.bool("has caller") ? Address.wrap(r.raw(Address.LENGTH, "caller")) : null;
        Hash request = r.bool("has request hash") ? Hash.wrap(r.raw(Hash.LENGTH, "request hash")) : null;
        int status = r.u16("status");
        Hash response = null;
        String errorCode = "";
        Hash errorHash = null;
        if (status == Receipt.SUCCESS) {
            response = Hash.wrap(r.raw(Hash.LENGTH, "response hash"));
        } else {
            errorCode = r.string(Receipt.MAX_ERROR_CODE_BYTES, "error code");
            errorHash = Hash.wrap(r.raw(Hash.LENGTH, "error message hash"));
        }
        long fee = r.u63("fee");
        try {
            PaidBy paidBy = null;
            if (version == FORMAT_WITH_PAYMENT) {
                int tag = r.u8("paid-by tag");
                paidBy = switch (tag) {
                    case PAID_BY_CHANNEL -> new PaidBy.Channel(io.maaschain.ledger.tx.PaymentAuthorisation.read(r));
                    case PAID_BY_SPENDING_KEY -> new PaidBy.SpendingKey(Hash.wrap(r.raw(Hash.LENGTH, "spending key hash")));
                    default -> throw new CodecException("paid-by tag " + tag + " is neither 1 (channel) nor 2 (spending key)");
                };
            }
            r.expectEnd();
            return new Receipt(chainId, nodeKey, seq, timestamp, name, version2, digest, caller, request, status, response, errorCode, errorHash,
                    fee, paidBy);
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid receipt: " + e.getMessage());
        }
    }

    /** The exact bytes the node signs: the domain tag followed by the encoding as sent. */
    public static byte[] signingMessage(byte[] encoding) {
        byte[] m = new byte[SIGNING_DOMAIN.length + encoding.length];
        System.arraycopy(SIGNING_DOMAIN, 0, m, 0, SIGNING_DOMAIN.length);
        System.arraycopy(encoding, 0, m, SIGNING_DOMAIN.length, encoding.length);
        return m;
    }
}
