package io.maaschain.ledger.vote;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import java.nio.charset.StandardCharsets;

/**
 * The canonical vote encoding (docs/consensus.md, "Votes"): a type byte, the type's fields, the validator's key and the
 * signature. The signature covers the domain tag, the chain id and the encoding up to (excluding) the key.
 */
public final class VoteCodec {
    public static final byte[] DOMAIN = "maaschain/vote/v1".getBytes(StandardCharsets.US_ASCII);
    public static final int CHECKPOINT_LENGTH = 1 + 8 + 32 + 8 + 32 + 32 + 64;
    public static final int ROUND_LENGTH = 1 + 8 + 4 + 32 + 32 + 64;
    public static final int PROPOSAL_LENGTH = 1 + 8 + 8 + 32 + 32 + 64;

    private VoteCodec() {}

    public static byte[] encode(Vote v) {
        ByteWriter w = new ByteWriter(CHECKPOINT_LENGTH);
        writeBody(w, v);
        return w.raw(v.validator().toBytes()).raw(v.signature().toBytes()).toByteArray();
    }

    public static void write(ByteWriter w, Vote v) {
        w.raw(encode(v));
    }

    public static byte[] signingMessage(Vote v, long chainId) {
        ByteWriter w = new ByteWriter(DOMAIN.length + 8 + CHECKPOINT_LENGTH).raw(DOMAIN).u64(chainId);
        writeBody(w, v);
        return w.toByteArray();
    }

    private static void writeBody(ByteWriter w, Vote v) {
        switch (v) {
            case CheckpointVote c -> w.u8(CheckpointVote.TYPE).u64(c.sourceEpoch()).raw(c.sourceHash().toBytes())
                    .u64(c.targetEpoch()).raw(c.targetHash().toBytes());
            case RoundVote r -> w.u8(r.step().type).u64(r.height()).u32(r.round()).raw(r.blockHash().toBytes());
            case ProposalSignature p -> w.u8(ProposalSignature.TYPE).u64(p.height()).u64(p.slot()).raw(p.headerDigest().toBytes());
        }
    }

    public static Vote decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        Vote v = read(r);
        r.expectEnd();
        return v;
    }

    public static Vote read(ByteReader r) {
        int type = r.u8("vote type");
        try {
            return switch (type) {
                case CheckpointVote.TYPE -> new CheckpointVote(r.u63("source epoch"), hash(r, "source hash"), r.u63("target epoch"),
                        hash(r, "target hash"), key(r), signature(r));
                case RoundVote.PREVOTE_TYPE, RoundVote.PRECOMMIT_TYPE -> {
                    RoundVote.Step step = type == RoundVote.PREVOTE_TYPE ? RoundVote.Step.PREVOTE : RoundVote.Step.PRECOMMIT;
                    long height = r.u63("vote height");
                    long round = r.u32("vote round");
                    if (round > Integer.MAX_VALUE) throw new CodecException("vote round " + round + " too large");
                    yield new RoundVote(step, height, (int) round, hash(r, "block hash"), key(r), signature(r));
                }
                case ProposalSignature.TYPE -> new ProposalSignature(r.u63("proposal height"), r.u63("proposal slot"),
                        hash(r, "header digest"), key(r), signature(r));
                default -> throw new CodecException("unknown vote type " + type);
            };
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid vote: " + e.getMessage());
        }
    }

    private static Hash hash(ByteReader r, String what) {
        return Hash.wrap(r.raw(Hash.LENGTH, what));
    }

    private static PublicKey key(ByteReader r) {
        return PublicKey.wrap(r.raw(PublicKey.LENGTH, "validator key"));
    }

    private static Signature signature(ByteReader r) {
        return Signature.wrap(r.raw(Signature.LENGTH, "vote signature"));
    }
}
