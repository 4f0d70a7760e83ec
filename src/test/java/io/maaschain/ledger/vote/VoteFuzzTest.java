package io.maaschain.ledger.vote;

import static io.maaschain.testing.FuzzInvariant.roundTrip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Evidence;
import java.util.Arrays;
import java.util.List;

/** Votes of every type, consensus messages (votes and proposals) and equivocation evidence. */
class VoteFuzzTest {
    /** What the gossip layer allows by default for a consensus message: large enough for a proposal's block. */
    private static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final long CHAIN_ID = 1337;

    @FuzzTest
    void vote(byte[] input) {
        roundTrip(input, VoteCodec::decode, VoteCodec::encode, List.of(CodecException.class));
    }

    @FuzzTest
    void consensusMessage(byte[] input) {
        roundTrip(input, b -> ConsensusMessageCodec.decode(b, MAX_MESSAGE_BYTES), ConsensusMessageCodec::encode,
                List.of(CodecException.class));
    }

    /**
     * Evidence arrives inside a transaction as two opaque vote encodings; the check decodes both and either names
     * the offender or refuses with a {@link Rejection}. The first input byte says where the first vote ends.
     */
    @FuzzTest
    void evidence(byte[] input) {
        if (input.length == 0) return;
        int split = Math.min(input[0] & 0xFF, input.length - 1);
        byte[] first = Arrays.copyOfRange(input, 1, 1 + split);
        byte[] second = Arrays.copyOfRange(input, 1 + split, input.length);
        if (first.length > Evidence.MAX_ITEM_BYTES || second.length > Evidence.MAX_ITEM_BYTES) return;
        try {
            EvidenceCheck.offender(new Evidence(first, second), CHAIN_ID);
        } catch (Rejection refused) {
            // typed rejection: the evidence transaction is invalid
        }
    }
}
