package io.maaschain.simulation;

import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.state.StateReader;
import java.util.List;
import java.util.stream.Collectors;

/** HARNESS SELF-TEST ONLY: wires {@link RoundRobinEngine} into the simulation ({@code confirmations = 1} is the broken variant). */
record RoundRobinSimEngine(int confirmations) implements SimEngine {
    static final RoundRobinSimEngine SOUND = new RoundRobinSimEngine(Scenario.VALIDATORS);
    static final RoundRobinSimEngine BROKEN = new RoundRobinSimEngine(1);

    @Override
    public String name() {
        return confirmations == 1 ? "self-test (broken)" : "self-test";
    }

    @Override
    public String consensusSection(List<KeyPair> validators) {
        return "{\"kind\": \"simtest\", \"slotMillis\": 250, \"confirmations\": " + confirmations + ", \"validators\": ["
                + validators.stream().map(k -> "\"" + k.publicKey().toHex() + "\"").collect(Collectors.joining(", ")) + "]}";
    }

    @Override
    public ConsensusEngine engine(Genesis genesis) {
        return RoundRobinEngine.fromGenesis(genesis);
    }

    @Override
    public ConsensusProtocol protocol(Genesis genesis, ConsensusEngine engine, ChainView view, ValidatorSigner signer, KeyPair key) {
        return new RoundRobinProtocol((RoundRobinEngine) engine, view, signer);
    }

    @Override
    public boolean isSlashed(StateReader state, PublicKey validator) {
        return state.get(RoundRobinEngine.slashedKey(validator)) != null;
    }

    @Override
    public long livenessWindowMillis() {
        return 5_000;
    }

    @Override
    public int livenessBlocks() {
        return 3;
    }
}
