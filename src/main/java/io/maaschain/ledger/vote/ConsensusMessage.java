package io.maaschain.ledger.vote;

import io.maaschain.ledger.block.Block;
import java.util.Objects;

/** What validators gossip besides blocks and transactions (docs/consensus.md, "Messages"). */
public sealed interface ConsensusMessage {
    /** A signed vote. */
    record VoteMessage(Vote vote) implements ConsensusMessage {
        public VoteMessage {
            Objects.requireNonNull(vote, "vote");
        }
    }

    /**
     * A bft proposal: the signed block (its seal's slot is the round) and the round of the proof-of-lock it re-proposes,
     * or -1. {@code validRound} is not signed: a wrong value can only make honest validators prevote nil.
     */
    record Proposal(Block block, int validRound) implements ConsensusMessage {
        public Proposal {
            Objects.requireNonNull(block, "block");
            if (validRound < -1) throw new IllegalArgumentException("valid round below -1");
        }
    }
}
