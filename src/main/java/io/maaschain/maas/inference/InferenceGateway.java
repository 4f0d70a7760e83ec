package io.maaschain.maas.inference;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one inference call end to end, independent of HTTP: find the served model, parse and hash the request, ask the
 * {@link CallAuthorizer}, check the tensors against the model's signature, run the backend, hash the outputs, let the
 * {@link ResponseDecorator} add receipt fields, and hand a {@link CallRecord} to the {@link CallObserver} — for every
 * call, including the ones refused. Answers are protocol JSON with the status to send.
 */
public final class InferenceGateway {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceGateway.class);

    /** The pluggable parts; {@link #NONE} lets everything through and adds nothing. */
    public record Hooks(CallAuthorizer authorizer, CallObserver observer, ResponseDecorator decorator) {
        public static final Hooks NONE = new Hooks(CallAuthorizer.ALLOW_ALL, CallObserver.NONE, ResponseDecorator.NONE);

        public Hooks {
            Objects.requireNonNull(authorizer, "authorizer");
            Objects.requireNonNull(observer, "observer");
            Objects.requireNonNull(decorator, "decorator");
        }
    }

    /**
     * An answer ready to send: status and body (a response, or {@code {"error": ...}}). {@code jsonLength} is the
     * length of the JSON part when binary tensor data follows it (send it as {@value OipJson#HEADER_LENGTH_HEADER}),
     * -1 when the body is all JSON.
     */
    public record Reply(int status, byte[] body, CallRecord record, int jsonLength) {
        public Reply(int status, byte[] body, CallRecord record) {
            this(status, body, record, -1);
        }

        public boolean hasBinary() {
            return jsonLength >= 0;
        }
    }

    /** The header name as the gateway receives it (lower case). */
    private static final String HEADER_LENGTH = OipJson.HEADER_LENGTH_HEADER.toLowerCase(java.util.Locale.ROOT);

    private final ModelHost host;
    private final Hooks hooks;
    private final OipJson.Limits limits;
    private final Clock clock;

    public InferenceGateway(ModelHost host, Hooks hooks, OipJson.Limits limits, Clock clock) {
        this.host = host;
        this.hooks = hooks;
        this.limits = limits;
        this.clock = clock;
    }

    public InferenceGateway(ModelHost host) {
        this(host, Hooks.NONE, OipJson.Limits.DEFAULT, Clock.systemUTC());
    }

    public ModelHost host() {
        return host;
    }

    public Hooks hooks() {
        return hooks;
    }

    /**
     * One call to {@code model} ({@code version} null for the default version) with the request body as received.
     * {@code headers} should have lower-case names.
     */
    public Reply infer(String model, String version, byte[] body, String claimedCaller, Map<String, String> headers) {
        long start = System.nanoTime();
        Instant received = clock.instant();
        Hash requestHash = Sha256.hash(body);
        ServedModel served = null;
        String caller = claimedCaller;
        String requestId = null;
        try {
            served = resolve(model, version);
            InferenceRequest request = OipJson.readRequest(body, jsonLength(headers.get(HEADER_LENGTH), body.length), limits);
            requestId = request.id();
            caller = hooks.authorizer().authorize(new CallContext(served.ref(), claimedCaller, requestHash, request, headers, received));
            check(request, served.metadata());
            long backendStart = System.nanoTime();
            InferenceResponse raw = served.infer(request);
            long backendNanos = System.nanoTime() - backendStart;
            List<Tensor> outputs = select(raw.outputs(), request, served);
            // Each output's little-endian bytes, computed once: hashed for the receipt, and sent as is when asked for in binary.
            List<byte[]> outputBytes = new ArrayList<>(outputs.size());
            for (Tensor t : outputs) outputBytes.add(TensorBytes.encode(t));
            Hash responseHash = TensorDigest.of(outputs, outputBytes);
            CallRecord record = new CallRecord(model, served.version(), served.artifactDigest(), caller, requestId, requestHash,
                    responseHash, 200, null, System.nanoTime() - start, received, backendNanos);
            Map<String, Object> parameters = new LinkedHashMap<>(raw.parameters());
            parameters.putAll(hooks.decorator().decorate(record));
            OipJson.Encoded answer = OipJson.encodeResponse(new InferenceResponse(served.name(), served.version(), request.id(), parameters, outputs),
                    request::binaryOutput, outputBytes);
            observe(record);
            return new Reply(200, answer.body(), record, answer.jsonLength());
        } catch (InferenceException e) {
            if (e.status() >= 500) LOG.warn("inference on {} failed: {}", model, e.getMessage());
            return failure(model, served, caller, requestId, requestHash, e.status(), e.getMessage(), start, received);
        } catch (RuntimeException e) {
            LOG.error("inference on {} failed unexpectedly", model, e);
            return failure(model, served, caller, requestId, requestHash, 500, "internal error: " + e.getClass().getSimpleName(), start, received);
        }
    }

    /** The value of the {@value OipJson#HEADER_LENGTH_HEADER} header, -1 if absent; 400 unless a byte count within the body. */
    static long jsonLength(String header, int bodyLength) {
        if (header == null) return -1;
        String v = header.strip();
        long n = -1;
        if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(c -> c >= '0' && c <= '9')) n = Long.parseLong(v);
        if (n < 1 || n > bodyLength) {
            throw InferenceException.badRequest(OipJson.HEADER_LENGTH_HEADER + " must be the byte length of the JSON part of the body, "
                    + "between 1 and " + bodyLength + "; got '" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'");
        }
        return n;
    }

    /** Records and answers a call refused before its body was read (e.g. 413 for an oversized body). */
    public Reply refuse(String model, String version, String claimedCaller, int status, String message) {
        Instant received = clock.instant();
        ServedModel served = host.find(model, version).orElse(null);
        return failure(model, served, claimedCaller, null, null, status, message, System.nanoTime(), received);
    }

    private Reply failure(String model, ServedModel served, String caller, String requestId, Hash requestHash, int status,
                          String message, long start, Instant received) {
        CallRecord record = new CallRecord(model, served == null ? null : served.version(), served == null ? null : served.artifactDigest(),
                caller, requestId, requestHash, null, status, message, System.nanoTime() - start, received);
        observe(record);
        return new Reply(status, OipJson.error(message), record);
    }

    private void observe(CallRecord record) {
        try {
            hooks.observer().onCall(record);
        } catch (RuntimeException e) {
            LOG.error("call observer failed on {}", record, e);
        }
    }

    private ServedModel resolve(String model, String version) {
        ServedModel m = host.find(model, version).orElseThrow(() -> {
            if (host.registry().deprecated(model, version)) return deprecated(model, version);
            var failed = host.failure(model, version);
            if (failed.isPresent()) return new InferenceException(503, "model " + failed.get().ref().id() + " " + ModelHost.describe(failed.get()));
            boolean registered = host.registry().lookup(model, version).isPresent();
            return InferenceException.notFound("model '" + model + "'" + (version == null ? "" : " version '" + version + "'")
                    + (registered ? " is registered but not served by this node" : " is unknown"));
        });
        if (!m.ready()) throw new InferenceException(503, "model " + m.ref().id() + " is not ready: " + m.refusal());
        return m;
    }

    /** 403 for a version its owner deprecated: the message starts with the code, as access refusals do. */
    public static InferenceException deprecated(String model, String version) {
        return new InferenceException(403, "DEPRECATED: model '" + model + "'" + (version == null ? " (latest version)" : " version '" + version + "'")
                + " is deprecated by its owner and no longer served; call a newer version");
    }

    /** Every input named, typed and shaped as the model declares; no unknown or missing input; requested outputs exist. */
    static void check(InferenceRequest request, ModelMetadata md) {
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        md.inputs().forEach(s -> specs.put(s.name(), s));
        Set<String> given = new HashSet<>();
        for (Tensor t : request.inputs()) {
            TensorSpec s = specs.get(t.name());
            if (s == null) throw InferenceException.badRequest("unknown input '" + t.name() + "'; the model takes " + specs.keySet());
            String mismatch = s.mismatch(t);
            if (mismatch != null) throw InferenceException.badRequest(mismatch);
            given.add(t.name());
        }
        for (String name : specs.keySet()) {
            if (!given.contains(name)) throw InferenceException.badRequest("missing input '" + name + "'");
        }
        Set<String> outputs = new HashSet<>();
        md.outputs().forEach(o -> outputs.add(o.name()));
        for (String o : request.outputs()) {
            if (!outputs.contains(o)) throw InferenceException.badRequest("unknown output '" + o + "'; the model gives " + outputs);
        }
    }

    private static List<Tensor> select(List<Tensor> produced, InferenceRequest request, ServedModel m) {
        List<String> wanted = request.outputs().isEmpty() ? m.metadata().outputs().stream().map(TensorSpec::name).toList() : request.outputs();
        List<Tensor> out = new ArrayList<>(wanted.size());
        for (String w : wanted) {
            Tensor t = produced.stream().filter(p -> p.name().equals(w)).findFirst()
                    .orElseThrow(() -> InferenceException.backend("the backend did not produce output '" + w + "'", null));
            out.add(t);
        }
        return out;
    }
}
