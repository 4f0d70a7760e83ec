package io.maaschain.ledger.block;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;

/** The canonical header encoding (docs/spec.md, "Block header"). */
public final class HeaderCodec {
    public static final int FORMAT_VERSION = 1;
    public static final int MAX_HEADER_BYTES = 1024;

    private HeaderCodec() {}

    public static byte[] encode(Header h) {
        ByteWriter w = new ByteWriter(160)
                .u8(FORMAT_VERSION)
                .u64(h.height())
                .raw(h.parentHash().toBytes())
                .u64(h.timestampMillis())
                .raw(h.txRoot().toBytes())
                .raw(h.stateRoot().toBytes())
                .raw(h.proposer().toBytes())
                .u32(h.txCount())
                .u8(h.seal().kind());
        switch (h.seal()) {
            case PowSeal p -> w.u32(p.bits() & 0xFFFF_FFFFL).u64(p.nonce());
        }
        return w.toByteArray();
    }

    public static Hash hash(Header h) {
        return Sha256.doubleHash(encode(h));
    }

    public static Header decode(byte[] bytes) {
        if (bytes.length > MAX_HEADER_BYTES) throw new CodecException("header is " + bytes.length + " bytes, limit " + MAX_HEADER_BYTES);
        ByteReader r = new ByteReader(bytes);
        Header h = read(r);
        r.expectEnd();
        return h;
    }

    static Header read(ByteReader r) {
        int version = r.u8("header format version");
        if (version != FORMAT_VERSION) throw new CodecException("unknown header format version " + version);
        long height = r.u63("height");
        Hash parent = Hash.wrap(r.raw(Hash.LENGTH, "parent hash"));
        long timestamp = r.u63("timestamp");
        Hash txRoot = Hash.wrap(r.raw(Hash.LENGTH, "tx root"));
        Hash stateRoot = Hash.wrap(r.raw(Hash.LENGTH, "state root"));
        Address proposer = Address.wrap(r.raw(Address.LENGTH, "proposer"));
        long txCount = r.u32("tx count");
        if (txCount > Integer.MAX_VALUE) throw new CodecException("tx count too large");
        int sealKind = r.u8("seal kind");
        Seal seal = switch (sealKind) {
            case PowSeal.KIND -> new PowSeal((int) r.u32("pow bits"), r.u64("pow nonce"));
            default -> throw new CodecException("unknown seal kind " + sealKind);
        };
        return new Header(height, parent, timestamp, txRoot, stateRoot, proposer, (int) txCount, seal);
    }
}
