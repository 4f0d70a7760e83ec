package io.maaschain.consensus;

import io.maaschain.codec.CodecException;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.dpos.DposEngine;
import io.maaschain.consensus.pos.PosEngine;
import io.maaschain.consensus.pow.PowEngine;
import io.maaschain.ledger.genesis.Genesis;

/** Chooses the engine that the genesis file names, as Besu's ProtocolSchedule does. */
public final class ConsensusFactory {
    private ConsensusFactory() {}

    public static ConsensusEngine create(Genesis genesis) {
        return switch (genesis.consensusKind()) {
            case PowEngine.KIND -> PowEngine.fromGenesis(genesis.consensus());
            case PosEngine.KIND -> PosEngine.fromGenesis(genesis);
            case DposEngine.KIND -> DposEngine.fromGenesis(genesis);
            case BftEngine.KIND -> BftEngine.fromGenesis(genesis.consensus(), genesis.params().chainId());
            default -> throw new CodecException("genesis names consensus '" + genesis.consensusKind() + "'; this node supports: pow, pos, dpos, bft");
        };
    }
}
