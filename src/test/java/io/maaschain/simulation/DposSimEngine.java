package io.maaschain.simulation;

import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.dpos.DposEngine;
import io.maaschain.consensus.dpos.DposProtocol;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.state.StateReader;
import java.util.List;

/** The DPoS engine in the simulation, with its testnet defaults. Slashed = the producer's bond is marked slashed. */
final class DposSimEngine implements SimEngine {
    @Override
    public String name() {
        return "dpos";
    }

    @Override
    public String consensusSection(List<KeyPair> validators) {
        return DposEngine.genesisSection(validators);
    }

    @Override
    public ConsensusProtocol protocol(Genesis genesis, ConsensusEngine engine, ChainView view, ValidatorSigner signer, KeyPair key) {
        return new DposProtocol(view, signer, (DposEngine) engine);
    }

    @Override
    public boolean isSlashed(StateReader state, PublicKey validator) {
        return StakingSlashing.isSlashed(state, validator);
    }

    @Override
    public long livenessWindowMillis() {
        return 8_000;
    }

    @Override
    public int livenessBlocks() {
        return 2;
    }
}
