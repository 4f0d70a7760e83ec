package io.maaschain.node;

import io.maaschain.maas.inference.CallObserver;
import io.maaschain.maas.inference.CallRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Per-model inference metrics, fed by every call the gateway answers (the names KServe and Triton users look for):
 * {@code maaschain_inference_requests_total{model,outcome}}, and the histograms
 * {@code maaschain_inference_duration_seconds{model}} (the whole call in the gateway: parse, access check, backend,
 * hashing) and {@code maaschain_inference_backend_duration_seconds{model}} (the backend alone).
 *
 * <p>The {@code model} label is the model name only when the call resolved a served version, {@value #UNRESOLVED}
 * otherwise: a client must not be able to create a series per name it makes up.
 */
public final class InferenceMetrics implements CallObserver {
    static final String UNRESOLVED = "_unresolved";
    /** Bucket bounds, from a sub-millisecond ONNX call to a slow remote server. */
    private static final Duration[] BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** How a call ended, as the {@code outcome} label. */
    enum Outcome {
        /** 200. */
        SUCCESS,
        /** 401, 403, 429: refused by the access check (authentication, grants, escrow, quota, deprecation). */
        DENIED,
        /** Any other 4xx: the request was wrong (unknown model, bad tensors, too large). */
        INVALID,
        /** 5xx: the node or the backend failed, or the model is refused. */
        FAILED;

        static Outcome of(int status) {
            if (status == 200) return SUCCESS;
            if (status == 401 || status == 403 || status == 429) return DENIED;
            if (status >= 400 && status < 500) return INVALID;
            return FAILED;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onCall(CallRecord r) {
        String model = r.modelVersion() == null ? UNRESOLVED : r.modelName();
        Counter.builder("maaschain_inference_requests").description("inference calls answered, by model and outcome")
                .tag("model", model).tag("outcome", Outcome.of(r.status()).label()).register(registry).increment();
        timer("maaschain_inference_duration", "inference call time in the gateway, from the body received to the answer ready", model)
                .record(r.latencyNanos(), TimeUnit.NANOSECONDS);
        if (r.backendNanos() >= 0) {
            timer("maaschain_inference_backend_duration", "time spent in the model's backend (ONNX Runtime or a remote OIP server)", model)
                    .record(r.backendNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String name, String description, String model) {
        return Timer.builder(name).description(description).tag("model", model).serviceLevelObjectives(BUCKETS).register(registry);
    }
}
