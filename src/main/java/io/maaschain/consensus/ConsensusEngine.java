package io.maaschain.consensus;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.Seal;
import io.maaschain.state.ConsensusRules;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * The chain rules of a consensus engine: the port between the chain and the engine (Besu's ProtocolSchedule, CometBFT's
 * ABCI boundary). It covers seal validation, the state the engine keeps (validators, stake, finality), fork-choice
 * weight and rewards. Engines are pure: no clock, sockets, disk or randomness. The active part of an engine, which
 * proposes and votes, is its {@link io.maaschain.consensus.protocol.ConsensusProtocol}.
 */
public interface ConsensusEngine {
    String kind();

    /** The seal of the genesis header. */
    Seal genesisSeal();

    /** The seal a proposer starts from for a block at {@code height} on {@code ancestry} (PoW: the required bits, nonce 0). */
    Seal templateSeal(HeaderAncestry ancestry, long height);

    /**
     * Checks the rules for {@code header} that need no state, whose parent is {@code ancestry.headerAt(height - 1)}
     * (PoW: the target and the hash; validator seals: the proposer's key and signature, the slot order).
     */
    void validateSeal(Header header, HeaderAncestry ancestry) throws Rejection;

    /** The block's contribution to its branch's fork-choice weight (PoW: expected hashes; the others: one per block). */
    BigInteger weight(Header header);

    /**
     * The fork-choice weight of the branch ending in {@code header}, given its parent's (the chain reorganises to a
     * heavier branch). Default: the parent's plus {@link #weight}. An engine whose fork choice is not a sum (dpos: the
     * highest justified source first, then length) overrides it; it must be a pure function of its arguments.
     */
    default BigInteger totalWeight(BigInteger parentTotal, Header header) {
        return parentTotal.add(weight(header));
    }

    /** Newly issued coins credited to the proposer of a block at {@code height}. */
    long blockReward(long height);

    /** State entries the engine adds to the genesis state (validators and their stake). */
    default Map<Bytes, byte[]> genesisState() {
        return Map.of();
    }

    /** The engine's transaction payloads (stake, evidence, votes for producers, validator updates). */
    default ConsensusRules rules() {
        return ConsensusRules.NONE;
    }

    /**
     * The rules and bookkeeping of a block that need its parent's state, run on that state before the block's
     * transactions: is the proposer entitled to this slot, are the carried votes valid, which checkpoint is now
     * justified or final, epoch transitions. It reads only the header's height, parent hash, timestamp, proposer and
     * seal without its signature: a proposer runs it before the roots are known and before signing.
     */
    default void beginBlock(WorldState state, Header header) throws Rejection {}

    /**
     * Whether {@code key} may sign consensus messages (votes, proposals) that count on a branch whose head state is
     * {@code state}: a member of a validator set the head's next blocks can use (pos: the previous, current or next
     * epoch's set; dpos: the active or pending schedule or a registered candidate; bft: the last or the next height's
     * set). The p2p layer relays only such signers' messages, checked before their signatures. Default: anyone.
     */
    default boolean maySign(StateReader state, PublicKey key) {
        return true;
    }

    /** The newest block that a branch whose head state is {@code state} records as final; empty if the engine has no finality. */
    default Optional<BlockRef> finalizedIn(StateReader state) {
        return Optional.empty();
    }

    /**
     * The engine's view of a head state for operators (REST {@code GET /api/v1/consensus}): validators and their weight,
     * the current epoch or schedule, missed slots, justified and final checkpoints. JSON-friendly values only.
     */
    default Map<String, Object> describe(StateReader state) {
        return Map.of("kind", kind());
    }
}
