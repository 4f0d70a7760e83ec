package io.maaschain.state;

import io.maaschain.codec.Bytes;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers what it read from another reader (absent keys too), so a key read twice while the state below cannot
 * change costs one database read. For short scopes only (one block's execution, one admission batch), and for
 * one thread at a time.
 */
public final class CachingStateReader implements StateReader {
    private final StateReader base;
    private final Map<Bytes, byte[]> seen = new HashMap<>();

    public CachingStateReader(StateReader base) {
        this.base = base;
    }

    @Override
    public byte[] get(Bytes key) {
        byte[] v = seen.get(key);
        if (v != null || seen.containsKey(key)) return v;
        v = base.get(key);
        seen.put(key, v);
        return v;
    }
}
