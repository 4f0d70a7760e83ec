package io.maaschain.ledger.vote;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.ledger.block.BlockCodec;

/** Encoding of {@link ConsensusMessage}: a tag byte (1 vote, 2 proposal) and the body. */
public final class ConsensusMessageCodec {
    public static final int VOTE_TAG = 1;
    public static final int PROPOSAL_TAG = 2;

    private ConsensusMessageCodec() {}

    public static byte[] encode(ConsensusMessage m) {
        return switch (m) {
            case ConsensusMessage.VoteMessage v -> new ByteWriter(VoteCodec.CHECKPOINT_LENGTH + 1).u8(VOTE_TAG).raw(VoteCodec.encode(v.vote())).toByteArray();
            case ConsensusMessage.Proposal p -> {
                byte[] block = BlockCodec.encode(p.block());
                yield new ByteWriter(block.length + 9).u8(PROPOSAL_TAG).u32(p.validRound() + 1L).bytes(block).toByteArray();
            }
        };
    }

    /** Decodes a message of at most {@code maxBytes}; anything else is a {@link CodecException}. */
    public static ConsensusMessage decode(byte[] bytes, int maxBytes) {
        if (bytes.length > maxBytes) throw new CodecException("consensus message is " + bytes.length + " bytes, limit " + maxBytes);
        ByteReader r = new ByteReader(bytes);
        int tag = r.u8("message tag");
        ConsensusMessage m = switch (tag) {
            case VOTE_TAG -> new ConsensusMessage.VoteMessage(VoteCodec.read(r));
            case PROPOSAL_TAG -> {
                long validRound = r.u32("valid round") - 1;
                if (validRound > Integer.MAX_VALUE) throw new CodecException("valid round too large");
                yield new ConsensusMessage.Proposal(BlockCodec.decode(r.bytes(maxBytes, "block")), (int) validRound);
            }
            default -> throw new CodecException("unknown consensus message tag " + tag);
        };
        r.expectEnd();
        return m;
    }
}
