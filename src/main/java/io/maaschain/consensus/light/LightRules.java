package io.maaschain.consensus.light;

import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.pow.PowEngine;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.vote.Vote;
import java.util.List;
import java.util.Optional;

/**
 * How a light client verifies one engine's headers with the full nodes' own rule code, without executing bodies
 * (docs/light-client.md). Pure: the clock reading is passed in.
 */
public sealed interface LightRules permits PowLightRules, BftLightRules {
    /** The rules for {@code engine}; empty for an engine the light client does not verify yet (pos, dpos). */
    static Optional<LightRules> of(ConsensusEngine engine) {
        return switch (engine) {
            case PowEngine pow -> Optional.of(new PowLightRules(pow));
            case BftEngine bft -> Optional.of(new BftLightRules(bft));
            default -> Optional.empty();
        };
    }

    /**
     * Verifies {@code served} (consecutive headers, the first linking to a header of {@code chain}) and returns the chain
     * the client keeps: pow, the heavier of {@code chain} and the served branch; bft, {@code chain} extended by the
     * served headers that are proven final ({@code headCommit}: the stored commit of the last one, if the node has it).
     * Throws if anything served does not verify; then nothing of it is kept.
     */
    LightChain extend(LightChain chain, List<ServedHeader> served, List<Vote> headCommit, long nowMillis) throws LightVerificationException;

    /** How the header at {@code height} of {@code chain} is final (or, for pow, how deeply buried), in one sentence. */
    String finality(LightChain chain, long height);

    /** Whether the header at {@code height} may still be replaced (pow: always; bft: never once verified). */
    boolean isFinal(LightChain chain, long height);

    static LightVerificationException refused(Header h, String reason) {
        return new LightVerificationException(h.height(), reason);
    }
}
