package io.maaschain.ledger.tx;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        switch (tx.payload()) {
            case Transfer t -> w.raw(t.to().toBytes()).u64(t.amount());
            case RegisterModel m -> {
                w.string(m.name()).string(m.version()).raw(m.artifactDigest().toBytes())
                        .u64(m.artifactSize()).string(m.format()).string(m.license()).u64(m.pricePerCall());
                writeHashes(w, m.parentModels());
                writeHashes(w, m.datasets());
            }
            case UpdatePermissions u -> {
                writeAddresses(w, u.addAccounts());
                writeAddresses(w, u.removeAccounts());
                writeKeys(w, u.addNodes());
                writeKeys(w, u.removeNodes());
                writeAddresses(w, u.addAdmins());
                writeAddresses(w, u.removeAdmins());
            }
        }
        return w.toByteArray();
    }

    private static void writeHashes(ByteWriter w, List<Hash> hashes) {
        w.u16(hashes.size());
        for (Hash h : hashes) w.raw(h.toBytes());
    }

    private static void writeAddresses(ByteWriter w, List<Address> list) {
        w.u16(list.size());
        for (Address a : list) w.raw(a.toBytes());
    }

    private static void writeKeys(ByteWriter w, List<PublicKey> list) {
        w.u16(list.size());
        for (PublicKey k : list) w.raw(k.toBytes());
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
        Payload payload;
        try {
            payload = switch (kind) {
                case Transfer.KIND -> new Transfer(Address.wrap(r.raw(Address.LENGTH, "recipient")), r.u63("amount"));
                case RegisterModel.KIND -> new RegisterModel(
                        r.string(RegisterModel.MAX_NAME, "model name"),
                        r.string(RegisterModel.MAX_VERSION, "model version"),
                        Hash.wrap(r.raw(Hash.LENGTH, "artifact digest")),
                        r.u63("artifact size"),
                        r.string(RegisterModel.MAX_FORMAT, "model format"),
                        r.string(RegisterModel.MAX_LICENSE, "license"),
                        r.u63("price per call"),
                        readHashes(r, "parent models"),
                        readHashes(r, "datasets"));
                case UpdatePermissions.KIND -> new UpdatePermissions(readAddresses(r, "addAccounts"), readAddresses(r, "removeAccounts"),
                        readKeys(r, "addNodes"), readKeys(r, "removeNodes"), readAddresses(r, "addAdmins"), readAddresses(r, "removeAdmins"));
                default -> throw new CodecException("unknown payload kind " + kind);
            };
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid payload: " + e.getMessage());
        }
        int bodyLength = r.position();
        Signature signature = Signature.wrap(r.raw(Signature.LENGTH, "signature"));
        r.expectEnd();
        return Transaction.decoded(new UnsignedTransaction(chainId, sender, nonce, fee, payload), signature,
                bytes.clone(), bodyLength);
    }

    private static List<Address> readAddresses(ByteReader r, String what) {
        int n = boundedCount(r, what);
        List<Address> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(Address.wrap(r.raw(Address.LENGTH, what)));
        return out;
    }

    private static List<PublicKey> readKeys(ByteReader r, String what) {
        int n = boundedCount(r, what);
        List<PublicKey> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(PublicKey.wrap(r.raw(PublicKey.LENGTH, what)));
        return out;
    }

    private static int boundedCount(ByteReader r, String what) {
        int n = r.u16(what + " count");
        if (n > UpdatePermissions.MAX_ENTRIES) throw new CodecException(what + ": " + n + " entries, limit " + UpdatePermissions.MAX_ENTRIES);
        return n;
    }

    private static List<Hash> readHashes(ByteReader r, String what) {
        int n = r.u16(what + " count");
        if (n > RegisterModel.MAX_LINEAGE) throw new CodecException(what + ": " + n + " entries, limit " + RegisterModel.MAX_LINEAGE);
        List<Hash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(Hash.wrap(r.raw(Hash.LENGTH, what)));
        return out;
    }
}
