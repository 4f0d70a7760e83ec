package io.maaschain.maas.artifact;

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
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read an artifact from this node, over REST and over p2p alike (docs/api.md, "Artifacts", read rule; docs/p2p.md,
 * "Artifacts"), decided from the chain's head state:
 * <ul>
 *   <li>if some registered model version names the digest (deprecated ones included) and every model naming it is
 *       public (its VISIBILITY record is present), anyone may read it, without authenticating;</li>
 *   <li>otherwise, if some version names it, it is private: only the owner of the model that registered the digest
 *       first (the versions naming it at the lowest registration height), and accounts hosting a version of that model
 *       naming it (a HostModel record, which for a private model needs the owner's grant), may read it. Registering a
 *       copy later proves no possession of the bytes, so a copy, public or private, grants nothing to its owner or
 *       hosts (a public copy does not make the artifact public either);</li>
 *   <li>an artifact no version names yet may be read only by the accounts that uploaded it to this node.</li>
 * </ul>
 * The requester is an authenticated account (a signed REST request, a peer's node key), or null for an anonymous
 * request. The digest-to-versions index is rebuilt from state when the head changes, at the first question after it.
 */
public final class ArtifactAccess {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactAccess.class);

    /** A model version that names an artifact. */
    public record Registration(String name, String version, Address owner, long height) {}

    private record Index(Hash head, Map<Hash, List<Registration>> byDigest) {}

    private final Blockchain chain;
    private final ArtifactStore store;
    private volatile Index index;

    /** @param store where the uploaders of artifacts no model names yet are recorded */
    public ArtifactAccess(Blockchain chain, ArtifactStore store) {
        this.chain = chain;
        this.store = store;
    }

    /** Whether {@code requester} (null: anonymous) may read the artifact {@code digest}. */
    public boolean mayRead(Hash digest, Address requester) {
        List<Registration> regs = registrations(digest);
        if (regs.isEmpty()) return requester != null && store.uploaders(digest).contains(requester);
        StateReader s = chain.headState();
        if (regs.stream().allMatch(r -> s.get(MarketRecords.visibilityKey(r.name())) != null)) return true;
        if (requester == null) return false;
        long first = regs.stream().mapToLong(Registration::height).min().orElseThrow();
        Set<String> originals = regs.stream().filter(r -> r.height() == first).map(Registration::name).collect(Collectors.toSet());
        for (Registration r : regs) {
            if (!originals.contains(r.name())) continue;
            if (r.owner().equals(requester) || s.get(MarketRecords.hostKey(r.name(), r.version(), requester)) != null) return true;
        }
        return false;
    }

    /** The registered model versions that name {@code digest}. */
    public List<Registration> registrations(Hash digest) {
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
                            .add(new Registration(v.registration().name(), v.registration().version(), v.owner(), v.registeredAtHeight()));
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
