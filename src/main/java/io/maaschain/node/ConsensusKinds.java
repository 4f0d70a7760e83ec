package io.maaschain.node;

import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftProtocol;
import io.maaschain.consensus.dpos.DposEngine;
import io.maaschain.consensus.dpos.DposProtocol;
import io.maaschain.consensus.pos.PosEngine;
import io.maaschain.consensus.pos.PosProtocol;
import io.maaschain.consensus.pos.RandaoOnion;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.KeyPair;
import java.util.List;
import java.util.Optional;

/**
 * What the node needs of each consensus engine beyond its chain rules: the genesis section of a new dev or test
 * network (testnet defaults, the given keys as validators) and the engine's protocol, the part that proposes and votes.
 */
public final class ConsensusKinds {
    public static final List<String> ALL = List.of("pow", "pos", "dpos", "bft");
    /** The engines this build runs. */
    public static final List<String> AVAILABLE = List.of("pow", "pos", "dpos", "bft");

    private ConsensusKinds() {}

    /** Refuses, with a message naming it, an engine that is unknown or not part of this build. */
    public static void requireAvailable(String kind) {
        if (!AVAILABLE.contains(kind)) throw unavailable(kind);
    }

    /** The genesis {@code consensus} section for a new network of {@code kind} whose validators are {@code validators}. */
    public static String genesisSection(String kind, List<KeyPair> validators) {
        return switch (kind) {
            case PosEngine.KIND -> PosEngine.genesisSection(validators);
            case DposEngine.KIND -> DposEngine.genesisSection(validators);
            case BftEngine.KIND -> BftEngine.genesisSection(validators);
            case "pow" -> throw new IllegalArgumentException("pow has no validators; DevSetup writes its section");
            default -> throw unavailable(kind);
        };
    }

    /**
     * The protocol of a vote-based engine for this node; {@code signer} is empty on a node that does not validate.
     * {@code key} is the validator's key (pos derives its RANDAO onion from it).
     */
    static ConsensusProtocol protocol(ConsensusEngine engine, ChainView chain, Optional<ValidatorSigner> signer, KeyPair key) {
        return switch (engine) {
            case PosEngine pos -> new PosProtocol(pos, chain, signer.orElse(null),
                    signer.isPresent() ? RandaoOnion.forKey(key, pos.params().revealDepth()) : null);
            case DposEngine dpos -> new DposProtocol(chain, signer.orElse(null), dpos);
            case BftEngine bft -> new BftProtocol(chain, signer.orElse(null), bft.params());
            default -> throw unavailable(engine.kind());
        };
    }

    private static IllegalArgumentException unavailable(String kind) {
        if (ALL.contains(kind)) {
            return new IllegalArgumentException("consensus '" + kind + "' is not available in this build yet (its engine has not landed); available: "
                    + String.join(", ", AVAILABLE));
        }
        return new IllegalArgumentException("unknown consensus '" + kind + "'; choose one of " + String.join(", ", ALL));
    }
}
