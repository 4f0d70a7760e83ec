package io.maaschain.maas.inference;

import io.maaschain.maas.artifact.ArtifactException;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.VerifyResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this node serves. A local model is loaded only after its artifact checks out against the digest the
 * chain holds for it (whole-file SHA-256 and every chunk, on the very bytes handed to ONNX Runtime); the manifest is
 * then pinned in memory and the artifact re-checked against it on a schedule. An artifact that no longer matches gets
 * its model unloaded and refused, with an ALERT in the log.
 */
public final class ModelHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelHost.class);
    /** ONNX models are single protobuf files, which cannot exceed 2 GiB. */
    public static final int MAX_EMBEDDED_MODEL_BYTES = Integer.MAX_VALUE - 8;
    public static final String ONNX_FORMAT = "onnx";

    private final ArtifactStore store;
    private final ModelRegistry registry;
    private final Clock clock;
    private final int sessionThreads;
    private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
    private final LoadFailures failures;
    /** Versions this node is configured to serve ("name/version"): server readiness waits for each (docs/inference.md). */
    private final java.util.Set<String> expected = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService scheduler;

    /** First wait after a failed load; it doubles with every failure in a row, up to {@link #MAX_LOAD_BACKOFF}. */
    public static final Duration FIRST_LOAD_BACKOFF = Duration.ofSeconds(2);
    public static final Duration MAX_LOAD_BACKOFF = Duration.ofMinutes(10);

    public ModelHost(ArtifactStore store, ModelRegistry registry) {
        this(store, registry, Clock.systemUTC(), 0);
    }

    /** {@code sessionThreads}: intra-op threads per ONNX Runtime session (0 = its default). */
    public ModelHost(ArtifactStore store, ModelRegistry registry, Clock clock, int sessionThreads) {
        this(store, registry, clock, sessionThreads, new LoadFailures(FIRST_LOAD_BACKOFF, MAX_LOAD_BACKOFF));
    }

    public ModelHost(ArtifactStore store, ModelRegistry registry, Clock clock, int sessionThreads, LoadFailures failures) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.sessionThreads = sessionThreads;
        this.failures = failures;
    }

    /** Versions whose last load failed, with the reason and the next attempt. */
    public LoadFailures loadFailures() {
        return failures;
    }

    public Clock clock() {
        return clock;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** Declares that this node should serve {@code name}/{@code version}: until it does, the server is not ready. */
    public void expect(String name, String version) {
        expected.add(name + "/" + version);
    }

    /**
     * Why the server is not ready, one line per model: a configured model not served yet, or a served model that is
     * not ready (refused). Empty when every configured and every served model is ready.
     */
    public List<String> notReady() {
        List<String> out = new ArrayList<>();
        for (LoadFailures.Failure f : failures.all()) {
            if (!models.containsKey(f.ref().id())) out.add(f.ref().id() + ": " + describe(f));
        }
        for (String id : new java.util.TreeSet<>(expected)) {
            String[] nv = id.split("/", 2);
            if (!models.containsKey(id) && failures.of(nv[0], nv[1]).isEmpty()) {
                out.add(id + ": configured but not served yet");
            }
        }
        for (ServedModel m : models.values()) {
            if (!m.ready()) out.add(m.ref().id() + ": " + m.refusal());
        }
        return out;
    }

    /** The configured model versions ("name/version") that are not served (yet). */
    public List<String> expectedButNotServed() {
        return expected.stream().filter(id -> !models.containsKey(id)).sorted().toList();
    }

    /** The reason a version is not served, as callers and operators read it. */
    public static String describe(LoadFailures.Failure f) {
        return "failed to load (" + f.attempts() + (f.attempts() == 1 ? " attempt" : " attempts") + ", next at "
                + f.nextAttemptAt() + "): " + f.reason();
    }

    /**
     * Loads {@code name}/{@code version} (latest when null) from the local artifact store into ONNX Runtime, after
     * checking the artifact against the registered digest. A failure other than "not registered" or "not in the
     * store" is recorded in {@link #loadFailures()}, which says when the next attempt is due.
     *
     * @throws InferenceException 404 if not registered, 503 if the artifact is missing or does not match (refused), 500 if the engine cannot load it
     */
    public ServedModel serveLocal(String name, String version) {
        ModelRef ref = registry.lookup(name, version)
                .orElseThrow(() -> InferenceException.notFound("model " + name + (version == null ? "" : " version " + version) + " is not registered"));
        if (!store.contains(ref.artifactDigest())) {
            throw new InferenceException(503, "the artifact " + ref.artifactDigest() + " of model " + ref.id() + " is not in the local store");
        }
        try {
            ServedModel m = load(ref);
            failures.succeeded(ref);
            return m;
        } catch (InferenceException e) {
            failures.failed(ref, e.getMessage(), clock.instant());
            throw e;
        } catch (RuntimeException e) {
            failures.failed(ref, e.toString(), clock.instant());
            throw InferenceException.backend("model " + ref.id() + " cannot load: " + e, e);
        }
    }

    private ServedModel load(ModelRef ref) {
        if (!ONNX_FORMAT.equals(ref.format())) {
            throw new InferenceException(400, "model " + ref.id() + " has format '" + ref.format() + "'; the embedded engine serves '" + ONNX_FORMAT + "'");
        }
        ArtifactStore.VerifiedBytes bytes;
        try {
            bytes = store.loadVerified(ref.artifactDigest(), MAX_EMBEDDED_MODEL_BYTES);
        } catch (ArtifactException e) {
            LOG.error("ALERT: refusing to load model {}: {}", ref.id(), e.getMessage());
            throw new InferenceException(503, "refused to load model " + ref.id() + ": " + e.getMessage(), e);
        }
        if (bytes.manifest().size() != ref.artifactSize()) {
            LOG.error("ALERT: refusing to load model {}: artifact has {} bytes, the chain says {}", ref.id(), bytes.manifest().size(), ref.artifactSize());
            throw new InferenceException(503, "refused to load model " + ref.id() + ": size differs from the registration");
        }
        OnnxBackend backend = OnnxBackend.load(bytes.bytes(), OnnxBackend.options(sessionThreads));
        ServedModel m = new ServedModel(ref, backend, bytes.manifest(), clock.instant());
        install(m);
        LOG.info("serving model {} (artifact {}, onnxruntime, inputs {}, outputs {})", ref.id(), ref.artifactDigest(),
                m.metadata().inputs(), m.metadata().outputs());
        return m;
    }

    /**
     * Serves {@code name}/{@code version} through another server. That server's copy cannot be checked from here: the
     * operator vouches for it; the on-chain reference still names the artifact in every call record.
     */
    public ServedModel serveRemote(String name, String version, InferenceBackend backend) {
        ModelRef ref = registry.lookup(name, version)
                .orElseThrow(() -> InferenceException.notFound("model " + name + (version == null ? "" : " version " + version) + " is not registered"));
        ServedModel m = new ServedModel(ref, backend, null, clock.instant());
        install(m);
        LOG.info("serving model {} through {}", ref.id(), backend.kind());
        return m;
    }

    private void install(ServedModel m) {
        ServedModel old = models.put(m.ref().id(), m);
        if (old != null) old.close();
    }

    /**
     * The served model {@code name}/{@code version}; with a null version, the registry's latest version if served,
     * else the most recently loaded version of that name.
     */
    public Optional<ServedModel> find(String name, String version) {
        if (version != null) return Optional.ofNullable(models.get(name + "/" + version));
        Optional<ServedModel> latest = registry.lookup(name, null).map(r -> models.get(r.id()));
        if (latest.isPresent()) return latest;
        return models.values().stream().filter(m -> m.name().equals(name)).max(Comparator.comparing(ServedModel::loadedAt));
    }

    /** Why {@code name}/{@code version} (latest when null) failed to load, if its last attempt failed. */
    public Optional<LoadFailures.Failure> failure(String name, String version) {
        return version != null ? failures.of(name, version) : failures.ofName(name, registry.lookup(name, null));
    }

    public Collection<ServedModel> models() {
        return List.copyOf(models.values());
    }

    public boolean unload(String name, String version) {
        failures.forget(name + "/" + version);
        ServedModel m = models.remove(name + "/" + version);
        if (m == null) return false;
        m.close();
        return true;
    }

    /**
     * Re-checks every ready local model: its registration must still name the same digest, and its artifact must
     * still match the pinned manifest (all chunks, in parallel). Returns the models refused by this pass.
     */
    public List<ServedModel> recheck() {
        List<ServedModel> refused = new ArrayList<>();
        for (ServedModel m : models.values()) {
            if (!m.ready()) continue;
            String problem = null;
            Optional<ModelRef> now = registry.lookup(m.name(), m.version());
            if (now.isEmpty()) {
                problem = "no longer registered on chain";
            } else if (!now.get().artifactDigest().equals(m.artifactDigest())) {
                problem = "the chain now names artifact " + now.get().artifactDigest();
            } else if (m.pinnedManifest() != null) {
                VerifyResult r = store.verify(m.artifactDigest(), m.pinnedManifest());
                if (!r.ok()) problem = r.describe();
            }
            if (problem == null) {
                m.verifiedAt(clock.instant());
                continue;
            }
            LOG.error("ALERT: unloading model {} and refusing calls: {}", m.ref().id(), problem);
            m.refuse(problem);
            refused.add(m);
        }
        return refused;
    }

    /** Runs {@link #recheck} every {@code interval} on a daemon thread until {@link #close}. */
    public synchronized void startRechecks(Duration interval) {
        if (scheduler != null) return;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-recheck");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                recheck();
            } catch (RuntimeException e) {
                LOG.error("model re-check failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) scheduler.shutdownNow();
        models.values().forEach(ServedModel::close);
        models.clear();
    }
}
