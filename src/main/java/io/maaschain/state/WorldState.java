package io.maaschain.state;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A copy-on-write layer over another state. Writes stay here until {@link #mergeIntoParent()} or until
 * the node commits them, so a failed transaction or block is dropped without touching what lies below.
 */
public final class WorldState implements StateReader {
    private final StateReader base;
    private final WorldState parent;
    private final Map<Bytes, byte[]> writes = new HashMap<>();

    public WorldState(StateReader base) {
        this.base = base;
        this.parent = base instanceof WorldState ws ? ws : null;
    }

    public WorldState child() {
        return new WorldState(this);
    }

    @Override
    public byte[] get(Bytes key) {
        if (writes.containsKey(key)) return writes.get(key);
        return base.get(key);
    }

    public void put(Bytes key, byte[] value) {
        writes.put(key, value);
    }

    public void delete(Bytes key) {
        writes.put(key, null);
    }

    public Account account(Address address) {
        byte[] v = get(StateKeys.account(address));
        return v == null ? Account.EMPTY : Account.decode(v);
    }

    public void setAccount(Address address, Account account) {
        put(StateKeys.account(address), account.encode());
    }

    /** The keys written here with their new values; a null value means deleted. */
    public Map<Bytes, byte[]> writes() {
        return Collections.unmodifiableMap(writes);
    }

    /** For each key written here, the value the layer below holds (null if absent): the undo record. */
    public Map<Bytes, byte[]> previousValues() {
        Map<Bytes, byte[]> prev = new HashMap<>(writes.size() * 2);
        for (Bytes k : writes.keySet()) prev.put(k, base.get(k));
        return prev;
    }

    public void mergeIntoParent() {
        if (parent == null) throw new IllegalStateException("this layer has no parent layer to merge into");
        parent.writes.putAll(writes);
        writes.clear();
    }
}
