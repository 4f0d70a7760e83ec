package io.maaschain.maas.access;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.state.BlockContext;
import io.maaschain.state.ModelPolicies;
import io.maaschain.state.StateReader;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's answers from model policy contracts, asked once per head: a policy's answer can change only when the
 * state does, so every call of a caller to a model between two blocks reuses one gas-capped query.
 */
final class PolicyAnswers {
    /** Cached answers per head; past it the cache is emptied (a flood of callers costs queries, never memory). */
    static final int MAX_ENTRIES = 100_000;

    private record Key(Address caller, String name, String version) {}

    private volatile Hash head;
    private final ConcurrentHashMap<Key, ModelPolicies.Decision> answers = new ConcurrentHashMap<>();
    private final AtomicLong queries = new AtomicLong();

    /**
     * The policy's answer for {@code caller} on {@code name}/{@code version} at the head {@code headHash} (whose state
     * is {@code state}), or empty when the model has no policy contract.
     */
    Optional<ModelPolicies.Decision> decide(StateReader state, Hash headHash, BlockContext next, Address caller, String name,
                                            String version, long registeredPrice) {
        Optional<Address> policy = ModelPolicies.policyOf(state, name);
        if (policy.isEmpty()) return Optional.empty();
        if (!headHash.equals(head)) {
            answers.clear();
            head = headHash;
        }
        if (answers.size() >= MAX_ENTRIES) answers.clear();
        return Optional.of(answers.computeIfAbsent(new Key(caller, name, version), k -> {
            queries.incrementAndGet();
            return ModelPolicies.authorize(state, policy.get(), caller, name, version, registeredPrice, next);
        }));
    }

    /** Queries run so far (each a cache miss). */
    long queries() {
        return queries.get();
    }
}
