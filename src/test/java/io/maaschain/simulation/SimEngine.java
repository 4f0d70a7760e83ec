package io.maaschain.simulation;

import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.state.StateReader;
import java.util.List;

/** What the simulation needs to know about one consensus engine: everything else is engine-agnostic. */
public interface SimEngine {
    /** Short name used in failure messages ("bft", "pos", ...). */
    String name();

    /** The genesis {@code consensus} section for these validators (usually the engine's {@code genesisSection}). */
    String consensusSection(List<KeyPair> validators);

    /** The chain rules; by default as a node would create them from the genesis file. */
    default ConsensusEngine engine(Genesis genesis) {
        return ConsensusFactory.create(genesis);
    }

    /** The protocol of one validator, fresh at every (re)start; {@code key} is its key (pos derives its RANDAO onion from it). */
    ConsensusProtocol protocol(Genesis genesis, ConsensusEngine engine, ChainView view, ValidatorSigner signer, KeyPair key);

    /** True if, in {@code state}, {@code validator} has been punished for equivocating (removed, stake burned). */
    boolean isSlashed(StateReader state, PublicKey validator);

    /** How long after the network heals every honest node must have finalized {@link #livenessBlocks} more blocks. */
    long livenessWindowMillis();

    int livenessBlocks();

    /**
     * True if the network layer hands the protocol the proposal statement ({@code HeaderCodec.proposalSignature}) of
     * every block it receives that ends up on a side branch, as a {@code VoteMessage}: a twin block that never becomes
     * any node's head is otherwise invisible to the protocol. Off by default, so engines that do not expect these
     * messages run unchanged.
     */
    default boolean forwardsSideBlockProposals() {
        return false;
    }
}
