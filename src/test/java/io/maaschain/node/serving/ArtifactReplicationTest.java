package io.maaschain.node.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.PatternStream;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.p2p.ArtifactFetch;
import io.maaschain.p2p.ArtifactProvider;
import io.maaschain.p2p.PeerAddress;
import io.maaschain.crypto.Sha256;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifact replication between in-process nodes over real loopback sockets, each with its own chain and store. */
class ArtifactReplicationTest {
    static final long MIB = 1 << 20;
    static final KeyPair OWNER = Fixtures.key(1);
    final Genesis genesis = TestChain.genesis(OWNER, ReplicationNode.key(0), ReplicationNode.key(1), ReplicationNode.key(2), ReplicationNode.key(3));
    final List<ReplicationNode> nodes = new ArrayList<>();
    ReplicationNode.Script script;

    @TempDir Path dir;

    @AfterEach
    void stop() {
        nodes.reversed().forEach(ReplicationNode::close);
    }

    /** Nodes 0..count-1, all on one chain; none is on the network yet. */
    void nodes(int count) throws Exception {
        for (int i = 0; i < count; i++) nodes.add(new ReplicationNode(i, genesis, dir.resolve("node" + i)));
        script = new ReplicationNode.Script(nodes);
    }

    /** Starts node 0 and has the others dial it; waits until every other node is connected to it. */
    void network() throws Exception {
        nodes.getFirst().startP2p(List.of());
        PeerAddress first = nodes.getFirst().peerAddress();
        for (ReplicationNode n : nodes.subList(1, nodes.size())) n.startP2p(List.of(first));
        awaitConnected();
    }

    void awaitConnected() {
        await().atMost(Duration.ofSeconds(15)).until(() -> nodes.getFirst().p2p.peers().size() == nodes.size() - 1);
    }

    /** Registers a model version (private unless {@code visible}) and has {@code hosts} host it, in one block. */
    void register(String name, Hash digest, long size, boolean visible, ReplicationNode... hosts) throws Exception {
        List<io.maaschain.ledger.tx.Transaction> txs = new ArrayList<>();
        txs.add(script.tx(OWNER, new RegisterModel(name, "1", digest, size, "onnx", "apache-2.0", 1, List.of(), List.of())));
        if (visible) txs.add(script.tx(OWNER, new SetVisibility(name, true)));
        for (ReplicationNode h : hosts) {
            if (!visible) txs.add(script.tx(OWNER, new GrantAccess(name, h.nodeKey.address(), 1, 1_000_000)));
            txs.add(script.tx(h.nodeKey, new HostModel(name, "1", 0)));
        }
        script.block(txs.toArray(io.maaschain.ledger.tx.Transaction[]::new));
    }

    static Hash putPattern(ReplicationNode node, long size, long seed) throws Exception {
        Hash digest = PatternStream.digest(size, seed);
        node.store.put(digest, new PatternStream(size, seed));
        return digest;
    }

    static CountDownLatch storedLatch(ArtifactReplicator r, Hash digest) {
        CountDownLatch latch = new CountDownLatch(1);
        r.addListener(d -> {
            if (d.equals(digest)) latch.countDown();
        });
        return latch;
    }

