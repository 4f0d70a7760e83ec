package io.maaschain.api;

import java.util.Map;
import java.util.Optional;

/** What the REST API shows of this node's own consensus protocol; absent for pow and for nodes that run none. */
@FunctionalInterface
public interface ConsensusStatus {
    ConsensusStatus NONE = Optional::empty;

    /** The local protocol: whether this node signs as a validator, its key, and the protocol's own summary. */
    Optional<Map<String, Object>> local();

    /** Why this node's consensus halted (docs/operator-guide.md, "Halted consensus"); empty while it runs. */
    default Optional<String> halted() {
        return Optional.empty();
    }
}
