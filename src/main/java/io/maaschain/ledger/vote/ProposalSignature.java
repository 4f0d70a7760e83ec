package io.maaschain.ledger.vote;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import java.util.Objects;

/**
 * A proposer's signature over a block header: what a validator seal's signature signs. {@code headerDigest} is
 * SHA-256 of the header encoding without the trailing signature ({@code HeaderCodec.unsignedDigest}). Kept this small
 * so that evidence of a double proposal (two of these for one height and slot) fits in a transaction.
 */
public record ProposalSignature(long height, long slot, Hash headerDigest, PublicKey validator, Signature signature) implements Vote {
    public static final int TYPE = 4;

    public ProposalSignature {
        Objects.requireNonNull(headerDigest, "headerDigest");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(signature, "signature");
        if (height < 1 || slot < 0) throw new IllegalArgumentException("proposal for height " + height + ", slot " + slot);
    }

    @Override
    public ProposalSignature withSignature(Signature s) {
        return new ProposalSignature(height, slot, headerDigest, validator, s);
    }

    /** A double proposal: two different headers for the same height and slot. */
    @Override
    public boolean conflictsWith(Vote other) {
        return other instanceof ProposalSignature o && validator.equals(o.validator) && height == o.height && slot == o.slot
                && !headerDigest.equals(o.headerDigest);
    }
}
