package io.maaschain.consensus.protocol;

import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.vote.ConsensusMessage;
import java.util.List;

/**
 * The active part of an engine on one validator: decides when to propose, what to vote and when a block is final.
 * A deterministic state machine: time, chain events and peer messages are its only inputs, and everything it wants
 * done comes back as {@link Action}s. The node drives it with the wall clock and the network; the simulation drives it
 * with a seeded virtual clock and network. It must never be called from two threads at once.
 */
public interface ConsensusProtocol {
    /** Called once before any other input, with the chain as stored (after a restart too). */
    List<Action> start(long nowMillis);

    /** The wall clock reached {@code nowMillis}: at or after a time asked for by {@link Action.WakeAt}. */
    List<Action> onTick(long nowMillis);

    /** The chain's head changed (a block was imported, or a reorganisation happened). */
    List<Action> onHeadChanged(long nowMillis);

    /** A consensus message from a peer (already decoded, not yet verified). */
    List<Action> onMessage(ConsensusMessage message, long nowMillis);

    /** The block that this validator asked for with {@link Action.Propose}, built and signed. */
    List<Action> onOwnProposal(Block block, long nowMillis);

    /** A short human-readable state for logs and status (round, step, locked value, ...). */
    String describe();
}
