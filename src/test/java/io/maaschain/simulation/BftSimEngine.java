package io.maaschain.simulation;

import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftProtocol;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.state.StateReader;
import java.util.List;

/** The Tendermint-style engine in the simulation, with its testnet defaults. Slashed = removed from the validator set. */
final class BftSimEngine implements SimEngine {
    @Override
    public String name() {
        return "bft";
    }

    @Override
    public String consensusSection(List<KeyPair> validators) {
        return BftEngine.genesisSection(validators);
    }

    @Override
    public ConsensusProtocol protocol(Genesis genesis, ConsensusEngine engine, ChainView view, ValidatorSigner signer, KeyPair key) {
        return new BftProtocol(view, signer, ((BftEngine) engine).params());
    }

    @Override
    public boolean isSlashed(StateReader state, PublicKey validator) {
        return !BftState.nextValidators(state).contains(validator);
    }

    @Override
    public long livenessWindowMillis() {
        // Three commits on every honest node. After healing the slowest node may still have to fetch a commit through a
        // 10 % lossy, heavy-tailed network (seed 898 needed 6.4 s); with the restart faults, a set shrunk to three by
        // slashing needs every one of them in each round (seed 585: a crash, a partition and a slashed equivocator on
        // 200 ms links with a 2 s tail needed more than 8 s).
        return 12_000;
    }

    @Override
    public int livenessBlocks() {
        return 3;
    }
}
