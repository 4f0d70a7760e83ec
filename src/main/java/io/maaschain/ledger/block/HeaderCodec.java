package io.maaschain.ledger.block;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import java.util.ArrayList;
import java.util.List;

/** The canonical header encoding (docs/spec.md, "Block header"). */
public final class HeaderCodec {
    public static final int FORMAT_VERSION = 1;
    /** Room for a validator seal with {@link ValidatorSeal#MAX_VOTES} checkpoint votes. */
    public static final int MAX_HEADER_BYTES = 48 * 1024;

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
            case ValidatorSeal v -> {
                w.u64(v.slot()).raw(v.proposerKey().toBytes()).raw(v.reveal().toBytes()).u16(v.votes().size());
                v.votes().forEach(vote -> VoteCodec.write(w, vote));
                w.raw(v.signature().toBytes());
            }
        }
        return w.toByteArray();
    }

    /**
     * SHA-256 of the header encoding without the trailing 64-byte signature of its validator seal. The proposer signs
     * it as a {@link io.maaschain.ledger.vote.ProposalSignature} (with the height and slot, under the chain id).
     */
    public static Hash unsignedDigest(Header h) {
        if (!(h.seal() instanceof ValidatorSeal)) throw new IllegalArgumentException("only validator seals are signed");
        byte[] encoded = encode(h);
        return Sha256.hash(java.util.Arrays.copyOf(encoded, encoded.length - Signature.LENGTH));
    }

    /** The statement a validator seal's signature signs, with that signature. */
    public static ProposalSignature proposalSignature(Header h) {
        if (!(h.seal() instanceof ValidatorSeal v)) throw new IllegalArgumentException("only validator seals are signed");
        return new ProposalSignature(h.height(), v.slot(), unsignedDigest(h), v.proposerKey(), v.signature());
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
            case ValidatorSeal.KIND -> readValidatorSeal(r);
            default -> throw new CodecException("unknown seal kind " + sealKind);
        };
        return new Header(height, parent, timestamp, txRoot, stateRoot, proposer, (int) txCount, seal);
    }

    private static ValidatorSeal readValidatorSeal(ByteReader r) {
        long slot = r.u63("slot");
        PublicKey key = PublicKey.wrap(r.raw(PublicKey.LENGTH, "proposer key"));
        Hash reveal = Hash.wrap(r.raw(Hash.LENGTH, "reveal"));
        int count = r.u16("vote count");
        if (count > ValidatorSeal.MAX_VOTES) throw new CodecException(count + " votes in a seal, limit " + ValidatorSeal.MAX_VOTES);
        List<Vote> votes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) votes.add(VoteCodec.read(r));
        return new ValidatorSeal(slot, key, reveal, votes, Signature.wrap(r.raw(Signature.LENGTH, "seal signature")));
    }
}
