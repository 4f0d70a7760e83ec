package io.maaschain.ledger.block;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.vote.Vote;
import java.util.List;
import java.util.Objects;

/**
 * The seal of the vote-based engines (pos, dpos, bft). {@code slot}: the proposal slot (pos, dpos) or the round (bft).
 * {@code proposerKey} must hash to the header's proposer address. {@code reveal}: the proposer's RANDAO reveal (pos;
 * zero otherwise). {@code votes}: finality votes the block carries (FFG checkpoint votes; for bft the precommits that
 * committed the parent). {@code signature}: the proposer's Ed25519 signature of {@link HeaderCodec#proposalSignature}.
 */
public record ValidatorSeal(long slot, PublicKey proposerKey, Hash reveal, List<Vote> votes, Signature signature) implements Seal {
    public static final int KIND = 2;
    public static final int MAX_VOTES = 256;
    public static final Signature UNSIGNED = Signature.wrap(new byte[Signature.LENGTH]);

    public ValidatorSeal {
        Objects.requireNonNull(proposerKey, "proposerKey");
        Objects.requireNonNull(reveal, "reveal");
        Objects.requireNonNull(signature, "signature");
        votes = List.copyOf(votes);
        if (slot < 0) throw new IllegalArgumentException("negative slot");
        if (votes.size() > MAX_VOTES) throw new IllegalArgumentException(votes.size() + " votes in a seal, limit " + MAX_VOTES);
    }

    public ValidatorSeal withSignature(Signature s) {
        return new ValidatorSeal(slot, proposerKey, reveal, votes, s);
    }

    @Override
    public int kind() {
        return KIND;
    }
}
