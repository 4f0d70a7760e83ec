package io.maaschain.maas.inference;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the node learns which model versions exist and their on-chain artifact digests. The node backs it with the
 * chain's head state; tests and dev tools use {@link #inMemory()}.
 */
public interface ModelRegistry {

    /** The registration of {@code name} at {@code version}, or of its latest version when {@code version} is null. */
    Optional<ModelRef> lookup(String name, String version);

    /** Whether {@code name} at {@code version} (its latest when null) is registered and deprecated by its owner. */
    default boolean deprecated(String name, String version) {
        return false;
    }

    static InMemory inMemory() {
        return new InMemory();
    }

    /** A mutable registry for tests and tools; the latest version is the one registered last. */
    final class InMemory implements ModelRegistry {
        private final Map<String, ModelRef> byId = new ConcurrentHashMap<>();
        private final Map<String, String> latest = new ConcurrentHashMap<>();

        public InMemory register(ModelRef ref) {
            byId.put(ref.id(), ref);
            latest.put(ref.name(), ref.version());
            return this;
        }

        public void remove(String name, String version) {
            byId.remove(name + "/" + version);
        }

        @Override
        public Optional<ModelRef> lookup(String name, String version) {
            String v = version != null ? version : latest.get(name);
            return v == null ? Optional.empty() : Optional.ofNullable(byId.get(name + "/" + v));
        }
    }
}
