package io.maaschain.maas.inference;

import io.maaschain.crypto.Hash;
import io.maaschain.maas.artifact.ChunkManifest;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One model version this node serves: its on-chain reference, the backend running it and, for a local artifact, the
 * manifest pinned when the artifact was fully checked at load. A model that fails a re-check is {@link State#REFUSED}:
 * its backend is closed and every call is answered 503 until it is loaded again.
 */
public final class ServedModel {
    public enum State { READY, REFUSED }

    private final ModelRef ref;
    private final ModelMetadata metadata;
    private final ChunkManifest pinned;
    private final Instant loadedAt;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile InferenceBackend backend;
    private volatile String refusal;
    private volatile Instant lastVerified;

    ServedModel(ModelRef ref, InferenceBackend backend, ChunkManifest pinned, Instant loadedAt) {
        this.ref = ref;
        this.backend = backend;
        this.metadata = backend.metadata();
        this.pinned = pinned;
        this.loadedAt = loadedAt;
        this.lastVerified = loadedAt;
    }

    public ModelRef ref() {
        return ref;
    }

    public String name() {
        return ref.name();
    }

    public String version() {
        return ref.version();
    }

    public Hash artifactDigest() {
        return ref.artifactDigest();
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** The manifest checked at load (null for a remote backend, whose artifact this node does not hold). */
    public ChunkManifest pinnedManifest() {
        return pinned;
    }

    public String backendKind() {
        InferenceBackend b = backend;
        return b == null ? "none" : b.kind();
    }

    public State state() {
        return refusal == null ? State.READY : State.REFUSED;
    }

    public boolean ready() {
        return refusal == null;
    }

    /** Why the model is refused, or null. */
    public String refusal() {
        return refusal;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public Instant lastVerified() {
        return lastVerified;
    }

    void verifiedAt(Instant t) {
        lastVerified = t;
    }

    /** Runs the backend unless the model was refused; a refusal waits for calls in flight, then closes the backend. */
    public InferenceResponse infer(InferenceRequest request) {
        lock.readLock().lock();
        try {
            InferenceBackend b = backend;
            if (refusal != null || b == null) {
                throw new InferenceException(503, "model " + ref.id() + " is refused: " + refusal);
            }
            return b.infer(request);
        } finally {
            lock.readLock().unlock();
        }
    }

    void refuse(String reason) {
        lock.writeLock().lock();
        try {
            if (refusal != null) return;
            refusal = reason;
            InferenceBackend b = backend;
            backend = null;
            if (b != null) b.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    void close() {
        lock.writeLock().lock();
        try {
            InferenceBackend b = backend;
            backend = null;
            if (refusal == null) refusal = "unloaded";
            if (b != null) b.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
