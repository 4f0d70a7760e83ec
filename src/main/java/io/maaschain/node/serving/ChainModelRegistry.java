package io.maaschain.node.serving;

import io.maaschain.chain.Blockchain;
import io.maaschain.codec.CodecException;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.maas.inference.ModelRef;
import io.maaschain.maas.inference.ModelRegistry;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.ModelName;
import io.maaschain.state.ModelVersion;
import io.maaschain.state.StateKeys;
import io.maaschain.state.StateReader;
import java.util.Optional;

/** The model registry as the chain's head state holds it; deprecated versions are not served. */
public final class ChainModelRegistry implements ModelRegistry {
    private final Blockchain chain;

    public ChainModelRegistry(Blockchain chain) {
        this.chain = chain;
    }

    @Override
    public boolean deprecated(String name, String version) {
        try {
            StateReader s = chain.headState();
            String v = version;
            if (v == null) {
                byte[] n = s.get(StateKeys.modelName(name));
                if (n == null) return false;
                v = ModelName.decode(n).latestVersion();
            }
            return s.get(MarketRecords.deprecatedKey(name, v)) != null;
        } catch (CodecException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public Optional<ModelRef> lookup(String name, String version) {
        try {
            StateReader s = chain.headState();
            String v = version;
            if (v == null) {
                byte[] n = s.get(StateKeys.modelName(name));
                if (n == null) return Optional.empty();
                v = ModelName.decode(n).latestVersion();
            }
            byte[] mv = s.get(StateKeys.modelVersion(name, v));
            if (mv == null || s.get(MarketRecords.deprecatedKey(name, v)) != null) return Optional.empty();
            RegisterModel r = ModelVersion.decode(mv).registration();
            return Optional.of(new ModelRef(name, v, r.artifactDigest(), r.artifactSize(), r.format()));
        } catch (CodecException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
