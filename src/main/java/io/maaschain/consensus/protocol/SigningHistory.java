package io.maaschain.consensus.protocol;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a validator has signed, reduced to what slashing protection needs (the "minimal" protection of EIP-3076 and
 * Tendermint's privval last-sign state): FFG votes must move both source and target forward; round votes must move
 * (height, round, step) forward; a proposal is refused if this validator signed another header for the same height
 * at the same or a later slot. Proposals are remembered per height for the last {@link #PROPOSAL_HEIGHTS} heights
 * (below them nothing may be signed), because in pos and dpos a reorganisation can bring a validator's next slot to a
 * lower height than its last proposal. Exactly the same statement may always be signed again. Signing only what
 * this admits can never produce two conflicting statements.
 *
 * <p>{@code lastPrevote} is the last prevote signed (null if none): after a precommit has moved the watermark past
 * it, that very prevote may still be signed again, so that a validator that restarted mid-round can re-send both its
 * votes of the round; peers that lost them in the same restart could otherwise never reach +2/3 of any prevotes.
 */
public record SigningHistory(long maxSourceEpoch, long maxTargetEpoch, long roundHeight, int roundRound, int roundStep, Hash roundHash,
                             RoundMark lastPrevote, long proposalFloor, List<ProposalMark> proposals) {
    public static final int PROPOSAL_HEIGHTS = 64;
    public static final SigningHistory EMPTY = new SigningHistory(-1, -1, 0, -1, 0, Hash.ZERO, null, 0, List.of());
    private static final int VERSION = 3;
    /** Version 2 files (before {@code lastPrevote}) are still read. */
    private static final int VERSION_WITHOUT_PREVOTE = 2;

    /** A round vote's position and value. */
    public record RoundMark(long height, int round, Hash hash) {}

    /** The last proposal signed at one height. */
    public record ProposalMark(long height, long slot, Hash digest) {}

    public SigningHistory {
        proposals = List.copyOf(proposals);
    }

    /** The history after signing {@code v}, or empty if signing it could conflict with something signed before. */
    public Optional<SigningHistory> admit(Vote v) {
        return switch (v) {
            case CheckpointVote c -> c.targetEpoch() > maxTargetEpoch && c.sourceEpoch() >= maxSourceEpoch
                    ? Optional.of(new SigningHistory(c.sourceEpoch(), c.targetEpoch(), roundHeight, roundRound, roundStep, roundHash,
                            lastPrevote, proposalFloor, proposals))
                    : Optional.empty();
            case RoundVote r -> {
                int order = compare(r.height(), r.round(), r.step().type, roundHeight, roundRound, roundStep);
                boolean isLastPrevote = r.step() == RoundVote.Step.PREVOTE
                        && new RoundMark(r.height(), r.round(), r.blockHash()).equals(lastPrevote);
                if (order < 0 && isLastPrevote) yield Optional.of(this);
                RoundMark prevote = r.step() == RoundVote.Step.PREVOTE ? new RoundMark(r.height(), r.round(), r.blockHash()) : lastPrevote;
                yield order > 0 || (order == 0 && r.blockHash().equals(roundHash))
                        ? Optional.of(new SigningHistory(maxSourceEpoch, maxTargetEpoch, r.height(), r.round(), r.step().type, r.blockHash(),
                                prevote, proposalFloor, proposals))
                        : Optional.empty();
            }
            case ProposalSignature p -> admitProposal(p);
        };
    }

    private Optional<SigningHistory> admitProposal(ProposalSignature p) {
        if (p.height() < proposalFloor) return Optional.empty();
        List<ProposalMark> next = new ArrayList<>(proposals.size() + 1);
        boolean placed = false;
        for (ProposalMark m : proposals) {
            if (m.height() == p.height()) {
                boolean same = m.slot() == p.slot() && m.digest().equals(p.headerDigest());
                if (!same && m.slot() >= p.slot()) return Optional.empty();
                next.add(new ProposalMark(p.height(), p.slot(), p.headerDigest()));
                placed = true;
            } else {
                if (!placed && m.height() > p.height()) {
                    next.add(new ProposalMark(p.height(), p.slot(), p.headerDigest()));
                    placed = true;
                }
                next.add(m);
            }
        }
        if (!placed) next.add(new ProposalMark(p.height(), p.slot(), p.headerDigest()));
        long floor = proposalFloor;
        while (next.size() > PROPOSAL_HEIGHTS) floor = next.removeFirst().height() + 1;
        return Optional.of(new SigningHistory(maxSourceEpoch, maxTargetEpoch, roundHeight, roundRound, roundStep, roundHash, lastPrevote, floor, next));
    }

    /**
     * The round votes signed in the last round voted in, if that was at {@code height}, unsigned, in signing order: the
     * prevote if it is known, then the precommit if that was the last. Signing them again gives the very same votes.
     */
    public List<RoundVote> lastRoundVotesAt(long height, PublicKey validator) {
        if (roundHeight != height || roundRound < 0) return List.of();
        List<RoundVote> out = new ArrayList<>(2);
        if (lastPrevote != null && lastPrevote.height() == height && lastPrevote.round() == roundRound) {
            out.add(new RoundVote(RoundVote.Step.PREVOTE, height, roundRound, lastPrevote.hash(), validator, ValidatorSeal.UNSIGNED));
        }
        if (roundStep == RoundVote.PRECOMMIT_TYPE) {
            out.add(new RoundVote(RoundVote.Step.PRECOMMIT, height, roundRound, roundHash, validator, ValidatorSeal.UNSIGNED));
        }
        return out;
    }

    /** The slot of the last proposal signed at {@code height}, or -1. */
    public long lastProposalSlotAt(long height) {
        for (ProposalMark m : proposals) if (m.height() == height) return m.slot();
        return -1;
    }

    private static int compare(long h1, long r1, int s1, long h2, long r2, int s2) {
        if (h1 != h2) return Long.compare(h1, h2);
        if (r1 != r2) return Long.compare(r1, r2);
        return Integer.compare(s1, s2);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(128 + proposals.size() * 48).u8(VERSION).u64(maxSourceEpoch + 1).u64(maxTargetEpoch + 1)
                .u64(roundHeight).u32(roundRound + 1L).u8(roundStep).raw(roundHash.toBytes());
        if (lastPrevote == null) w.u8(0);
        else w.u8(1).u64(lastPrevote.height()).u32(lastPrevote.round() + 1L).raw(lastPrevote.hash().toBytes());
        w.u64(proposalFloor).u16(proposals.size());
        for (ProposalMark m : proposals) w.u64(m.height()).u64(m.slot()).raw(m.digest().toBytes());
        return w.toByteArray();
    }

    public static SigningHistory decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int version = r.u8("signing history version");
        if (version != VERSION && version != VERSION_WITHOUT_PREVOTE) throw new CodecException("unknown signing history version " + version);
        long maxSource = r.u63("max source") - 1;
        long maxTarget = r.u63("max target") - 1;
        long roundHeight = r.u63("round height");
        int round = (int) (r.u32("round") - 1);
        int step = r.u8("step");
        Hash roundHash = Hash.wrap(r.raw(Hash.LENGTH, "round hash"));
        RoundMark prevote = null;
        if (version == VERSION && r.bool("has last prevote")) {
            long h = r.u63("prevote height");
            long pr = r.u32("prevote round") - 1;
            if (pr < 0 || pr > Integer.MAX_VALUE) throw new CodecException("prevote round out of range");
            prevote = new RoundMark(h, (int) pr, Hash.wrap(r.raw(Hash.LENGTH, "prevote hash")));
        }
        long floor = r.u63("proposal floor");
        int n = r.u16("proposal count");
        if (n > PROPOSAL_HEIGHTS) throw new CodecException(n + " proposals in a signing history, limit " + PROPOSAL_HEIGHTS);
        List<ProposalMark> marks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) marks.add(new ProposalMark(r.u63("proposal height"), r.u63("proposal slot"), Hash.wrap(r.raw(Hash.LENGTH, "digest"))));
        r.expectEnd();
        return new SigningHistory(maxSource, maxTarget, roundHeight, round, step, roundHash, prevote, floor, marks);
    }
}
