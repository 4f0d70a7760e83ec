package io.maaschain.state;

import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Transaction;

/**
 * The consensus engine's part of the state transition: the payloads that only make sense for one engine (stake,
 * unstake, evidence, producer registration and votes, validator updates). The sender's nonce, fee and the coins
 * the payload sends ({@code amountSent}) are already taken when this runs.
 */
@FunctionalInterface
public interface ConsensusRules {
    void applyPayload(WorldState state, Transaction tx, long height) throws Rejection;

    /** For engines without consensus payloads (proof of work). */
    ConsensusRules NONE = (state, tx, height) -> {
        throw new Rejection(RejectCode.UNSUPPORTED_PAYLOAD, "this chain's consensus engine does not accept payload kind " + tx.payload().kind());
    };
}
