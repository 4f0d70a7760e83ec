package io.maaschain.node.serving;

import io.maaschain.chain.Blockchain;
import io.maaschain.codec.ByteReader;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.inference.InferenceException;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.maas.inference.ModelRef;
import io.maaschain.maas.inference.ServedModel;
import io.maaschain.state.MarketRecords;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the set of served models equal to what the chain says this node hosts (its HostModel records), for the
 * versions whose artifact is in the local store and matches the registered digest. Runs after every head change.
 * With an {@link ArtifactReplicator}, a hosted version whose artifact is missing has it fetched from peers first.
 * A version that fails to load is retried with exponential back-off ({@link io.maaschain.maas.inference.LoadFailures}),
 * not on every head change: each attempt reads and hashes the whole artifact.
 */
public final class ServingManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingManager.class);

    private final Blockchain chain;
    private final ModelHost host;
    private final ArtifactStore store;
    private final Address hostAddress;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "serving-manager"));
    private final AtomicBoolean queued = new AtomicBoolean();
    /** The refresh that retries failed loads when their back-off ends, even if no block arrives meanwhile. */
    private ScheduledFuture<?> retry;
    private final Set<String> refused = new HashSet<>();
    /** Fetches missing artifacts of hosted models from peers; null without a network. */
    private final ArtifactReplicator replicator;

    public ServingManager(Blockchain chain, ModelHost host, ArtifactStore store, Address hostAddress) {
        this(chain, host, store, hostAddress, null);
    }

    /** With a replicator, the artifact of a hosted model missing from the store is fetched from peers, then served. */
    public ServingManager(Blockchain chain, ModelHost host, ArtifactStore store, Address hostAddress, ArtifactReplicator replicator) {
        this.chain = chain;
        this.host = host;
        this.store = store;
        this.hostAddress = hostAddress;
        this.replicator = replicator;
        if (replicator != null) replicator.addListener(digest -> schedule());
        chain.addListener((removed, added, head) -> schedule());
        schedule();
    }

    /** Coalesces bursts of head changes into one refresh. */
    public void schedule() {
        // After close nothing is refreshed (the node stops block writers before this, so no head change should come).
        if (worker.isShutdown()) return;
        if (queued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    queued.set(false);
                    refresh();
                });
            } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
                queued.set(false);
            }
        }
    }

    private void refresh() {
        Set<String> wanted = new HashSet<>();
        chain.scanState(new byte[] {(byte) MarketRecords.HOST}, (key, value) -> {
            ByteReader r = new ByteReader(key).skip(1);
            String name = r.string(RegisterModel.MAX_NAME, "name");
            String version = r.string(RegisterModel.MAX_VERSION, "version");
            if (Address.wrap(r.raw(Address.LENGTH, "host")).equals(hostAddress)) wanted.add(name + "/" + version);
            return true;
        });
        Set<Hash> missing = new HashSet<>();
        for (String id : wanted) {
            String[] nv = id.split("/", 2);
            Optional<ModelRef> ref = host.registry().lookup(nv[0], nv[1]);
            if (ref.isEmpty()) continue;
            if (!store.contains(ref.get().artifactDigest())) {
                if (replicator != null) {
                    missing.add(ref.get().artifactDigest());
                    replicator.replicate(ref.get().artifactDigest(), ref.get().artifactSize(), id);
                }
                continue;
            }
            Optional<ServedModel> served = host.find(nv[0], nv[1]);
            if (served.isPresent() && served.get().ref().equals(ref.get())) continue;
            if (!host.loadFailures().due(ref.get(), host.clock().instant())) continue;
            try {
                host.serveLocal(nv[0], nv[1]);
                if (refused.remove(id)) LOG.info("model {} loaded after earlier failures", id);
            } catch (InferenceException e) {
                var f = host.loadFailures().of(nv[0], nv[1]);
                String next = f.map(x -> ", next attempt at " + x.nextAttemptAt()).orElse("");
                if (refused.add(id)) LOG.error("ALERT: not serving {}: {}{}", id, e.getMessage(), next);
                else LOG.warn("model {} still fails to load (attempt {}){}: {}", id, f.map(x -> x.attempts()).orElse(0), next, e.getMessage());
            }
        }
        for (var f : host.loadFailures().all()) {
            if (!wanted.contains(f.ref().id())) {
                host.loadFailures().forget(f.ref().id());
                refused.remove(f.ref().id());
            }
        }
        scheduleRetry();
        if (replicator != null) replicator.retainOnly(missing);
        for (ServedModel m : host.models()) {
            String id = m.name() + "/" + m.version();
            if (!wanted.contains(id) || host.registry().lookup(m.name(), m.version()).isEmpty()) {
                host.unload(m.name(), m.version());
                LOG.info("stopped serving {}: no longer hosted by this node, or deprecated", id);
            }
        }
    }

    private void scheduleRetry() {
        if (retry != null) retry.cancel(false);
        retry = null;
        Optional<Instant> next = host.loadFailures().nextAttempt();
        if (next.isEmpty() || worker.isShutdown()) return;
        long ms = Math.max(1, Duration.between(host.clock().instant(), next.get()).toMillis());
        try {
            retry = worker.schedule(this::schedule, ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // closing
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
