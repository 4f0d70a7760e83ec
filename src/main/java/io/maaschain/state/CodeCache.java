package io.maaschain.state;

import io.maaschain.contracts.PreparedCode;
import io.maaschain.crypto.Hash;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prepared (validated, instrumented, parsed) modules by code hash. Preparing is a pure function of the code, so a
 * cache changes only speed, never a result.
 */
final class CodeCache {
    private static final int CAPACITY = 64;
    private static final Map<Hash, PreparedCode> CACHE = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash, PreparedCode> eldest) {
            return size() > CAPACITY;
        }
    };

    private CodeCache() {}

    /**
     * The prepared module of {@code codeHash}; {@code code} reads its bytes from the state only on a miss. Code is
     * stored under its own SHA-256, so the hash alone names the bytes, and a state read has no effect to skip.
     */
    static PreparedCode get(Hash codeHash, Supplier<byte[]> code) {
        synchronized (CACHE) {
            PreparedCode p = CACHE.get(codeHash);
            if (p != null) return p;
        }
        PreparedCode p = PreparedCode.of(code.get());
        synchronized (CACHE) {
            CACHE.put(codeHash, p);
        }
        return p;
    }
}
