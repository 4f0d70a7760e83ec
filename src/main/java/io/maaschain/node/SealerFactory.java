package io.maaschain.node;

import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.pow.PowEngine;
import io.maaschain.node.mining.PowBlockSealer;

/** The block sealer that matches the chain's consensus engine. */
final class SealerFactory {
    private SealerFactory() {}

    static BlockSealer create(ConsensusEngine engine, int threads) {
        return switch (engine) {
            case PowEngine pow -> new PowBlockSealer(Math.max(1, threads));
            default -> throw new IllegalArgumentException("no block sealer for consensus '" + engine.kind() + "'");
        };
    }
}
