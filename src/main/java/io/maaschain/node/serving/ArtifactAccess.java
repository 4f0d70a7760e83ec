package io.maaschain.node.serving;

import io.maaschain.chain.Blockchain;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.ModelVersion;
import io.maaschain.state.StateKeys;
import io.maaschain.state.StateReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may fetch an artifact from this node over the network (docs/p2p.md, "Artifacts", access rule), decided from the
 * chain's head state:
 * <ul>
 *   <li>only artifacts that some registered model version names (deprecated ones included) are served at all;</li>
 *   <li>if every model naming the digest is public (its VISIBILITY record is present), anyone may fetch it;</li>
 *   <li>otherwise the artifact is private: a peer may fetch it only if its node key's address hosts (a HostModel
 *       record) a version of a private model that names the digest. A public copy registered by someone else does not
 *       make it public; a private copy registered and hosted by someone else gets them no more than a HostModel for the
 *       original would, which the chain lets any account send today (see docs/p2p.md, "Artifacts").</li>
 * </ul>
 * The digest-to-versions index is rebuilt from state when the head changes, at the first question after it.
 */
public final class ArtifactAccess {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactAccess.class);

    /** A model version that names an artifact. */
    record Registration(String name, String version, Address owner) {}

    private record Index(Hash head, Map<Hash, List<Registration>> byDigest) {}

    private final Blockchain chain;
    private volatile Index index;

    public ArtifactAccess(Blockchain chain) {
        this.chain = chain;
    }

    /** Whether the account {@code peer} (a peer's node key address) may have the artifact {@code digest}. */
    public boolean mayServe(Hash digest, Address peer) {
        List<Registration> regs = index().byDigest.get(digest);
        if (regs == null || regs.isEmpty()) return false;
        StateReader s = chain.headState();
        boolean restricted = false;
        for (Registration r : regs) {
            if (s.get(MarketRecords.visibilityKey(r.name())) != null) continue;
            restricted = true;
            if (s.get(MarketRecords.hostKey(r.name(), r.version(), peer)) != null) return true;
        }
        return !restricted;
    }

    /** The registered model versions that name {@code digest}. */
    List<Registration> registrations(Hash digest) {
        return index().byDigest.getOrDefault(digest, List.of());
    }

    private Index index() {
        Hash head = chain.head().hash();
        Index i = index;
        if (i != null && i.head.equals(head)) return i;
        synchronized (this) {
            i = index;
            if (i != null && i.head.equals(head)) return i;
            Map<Hash, List<Registration>> byDigest = new HashMap<>();
            chain.scanState(new byte[] {(byte) StateKeys.MODEL_VERSION}, (key, value) -> {
                try {
                    ModelVersion v = ModelVersion.decode(value);
                    byDigest.computeIfAbsent(v.registration().artifactDigest(), d -> new ArrayList<>())
                            .add(new Registration(v.registration().name(), v.registration().version(), v.owner()));
                } catch (CodecException | IllegalArgumentException e) {
                    LOG.warn("skipping an undecodable model version record: {}", e.getMessage());
                }
                return true;
            });
            index = i = new Index(head, byDigest);
            return i;
        }
    }
}
