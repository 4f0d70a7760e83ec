package io.maaschain.chain;

import io.maaschain.consensus.protocol.ProtocolStateStore;
import io.maaschain.storage.Column;
import io.maaschain.storage.KeyValueStore;
import java.util.Optional;

/** A {@link ProtocolStateStore} in the chain database's META column, each save a synced write. */
final class StoredProtocolState implements ProtocolStateStore {
    private final KeyValueStore store;

    StoredProtocolState(KeyValueStore store) {
        this.store = store;
    }

    @Override
    public Optional<byte[]> load() {
        return Optional.ofNullable(store.get(Column.META, Keys.PROTOCOL_STATE));
    }

    @Override
    public void save(byte[] record) {
        try (KeyValueStore.WriteBatch batch = store.newBatch()) {
            batch.put(Column.META, Keys.PROTOCOL_STATE, record);
            batch.commit();
        }
    }
}
