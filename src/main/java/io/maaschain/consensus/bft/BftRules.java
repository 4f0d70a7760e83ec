package io.maaschain.consensus.bft;

import io.maaschain.codec.CodecException;
import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.SetValidator;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.ConsensusRules;
import io.maaschain.state.Permissions;
import io.maaschain.state.WorldState;
import java.util.Arrays;

/**
 * The bft payloads. {@code SetValidator}: a permissioned chain's admin sets a validator's power (0 removes it).
 * {@code Evidence}: two conflicting statements signed by a current validator remove it. Both change the validator set
 * of the next height; the set that votes on the current one is fixed when its block begins.
 */
final class BftRules implements ConsensusRules {
    private final long chainId;

    BftRules(long chainId) {
        this.chainId = chainId;
    }

    /** SetValidator and Evidence; Stake, Unstake, RegisterProducer and VoteProducers can never apply here. */
    @Override
    public boolean accepts(Payload payload) {
        return payload instanceof SetValidator || payload instanceof Evidence;
    }

    @Override
    public void applyPayload(WorldState state, Transaction tx, long height) throws Rejection {
        switch (tx.payload()) {
            case SetValidator s -> setValidator(state, tx, s);
            case Evidence e -> evidence(state, e);
            default -> throw new Rejection(RejectCode.UNSUPPORTED_PAYLOAD, "the bft engine does not accept payload kind " + tx.payload().kind());
        }
    }

    private static void setValidator(WorldState state, Transaction tx, SetValidator s) throws Rejection {
        if (!Permissions.isAdmin(state, tx.sender())) {
            throw new Rejection(RejectCode.NOT_ADMIN, Permissions.isPermissioned(state)
                    ? "account " + tx.sender() + " is not an admin" : "validators change only by an admin of a permissioned chain");
        }
        if (s.power() > ValidatorSet.MAX_POWER) throw new Rejection(RejectCode.OVERFLOW, "power " + s.power() + " exceeds " + ValidatorSet.MAX_POWER);
        ValidatorSet current = BftState.nextValidators(state);
        if (s.power() == 0 && !current.contains(s.validator())) {
            throw new Rejection(RejectCode.NOT_VALIDATOR, s.validator() + " is not a validator");
        }
        if (s.power() == 0 && current.size() == 1) {
            throw new Rejection(RejectCode.INSUFFICIENT_STAKE, "cannot remove the last validator: the chain would halt");
        }
        if (s.power() > 0 && !current.contains(s.validator()) && current.size() >= ValidatorSet.MAX_VALIDATORS) {
            throw new Rejection(RejectCode.OVERFLOW, "the validator set is full (" + ValidatorSet.MAX_VALIDATORS + ")");
        }
        BftState.setNextValidators(state, current.with(s.validator(), s.power()));
    }

    private void evidence(WorldState state, Evidence e) throws Rejection {
        Vote a = decode(e.first(), "first");
        Vote b = decode(e.second(), "second");
        boolean bftStatements = (a instanceof RoundVote && b instanceof RoundVote) || (a instanceof ProposalSignature && b instanceof ProposalSignature);
        if (!bftStatements) throw new Rejection(RejectCode.INVALID_EVIDENCE, "bft evidence is two round votes or two proposal signatures");
        PublicKey offender = EvidenceCheck.offender(e, chainId);
        var used = BftState.usedEvidenceKey(fingerprint(e.first(), e.second()));
        if (state.get(used) != null) throw new Rejection(RejectCode.DUPLICATE, "this evidence was already used");
        ValidatorSet current = BftState.nextValidators(state);
        if (!current.contains(offender)) {
            throw new Rejection(RejectCode.NOT_VALIDATOR, offender + " is not a current validator (already removed?)");
        }
        if (current.size() == 1) throw new Rejection(RejectCode.INVALID_EVIDENCE, "cannot remove the last validator: the chain would halt");
        BftState.setNextValidators(state, current.with(offender, 0));
        state.put(used, new byte[] {1});
    }

    private static Vote decode(byte[] bytes, String which) throws Rejection {
        try {
            return VoteCodec.decode(bytes);
        } catch (CodecException ex) {
            throw new Rejection(RejectCode.INVALID_EVIDENCE, "the " + which + " statement is malformed: " + ex.getMessage());
        }
    }

    /** The same for both orders of the pair, so swapping them is not new evidence. */
    private static io.maaschain.crypto.Hash fingerprint(byte[] x, byte[] y) {
        boolean ordered = Arrays.compareUnsigned(x, y) <= 0;
        byte[] lo = ordered ? x : y;
        byte[] hi = ordered ? y : x;
        return Sha256.hash(new io.maaschain.codec.ByteWriter(lo.length + hi.length + 8).bytes(lo).bytes(hi).toByteArray());
    }
}
