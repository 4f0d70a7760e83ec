package io.maaschain.ledger.tx;

import io.maaschain.crypto.Hash;
import java.util.Objects;

/**
 * Moves {@code amount} from the sender's balance into its bonded stake (proof of stake: validator weight; delegated
 * proof of stake: voting weight). {@code revealCommitment} is the top of the sender's RANDAO hash onion
 * (docs/consensus.md); it is recorded on the first stake and must repeat the recorded value on later ones.
 */
public record Stake(long amount, Hash revealCommitment) implements Payload {
    public static final int KIND = 13;

    public Stake {
        Objects.requireNonNull(revealCommitment, "revealCommitment");
        if (amount <= 0) throw new IllegalArgumentException("stake amount must be positive");
    }

    @Override
    public int kind() {
        return KIND;
    }

    @Override
    public long amountSent() {
        return amount;
    }
}
