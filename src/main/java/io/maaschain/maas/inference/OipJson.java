package io.maaschain.maas.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of the Open Inference Protocol v2 REST API (KServe "required_api", Triton): requests, responses and the
 * {@code {"error": "..."}} body. Tensor {@code data} is accepted flat (row-major) or nested to the tensor's rank, and
 * always written flat. Every value is checked against its datatype's range; every count is bounded by {@link Limits}.
 */
public final class OipJson {
    /** Bounds on what one request may ask for; the body size itself is bounded by the HTTP layer. */
    public record Limits(int maxTensors, long maxElementsPerRequest) {
        public static final Limits DEFAULT = new Limits(64, 16L << 20);
    }

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private OipJson() {}

    // ---------------------------------------------------------------- requests

    public static InferenceRequest readRequest(byte[] body, Limits limits) {
        JsonNode root = parse(body, "request");
        if (!root.isObject()) throw bad("the request body must be a JSON object");
        String id = optionalString(root, "id", "id");
        Map<String, Object> parameters = parameters(root.get("parameters"), "parameters");
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) throw bad("'inputs' must be a non-empty array of tensors");
        if (inputs.size() > limits.maxTensors) throw bad("at most " + limits.maxTensors + " input tensors");
        long[] budget = {limits.maxElementsPerRequest};
        List<Tensor> tensors = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode in : inputs) {
            Tensor t = tensor(in, "input", budget);
            if (!names.add(t.name())) throw bad("input '" + t.name() + "' is given twice");
            tensors.add(t);
        }
        List<String> outputs = new ArrayList<>();
        JsonNode outs = root.get("outputs");
        if (outs != null && !outs.isNull()) {
            if (!outs.isArray()) throw bad("'outputs' must be an array");
            if (outs.size() > limits.maxTensors) throw bad("at most " + limits.maxTensors + " requested outputs");
            for (JsonNode o : outs) {
                if (!o.isObject()) throw bad("each requested output must be an object with a 'name'");
                String name = requiredString(o, "name", "requested output name");
                JsonNode p = o.get("parameters");
                if (p != null && p.path("binary_data").asBoolean(false)) {
                    throw bad("the binary tensor data extension is not supported; ask for JSON outputs");
                }
                if (outputs.contains(name)) throw bad("output '" + name + "' is requested twice");
                outputs.add(name);
            }
        }
        return new InferenceRequest(id, parameters, tensors, outputs);
    }

    public static byte[] writeRequest(InferenceRequest r) {
        return write(g -> {
            g.writeStartObject();
            if (r.id() != null) g.writeStringField("id", r.id());
            if (!r.parameters().isEmpty()) writeParameters(g, r.parameters());
            g.writeArrayFieldStart("inputs");
            for (Tensor t : r.inputs()) writeTensor(g, t);
            g.writeEndArray();
            if (!r.outputs().isEmpty()) {
                g.writeArrayFieldStart("outputs");
                for (String o : r.outputs()) {
                    g.writeStartObject();
                    g.writeStringField("name", o);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    // ---------------------------------------------------------------- responses

    public static byte[] writeResponse(InferenceResponse r) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("model_name", r.modelName());
            if (r.modelVersion() != null) g.writeStringField("model_version", r.modelVersion());
            if (r.id() != null) g.writeStringField("id", r.id());
            if (!r.parameters().isEmpty()) writeParameters(g, r.parameters());
            g.writeArrayFieldStart("outputs");
            for (Tensor t : r.outputs()) writeTensor(g, t);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    public static InferenceResponse readResponse(byte[] body, Limits limits) {
        JsonNode root = parse(body, "response");
        if (!root.isObject()) throw bad("the response body must be a JSON object");
        JsonNode outputs = root.get("outputs");
        if (outputs == null || !outputs.isArray()) throw bad("the response has no 'outputs' array");
        if (outputs.size() > limits.maxTensors) throw bad("more than " + limits.maxTensors + " outputs");
        long[] budget = {limits.maxElementsPerRequest};
        List<Tensor> tensors = new ArrayList<>();
        for (JsonNode o : outputs) tensors.add(tensor(o, "output", budget));
        return new InferenceResponse(optionalString(root, "model_name", "model_name"), optionalString(root, "model_version", "model_version"),
                optionalString(root, "id", "id"), parameters(root.get("parameters"), "parameters"), tensors);
    }

    /** The protocol's error body. */
    public static byte[] error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    /** Writes any JSON value (maps, lists, scalars) with the protocol's mapper. */
    public static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode tree(byte[] body) {
        return parse(body, "body");
    }

    // ---------------------------------------------------------------- tensors

    private static Tensor tensor(JsonNode n, String role, long[] budget) {
        if (!n.isObject()) throw bad("each " + role + " must be a JSON object");
        String name = requiredString(n, "name", role + " name");
        String dt = requiredString(n, "datatype", role + " '" + name + "' datatype");
        DataType type = DataType.parse(dt).orElseThrow(() -> bad(role + " '" + name + "' has unknown datatype '" + dt + "'"));
        JsonNode p = n.get("parameters");
        if (p != null && p.has("binary_data_size")) throw bad("the binary tensor data extension is not supported");
        JsonNode shapeNode = n.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) throw bad(role + " '" + name + "' needs a 'shape' array");
        if (shapeNode.size() > 16) throw bad(role + " '" + name + "' has more than 16 dimensions");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw bad(role + " '" + name + "' shape must hold non-negative integers: " + shapeNode);
            }
            shape[i] = d.asLong();
            if (shape[i] > budget[0]) throw tooMany(name, budget);
            count *= shape[i];
            if (count > budget[0]) throw tooMany(name, budget);
        }
        budget[0] -= count;
        JsonNode data = n.get("data");
        if (data == null) throw bad(role + " '" + name + "' has no 'data'");
        List<JsonNode> flat = new ArrayList<>((int) count);
        if (data.isArray()) {
            boolean nested = !data.isEmpty() && data.get(0).isArray();
            if (nested) flattenNested(data, shape, 0, flat, role, name);
            else for (JsonNode v : data) {
                if (v.isArray() || v.isObject()) throw bad(role + " '" + name + "' data mixes arrays and values");
                flat.add(v);
            }
        } else if (shape.length == 0 || count == 1) {
            flat.add(data);
        } else {
            throw bad(role + " '" + name + "' data must be an array");
        }
        if (flat.size() != count) {
            throw bad(role + " '" + name + "' has shape " + java.util.Arrays.toString(shape) + " (" + count + " elements) but "
                    + flat.size() + " data values");
        }
        return new Tensor(name, type, shape, values(flat, type, role, name));
    }

    private static InferenceException tooMany(String name, long[] budget) {
        return new InferenceException(413, "tensor '" + name + "' would exceed the limit of elements per request (" + budget[0] + " left)");
    }

    private static void flattenNested(JsonNode node, long[] shape, int depth, List<JsonNode> out, String role, String name) {
        if (depth >= shape.length || node.size() != shape[depth]) {
            throw bad(role + " '" + name + "' nested data does not match shape " + java.util.Arrays.toString(shape));
        }
        for (JsonNode v : node) {
            if (depth == shape.length - 1) {
                if (v.isArray() || v.isObject()) throw bad(role + " '" + name + "' nested data is deeper than its shape");
                out.add(v);
            } else {
                if (!v.isArray()) throw bad(role + " '" + name + "' nested data does not match shape " + java.util.Arrays.toString(shape));
                flattenNested(v, shape, depth + 1, out, role, name);
            }
        }
    }

    private static Object values(List<JsonNode> flat, DataType type, String role, String name) {
        int n = flat.size();
        String what = role + " '" + name + "'";
        switch (type) {
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    JsonNode v = flat.get(i);
                    if (!v.isBoolean()) throw bad(what + " is BOOL; element " + i + " is " + v);
                    a[i] = v.booleanValue();
                }
                return a;
            }
            case FP32, FP64, FP16 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    JsonNode v = flat.get(i);
                    if (!v.isNumber()) throw bad(what + " is " + type + "; element " + i + " is not a number: " + v);
                    d[i] = v.doubleValue();
                    if (Double.isInfinite(d[i])) throw bad(what + " element " + i + " is out of range");
                }
                if (type == DataType.FP64) return d;
                if (type == DataType.FP32) {
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) d[i];
                        if (Float.isInfinite(f[i])) throw bad(what + " element " + i + " is out of FP32 range");
                    }
                    return f;
                }
                short[] h = new short[n];
                for (int i = 0; i < n; i++) {
                    h[i] = Float.floatToFloat16((float) d[i]);
                    if (Float.isInfinite(Float.float16ToFloat(h[i]))) throw bad(what + " element " + i + " is out of FP16 range");
                }
                return h;
            }
            case BYTES -> {
                byte[][] a = new byte[n][];
                for (int i = 0; i < n; i++) {
                    JsonNode v = flat.get(i);
                    if (!v.isTextual()) throw bad(what + " is BYTES; element " + i + " is not a string");
                    a[i] = v.textValue().getBytes(StandardCharsets.UTF_8);
                }
                return a;
            }
            default -> {
                BigInteger min = switch (type) {
                    case INT8 -> BigInteger.valueOf(Byte.MIN_VALUE);
                    case INT16 -> BigInteger.valueOf(Short.MIN_VALUE);
                    case INT32 -> BigInteger.valueOf(Integer.MIN_VALUE);
                    case INT64 -> BigInteger.valueOf(Long.MIN_VALUE);
                    default -> BigInteger.ZERO;
                };
                BigInteger max = switch (type) {
                    case INT8 -> BigInteger.valueOf(Byte.MAX_VALUE);
                    case INT16 -> BigInteger.valueOf(Short.MAX_VALUE);
                    case INT32 -> BigInteger.valueOf(Integer.MAX_VALUE);
                    case INT64 -> BigInteger.valueOf(Long.MAX_VALUE);
                    case UINT8 -> BigInteger.valueOf(0xFF);
                    case UINT16 -> BigInteger.valueOf(0xFFFF);
                    case UINT32 -> BigInteger.valueOf(0xFFFF_FFFFL);
                    default -> U64_MAX;
                };
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    JsonNode v = flat.get(i);
                    if (!v.isIntegralNumber()) throw bad(what + " is " + type + "; element " + i + " is not an integer: " + v);
                    BigInteger b = v.bigIntegerValue();
                    if (b.compareTo(min) < 0 || b.compareTo(max) > 0) throw bad(what + " element " + i + " (" + b + ") is out of " + type + " range");
                    l[i] = b.longValue();
                }
                return switch (type) {
                    case INT8, UINT8 -> {
                        byte[] a = new byte[n];
                        for (int i = 0; i < n; i++) a[i] = (byte) l[i];
                        yield a;
                    }
                    case INT16, UINT16 -> {
                        short[] a = new short[n];
                        for (int i = 0; i < n; i++) a[i] = (short) l[i];
                        yield a;
                    }
                    case INT32, UINT32 -> {
                        int[] a = new int[n];
                        for (int i = 0; i < n; i++) a[i] = (int) l[i];
                        yield a;
                    }
                    default -> l;
                };
            }
        }
    }

    static void writeTensor(JsonGenerator g, Tensor t) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("datatype", t.datatype().name());
        g.writeArrayFieldStart("shape");
        for (long d : t.shape()) g.writeNumber(d);
        g.writeEndArray();
        g.writeArrayFieldStart("data");
        Object d = t.data();
        switch (t.datatype()) {
            case BOOL -> { for (boolean v : (boolean[]) d) g.writeBoolean(v); }
            case INT8 -> { for (byte v : (byte[]) d) g.writeNumber(v); }
            case UINT8 -> { for (byte v : (byte[]) d) g.writeNumber(v & 0xFF); }
            case INT16 -> { for (short v : (short[]) d) g.writeNumber(v); }
            case UINT16 -> { for (short v : (short[]) d) g.writeNumber(v & 0xFFFF); }
            case FP16 -> { for (short v : (short[]) d) g.writeNumber(Float.float16ToFloat(v)); }
            case INT32 -> { for (int v : (int[]) d) g.writeNumber(v); }
            case UINT32 -> { for (int v : (int[]) d) g.writeNumber(Integer.toUnsignedLong(v)); }
            case INT64 -> { for (long v : (long[]) d) g.writeNumber(v); }
            case UINT64 -> { for (long v : (long[]) d) g.writeNumber(new BigInteger(Long.toUnsignedString(v))); }
            case FP32 -> { for (float v : (float[]) d) g.writeNumber(v); }
            case FP64 -> { for (double v : (double[]) d) g.writeNumber(v); }
            case BYTES -> { for (byte[] v : (byte[][]) d) g.writeString(new String(v, StandardCharsets.UTF_8)); }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> parameters(JsonNode p, String what) {
        if (p == null || p.isNull()) return Map.of();
        if (!p.isObject()) throw bad("'" + what + "' must be a JSON object");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
        }
        return out;
    }

    private static void writeParameters(JsonGenerator g, Map<String, Object> parameters) throws IOException {
        g.writeFieldName("parameters");
        MAPPER.writeValue(g, parameters);
    }

    private static String requiredString(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw bad(what + " ('" + field + "') must be a string");
        return v.textValue();
    }

    private static String optionalString(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (v.getNodeType() != JsonNodeType.STRING) throw bad("'" + what + "' must be a string");
        return v.textValue();
    }

    private static JsonNode parse(byte[] body, String what) {
        if (body.length == 0) throw bad("empty " + what + " body");
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw bad("the " + what + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static InferenceException bad(String message) {
        return InferenceException.badRequest(message);
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setCodec(MAPPER);
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
