package io.maaschain.node.serving;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.maas.artifact.ArtifactException;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.ArtifactAccess;
import io.maaschain.maas.artifact.ChunkManifest;
import io.maaschain.p2p.ArtifactProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the local artifact store to peers under the chain's access rule ({@link ArtifactAccess}). Each piece is read
 * from disk for its request; manifests of recently served artifacts are kept in memory (they never change for a digest).
 */
public final class StoreArtifactProvider implements ArtifactProvider {
    private static final int CACHED_MANIFESTS = 16;

    private final ArtifactStore store;
    private final ArtifactAccess access;
    private final Map<Hash, ChunkManifest> manifests = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash, ChunkManifest> eldest) {
            return size() > CACHED_MANIFESTS;
        }
    };

    public StoreArtifactProvider(ArtifactStore store, ArtifactAccess access) {
        this.store = store;
        this.access = access;
    }

    @Override
    public boolean mayServe(Hash digest, PublicKey peer) {
        return access.mayRead(digest, peer.address());
    }

    @Override
    public Optional<byte[]> manifest(Hash digest) {
        return cachedManifest(digest).map(ChunkManifest::encode);
    }

    @Override
    public Optional<ByteBuffer> readChunk(Hash digest, int index, int offset, int length) {
        Optional<ChunkManifest> m = cachedManifest(digest);
        if (m.isEmpty() || index < 0 || index >= m.get().chunkCount() || offset < 0 || length < 1
                || (long) offset + length > m.get().chunkLength(index)) {
            return Optional.empty();
        }
        long position = m.get().chunkOffset(index) + offset;
        ByteBuffer buf = ByteBuffer.allocate(length);
        try (FileChannel ch = store.openChannel(digest)) {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, position + buf.position());
                if (n < 0) return Optional.empty();
            }
        } catch (ArtifactException e) {
            if (e.reason() == ArtifactException.Reason.NOT_FOUND) {
                forget(digest);
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot read artifact " + digest + ": " + e.getMessage(), e);
        }
        return Optional.of(buf.flip());
    }

    private Optional<ChunkManifest> cachedManifest(Hash digest) {
        if (!store.contains(digest)) {
            forget(digest);
            return Optional.empty();
        }
        synchronized (manifests) {
            ChunkManifest m = manifests.get(digest);
            if (m != null) return Optional.of(m);
        }
        Optional<ChunkManifest> m = store.manifest(digest);
        m.ifPresent(x -> {
            synchronized (manifests) {
                manifests.put(digest, x);
            }
        });
        return m;
    }

    private void forget(Hash digest) {
        synchronized (manifests) {
            manifests.remove(digest);
        }
    }
}
