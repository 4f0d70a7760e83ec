package io.maaschain.consensus;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;

/** Checks an {@link Evidence} payload: two well-formed statements, both validly signed on this chain, by one validator, in conflict. */
public final class EvidenceCheck {
    private EvidenceCheck() {}

    /** The validator that equivocated; a {@link Rejection} (INVALID_EVIDENCE) if the evidence proves nothing. */
    public static PublicKey offender(Evidence e, long chainId) throws Rejection {
        Vote a = decode(e.first());
        Vote b = decode(e.second());
        if (!a.validator().equals(b.validator())) throw new Rejection(RejectCode.INVALID_EVIDENCE, "the two statements are by different validators");
        if (!a.conflictsWith(b)) throw new Rejection(RejectCode.INVALID_EVIDENCE, "the two statements do not conflict");
        if (!a.verify(chainId) || !b.verify(chainId)) throw new Rejection(RejectCode.INVALID_EVIDENCE, "a statement's signature is invalid on this chain");
        return a.validator();
    }

    /** Evidence from two conflicting statements, in a canonical order so that both orders give one transaction payload. */
    public static Evidence of(Vote a, Vote b) {
        byte[] x = VoteCodec.encode(a);
        byte[] y = VoteCodec.encode(b);
        return java.util.Arrays.compareUnsigned(x, y) <= 0 ? new Evidence(x, y) : new Evidence(y, x);
    }

    private static Vote decode(byte[] bytes) throws Rejection {
        try {
            return VoteCodec.decode(bytes);
        } catch (CodecException ex) {
            throw new Rejection(RejectCode.INVALID_EVIDENCE, "malformed statement: " + ex.getMessage());
        }
    }
}
