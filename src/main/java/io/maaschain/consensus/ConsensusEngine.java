package io.maaschain.consensus;

import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.Seal;
import java.math.BigInteger;

/**
 * The port between the chain and a consensus engine (Besu's ProtocolSchedule, CometBFT's ABCI boundary):
 * seal validation, fork-choice weight and rewards. Engines are pure: no clock, sockets, disk or randomness.
 */
public interface ConsensusEngine {
    String kind();

    /** The seal of the genesis header. */
    Seal genesisSeal();

    /** The seal a proposer starts from for a block at {@code height} on {@code ancestry} (PoW: the required bits, nonce 0). */
    Seal templateSeal(HeaderAncestry ancestry, long height);

    /** Checks the engine's rules for {@code header}, whose parent is {@code ancestry.headerAt(height - 1)}. */
    void validateSeal(Header header, HeaderAncestry ancestry) throws Rejection;

    /** The block's contribution to its branch's fork-choice weight (PoW: expected hashes). */
    BigInteger weight(Header header);

    /** Newly issued coins credited to the proposer of a block at {@code height}. */
    long blockReward(long height);
}
