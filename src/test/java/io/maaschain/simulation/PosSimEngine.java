package io.maaschain.simulation;

import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.pos.PosEngine;
import io.maaschain.consensus.pos.PosGenesis;
import io.maaschain.consensus.pos.PosProtocol;
import io.maaschain.consensus.pos.RandaoOnion;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.state.StateReader;
import java.util.List;

/**
 * The proof-of-stake engine in the simulation: testnet defaults, except a RANDAO onion only as deep as a short run
 * needs (the default 2^20 layers cost a second of hashing per node start). Slashed = the bond is marked slashed.
 */
final class PosSimEngine implements SimEngine {
    private static final long REVEAL_DEPTH = 4_096;

    @Override
    public String name() {
        return "pos";
    }

    @Override
    public String consensusSection(List<KeyPair> validators) {
        return PosGenesis.section(validators, REVEAL_DEPTH);
    }

    @Override
    public ConsensusProtocol protocol(Genesis genesis, ConsensusEngine engine, ChainView view, ValidatorSigner signer, KeyPair key) {
        return new PosProtocol((PosEngine) engine, view, signer, RandaoOnion.forKey(key, REVEAL_DEPTH));
    }

    @Override
    public boolean isSlashed(StateReader state, PublicKey validator) {
        return StakingSlashing.isSlashed(state, validator);
    }

    @Override
    public long livenessWindowMillis() {
        return 10_000;
    }

    @Override
    public int livenessBlocks() {
        return 2;
    }

    @Override
    public boolean forwardsSideBlockProposals() {
        return true;
    }
}
