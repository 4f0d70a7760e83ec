package io.maaschain.state;

import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transaction;

/**
 * The consensus engine's part of the state transition: the payloads that only make sense for one engine (stake,
 * unstake, evidence, producer registration and votes, validator updates). The sender's nonce, fee and the coins
 * the payload sends ({@code amountSent}) are already taken when this runs.
 */
@FunctionalInterface
public interface ConsensusRules {
    void applyPayload(WorldState state, Transaction tx, long height) throws Rejection;

    /**
     * Whether this engine has a rule for the consensus payload {@code payload} (kinds 13-18). A kind it refuses can never
     * apply on this chain, whatever the state: {@link StateTransition#checkStateless} refuses it with
     * {@code UNSUPPORTED_PAYLOAD}, so the pool and block validity decide by this one rule. Default: every kind, each
     * decided when applied.
     */
    default boolean accepts(Payload payload) {
        return true;
    }

    /** For engines without consensus payloads (proof of work). */
    ConsensusRules NONE = new ConsensusRules() {
        @Override
        public void applyPayload(WorldState state, Transaction tx, long height) throws Rejection {
            throw new Rejection(RejectCode.UNSUPPORTED_PAYLOAD, "this chain's consensus engine does not accept payload kind " + tx.payload().kind());
        }

        @Override
        public boolean accepts(Payload payload) {
            return false;
        }
    };
}
