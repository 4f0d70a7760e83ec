package io.maaschain.consensus.protocol;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import java.util.Optional;

/**
 * What a validator has signed, reduced to watermarks (the "minimal" slashing protection of EIP-3076 and Tendermint's
 * privval last-sign state): FFG votes must move both source and target forward, round votes and proposals must move
 * (height, round, step) or (height, slot) forward, except that exactly the same statement may be signed again.
 * Signing only what this admits can never produce two conflicting statements.
 */
public record SigningHistory(long maxSourceEpoch, long maxTargetEpoch, long roundHeight, int roundRound, int roundStep, Hash roundHash,
                             long proposalHeight, long proposalSlot, Hash proposalDigest) {
    public static final SigningHistory EMPTY = new SigningHistory(-1, -1, 0, -1, 0, Hash.ZERO, 0, -1, Hash.ZERO);
    private static final int VERSION = 1;

    /** The history after signing {@code v}, or empty if signing it could conflict with something signed before. */
    public Optional<SigningHistory> admit(Vote v) {
        return switch (v) {
            case CheckpointVote c -> c.targetEpoch() > maxTargetEpoch && c.sourceEpoch() >= maxSourceEpoch
                    ? Optional.of(new SigningHistory(c.sourceEpoch(), c.targetEpoch(), roundHeight, roundRound, roundStep, roundHash,
                            proposalHeight, proposalSlot, proposalDigest))
                    : Optional.empty();
            case RoundVote r -> {
                int order = compare(r.height(), r.round(), r.step().type, roundHeight, roundRound, roundStep);
                yield order > 0 || (order == 0 && r.blockHash().equals(roundHash))
                        ? Optional.of(new SigningHistory(maxSourceEpoch, maxTargetEpoch, r.height(), r.round(), r.step().type, r.blockHash(),
                                proposalHeight, proposalSlot, proposalDigest))
                        : Optional.empty();
            }
            case ProposalSignature p -> {
                int order = compare(p.height(), p.slot(), 0, proposalHeight, proposalSlot, 0);
                yield order > 0 || (order == 0 && p.headerDigest().equals(proposalDigest))
                        ? Optional.of(new SigningHistory(maxSourceEpoch, maxTargetEpoch, roundHeight, roundRound, roundStep, roundHash,
                                p.height(), p.slot(), p.headerDigest()))
                        : Optional.empty();
            }
        };
    }

    private static int compare(long h1, long r1, int s1, long h2, long r2, int s2) {
        if (h1 != h2) return Long.compare(h1, h2);
        if (r1 != r2) return Long.compare(r1, r2);
        return Integer.compare(s1, s2);
    }

    public byte[] encode() {
        return new ByteWriter(128).u8(VERSION).u64(maxSourceEpoch + 1).u64(maxTargetEpoch + 1).u64(roundHeight).u32(roundRound + 1L)
                .u8(roundStep).raw(roundHash.toBytes()).u64(proposalHeight).u64(proposalSlot + 1).raw(proposalDigest.toBytes()).toByteArray();
    }

    public static SigningHistory decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int version = r.u8("signing history version");
        if (version != VERSION) throw new io.maaschain.codec.CodecException("unknown signing history version " + version);
        SigningHistory h = new SigningHistory(r.u63("max source") - 1, r.u63("max target") - 1, r.u63("round height"),
                (int) (r.u32("round") - 1), r.u8("step"), Hash.wrap(r.raw(Hash.LENGTH, "round hash")), r.u63("proposal height"),
                r.u63("proposal slot") - 1, Hash.wrap(r.raw(Hash.LENGTH, "proposal digest")));
        r.expectEnd();
        return h;
    }
}
