package io.maaschain.consensus.protocol;

import java.util.Optional;

/**
 * A protocol's own durable record, kept beside the chain: what it must remember across a restart beyond the chain and
 * the signing history (bft: the lock and the valid value of the height in progress). One record per node; each save
 * replaces the previous one and is durable (synced to disk) when {@link #save} returns, so a protocol can save before
 * it signs the message that depends on what it saved.
 */
public interface ProtocolStateStore {
    Optional<byte[]> load();

    void save(byte[] record);

    /** Keeps the record in memory: for unit tests (the simulation keeps it in its simulated disk, the chain store). */
    final class InMemory implements ProtocolStateStore {
        private byte[] record;

        @Override
        public synchronized Optional<byte[]> load() {
            return Optional.ofNullable(record).map(byte[]::clone);
        }

        @Override
        public synchronized void save(byte[] bytes) {
            record = bytes.clone();
        }
    }
}