    /** Largest heap in use, each sample taken right after a full GC: what is retained, not garbage. */
    static final class RetainedHeap implements AutoCloseable {
        final long baseline;
        final AtomicLong max = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        RetainedHeap() {
            baseline = usedAfterGc();
            thread = new Thread(() -> {
                while (running) {
                    max.accumulateAndGet(usedAfterGc(), Math::max);
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        static long usedAfterGc() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        long growth() {
            return Math.max(0, max.get() - baseline);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }
    }

    // ---------------------------------------------------------------- the big one

    @Test
    void a300MbArtifactReplicatesToItsHostWithFlatMemory() throws Exception {
        nodes(2);
        ReplicationNode a = nodes.get(0), b = nodes.get(1);
        long size = 300 * MIB + 12_345;
        Hash digest = putPattern(a, size, 7);
        register("big", digest, size, false, b);
        network();

        ArtifactReplicator r = b.startReplicator(b.p2p.artifactFetch());
        CountDownLatch stored = storedLatch(r, digest);
        long started = System.nanoTime();
        long growth;
        try (RetainedHeap heap = new RetainedHeap()) {
            r.replicate(digest, size, "big/1");
            assertThat(stored.await(180, TimeUnit.SECONDS)).as("replicated in time").isTrue();
            growth = heap.growth();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("replicated %d MiB in %.1f s; retained heap grew by at most %.1f MiB%n", size / MIB, seconds, growth / (double) MIB);

        assertThat(b.store.contains(digest)).isTrue();
        assertThat(b.store.verify(digest).ok()).isTrue();
        assertThat(b.store.manifest(digest).orElseThrow().size()).isEqualTo(size);
        assertThat(growth).as("retained heap growth while replicating %d bytes", size).isLessThan(96 * MIB);
        assertThat(r.progress(digest)).isEmpty();
    }

    // ---------------------------------------------------------------- a liar among the sources

    /** Serves the honest manifest but flips a byte in every piece: each chunk it sends contradicts its own manifest. */
    static ArtifactProvider corrupting(ArtifactProvider honest) {
        return new ArtifactProvider() {
            @Override
            public boolean mayServe(Hash digest, PublicKey peer) {
                return honest.mayServe(digest, peer);
            }

            @Override
            public Optional<byte[]> manifest(Hash digest) {
                return honest.manifest(digest);
            }

            @Override
            public Optional<ByteBuffer> readChunk(Hash digest, int index, int offset, int length) {
                return honest.readChunk(digest, index, offset, length).map(b -> {
                    ByteBuffer copy = ByteBuffer.allocate(b.remaining()).put(b).flip();
                    copy.put(0, (byte) (copy.get(0) ^ 0x55));
                    return copy;
                });
            }
        };
    }

    @Test
    void aPeerServingCorruptChunksIsPenalisedAndTheChunksComeFromAnHonestPeer() throws Exception {
        nodes(3);
        ReplicationNode a = nodes.get(0), b = nodes.get(1), liar = nodes.get(2);
        long size = 24 * MIB + 5;
        Hash digest = putPattern(a, size, 11);
        liar.store.put(digest, new PatternStream(size, 11));
        register("model", digest, size, false, b);
        a.startP2p(List.of());
        liar.startP2p(List.of(a.peerAddress()), ArtifactReplicationTest::corrupting);
        b.startP2p(List.of(a.peerAddress(), liar.peerAddress()));
        await().atMost(Duration.ofSeconds(15)).until(() -> b.p2p.peers().size() == 2);

        ArtifactReplicator r = b.startReplicator(b.p2p.artifactFetch());
        CountDownLatch stored = storedLatch(r, digest);
        r.replicate(digest, size, "model/1");
        assertThat(stored.await(60, TimeUnit.SECONDS)).isTrue();

        assertThat(b.store.verify(digest).ok()).isTrue();
        int liarScore = b.scoreOf(liar.nodeKey);
        assertThat(liarScore == Integer.MIN_VALUE ? -100 : liarScore).as("the liar's score at B").isLessThanOrEqualTo(-50);
        assertThat(b.scoreOf(a.nodeKey)).as("the honest peer's score at B").isZero();
    }

    /** Serves another file of the same size under {@code digest}, with that file's true chunk hashes and {@code digest} in its manifest. */
    static ArtifactProvider impostor(ArtifactProvider honest, Hash digest, Hash substitute) {
        return new ArtifactProvider() {
            @Override
            public boolean mayServe(Hash d, PublicKey peer) {
                return true;
            }

            @Override
            public Optional<byte[]> manifest(Hash d) {
                if (!d.equals(digest)) return honest.manifest(d);
                return honest.manifest(substitute).map(m -> {
                    byte[] forged = m.clone();
                    System.arraycopy(digest.toBytes(), 0, forged, 5, Hash.LENGTH);
                    return forged;
                });
            }

            @Override
            public Optional<ByteBuffer> readChunk(Hash d, int index, int offset, int length) {
                return honest.readChunk(d.equals(digest) ? substitute : d, index, offset, length);
            }
        };
    }

    @Test
    void aManifestProvenFalseByTheWholeFileDigestCostsItsSenderAndIsNotUsedAgain() throws Exception {
        nodes(3);
        ReplicationNode a = nodes.get(0), b = nodes.get(1), liar = nodes.get(2);
        long size = 8 * MIB + 3;
        Hash digest = putPattern(a, size, 41);
        Hash other = putPattern(liar, size, 42);
        register("model", digest, size, false, b);
        a.startP2p(List.of());
        liar.startP2p(List.of(), p -> impostor(p, digest, other));
        b.startP2p(List.of(liar.peerAddress()));
        await().atMost(Duration.ofSeconds(15)).until(() -> b.p2p.peers().size() == 1);

        ArtifactReplicator r = b.startReplicator(b.p2p.artifactFetch());
        CountDownLatch stored = storedLatch(r, digest);
        r.replicate(digest, size, "model/1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(r.progress(digest).orElseThrow().problem()).contains("1 failed"));
        int liarScore = b.scoreOf(liar.nodeKey);
        assertThat(liarScore == Integer.MIN_VALUE ? -100 : liarScore).isLessThanOrEqualTo(-50);
        assertThat(b.store.contains(digest)).isFalse();
        assertThat(b.store.resumeOffset(digest)).as("nothing of the false file is kept").isZero();

        b.p2p.addPeer(a.peerAddress());
        assertThat(stored.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(b.store.verify(digest).ok()).isTrue();
    }

    // ---------------------------------------------------------------- access

    @Test
    void aPrivateModelsArtifactIsRefusedToANodeThatDoesNotHostItUntilItDoes() throws Exception {
        nodes(3);
        ReplicationNode a = nodes.get(0), host = nodes.get(1), other = nodes.get(2);
        long size = 2 * MIB + 1;
        Hash secret = putPattern(a, size, 21);
        Hash open = putPattern(a, size, 22);
        Hash unregistered = putPattern(a, size, 23);
        register("secret", secret, size, false, host);
        register("open", open, size, true);
        network();
        ArtifactFetch fromHost = host.p2p.artifactFetch();
        ArtifactFetch fromOther = other.p2p.artifactFetch();
        PublicKey aId = a.nodeKey.publicKey();

        assertThat(fromHost.requestManifest(aId, secret).get().status()).isEqualTo(ArtifactFetch.Status.FOUND);
        assertThat(fromOther.requestManifest(aId, secret).get().status()).isEqualTo(ArtifactFetch.Status.DENIED);
        assertThat(fromOther.requestManifest(aId, secret).get().manifest()).isEmpty();
        assertThatThrownBy(() -> fromOther.requestChunk(aId, secret, 0, 0, 1024).get())
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ArtifactFetch.Refused.class)
                .satisfies(e -> assertThat(((ArtifactFetch.Refused) e).status()).isEqualTo(ArtifactFetch.Status.DENIED));
        // A public model's artifact goes to anyone; an artifact no model version names goes to no one.
        assertThat(fromOther.requestManifest(aId, open).get().status()).isEqualTo(ArtifactFetch.Status.FOUND);
        assertThat(fromOther.requestChunk(aId, open, 0, 0, 1024).get().remaining()).isEqualTo(1024);
        assertThat(fromHost.requestManifest(aId, unregistered).get().status()).isEqualTo(ArtifactFetch.Status.DENIED);
        // Not stored, but allowed: not found. (Those two found each other through the first node: wait until they did.)
        await().atMost(Duration.ofSeconds(15)).until(() -> other.p2p.peers().stream().anyMatch(p -> p.id().equals(host.nodeKey.publicKey())));
        assertThat(fromOther.requestManifest(host.nodeKey.publicKey(), open).get().status()).isEqualTo(ArtifactFetch.Status.NOT_FOUND);
        // Refusals are not misbehavior.
        assertThat(other.scoreOf(a.nodeKey)).isZero();

        ArtifactReplicator r = other.startReplicator(fromOther);
        CountDownLatch stored = storedLatch(r, secret);
        r.replicate(secret, size, "secret/1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(r.progress(secret).orElseThrow().problem()).contains("refuse it"));
        assertThat(stored.await(1, TimeUnit.SECONDS)).isFalse();
        assertThat(other.store.contains(secret)).isFalse();

        // Once the chain says it hosts the model, the retrying job gets it.
        script.block(script.tx(OWNER, new GrantAccess("secret", other.nodeKey.address(), 1, 1_000_000)), script.tx(other.nodeKey, new HostModel("secret", "1", 0)));
        assertThat(stored.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(other.store.verify(secret).ok()).isTrue();
    }

    // ---------------------------------------------------------------- resume

    /** Passes requests through, counting the bytes delivered; once {@code failAfter} bytes came, every piece fails. */
    static final class CountingFetch implements ArtifactFetch {
        final ArtifactFetch inner;
        final long failAfter;
        final AtomicLong delivered = new AtomicLong();

        CountingFetch(ArtifactFetch inner, long failAfter) {
            this.inner = inner;
            this.failAfter = failAfter;
        }

        @Override
        public List<PublicKey> connectedPeers() {
            return inner.connectedPeers();
        }

        @Override
        public CompletableFuture<ManifestAnswer> requestManifest(PublicKey peer, Hash digest) {
            return inner.requestManifest(peer, digest);
        }

        @Override
        public CompletableFuture<ByteBuffer> requestChunk(PublicKey peer, Hash digest, int index, int offset, int length) {
            if (delivered.get() >= failAfter) return CompletableFuture.failedFuture(new Unavailable("simulated disconnect"));
            return inner.requestChunk(peer, digest, index, offset, length).thenApply(b -> {
                delivered.addAndGet(b.remaining());
                return b;
            });
        }

        @Override
        public void reportInvalidData(PublicKey peer, String detail) {
            inner.reportInvalidData(peer, detail);
        }
    }

    @Test
    void anInterruptedReplicationResumesAfterARestartFromWhatTheStoreKept() throws Exception {
        nodes(2);
        ReplicationNode a = nodes.get(0), b = nodes.get(1);
        long size = 40 * MIB + 777;
        Hash digest = putPattern(a, size, 31);
        register("resumable", digest, size, true, b);
        network();

        CountingFetch cut = new CountingFetch(b.p2p.artifactFetch(), 18 * MIB);
        ArtifactReplicator first = new ArtifactReplicator(b.store, cut,
                ReplicationNode.FAST.withRetry(Duration.ofMinutes(1), Duration.ofMinutes(1)));
        b.replicator = first;
        first.replicate(digest, size, "resumable/1");
        await().atMost(Duration.ofSeconds(30)).until(() -> first.progress(digest).map(p -> p.phase() == ArtifactReplicator.Phase.WAITING_TO_RETRY).orElse(false));
        assertThat(first.progress(digest).orElseThrow().problem()).contains("failed or left");

        b.reopenStore(); // closes the replicator too: a node restart
        long resume = b.store.resumeOffset(digest);
        assertThat(resume).as("durable bytes kept for the resume").isGreaterThanOrEqualTo(8 * MIB).isLessThanOrEqualTo(20 * MIB);
        assertThat(resume % (4 * MIB)).isZero();

        CountingFetch counting = new CountingFetch(b.p2p.artifactFetch(), Long.MAX_VALUE);
        ArtifactReplicator second = new ArtifactReplicator(b.store, counting, ReplicationNode.FAST);
        b.replicator = second;
        CountDownLatch stored = storedLatch(second, digest);
        second.replicate(digest, size, "resumable/1");
        assertThat(stored.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.store.verify(digest).ok()).isTrue();
        assertThat(counting.delivered.get()).as("bytes fetched after the restart").isEqualTo(size - resume);
    }

    // ---------------------------------------------------------------- end to end

    @Test
    void theServingManagerFetchesAHostedModelFromPeersAndServesIt() throws Exception {
        nodes(2);
        ReplicationNode a = nodes.get(0), b = nodes.get(1);
        byte[] model = DevModel.onnxBytes();
        Hash digest = Sha256.hash(model);
        a.store.put(digest, new ByteArrayInputStream(model));
        script.block(script.tx(OWNER, new RegisterModel(DevModel.NAME, DevModel.VERSION, digest, model.length, DevModel.FORMAT, DevModel.LICENSE,
                1, List.of(), List.of())), script.tx(OWNER, new GrantAccess(DevModel.NAME, b.nodeKey.address(), 1, 1_000_000)),
                script.tx(b.nodeKey, new HostModel(DevModel.NAME, DevModel.VERSION, 0)));
        network();

        ArtifactReplicator r = b.startReplicator(b.p2p.artifactFetch());
        try (ModelHost host = new ModelHost(b.store, new ChainModelRegistry(b.chain));
             ServingManager serving = new ServingManager(b.chain, host, b.store, b.address(), r)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> host.find(DevModel.NAME, DevModel.VERSION).isPresent());
            assertThat(b.store.contains(digest)).isTrue();
        }
    }
}
