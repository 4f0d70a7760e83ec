package io.maaschain.maas.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The JSON of the Open Inference Protocol v2 REST API (KServe "required_api", Triton): requests, responses and the
 * {@code {"error": "..."}} body, with the protocol's binary tensor data extension. Tensor {@code data} is accepted flat
 * (row-major) or nested to the tensor's rank, and always written flat. Every value is checked against its datatype's
 * range; every count is bounded by {@link Limits}.
 *
 * <p>Requests are read with Jackson's streaming parser: tensor data goes straight from the bytes into its primitive
 * array (floats with Jackson's fast parser), without a tree of boxed nodes. Only a tensor whose {@code data} comes
 * before its {@code name}, {@code datatype} and {@code shape} is buffered first.
 *
 * <p><b>Binary tensor data</b> (docs/inference.md): when the request has the header
 * {@value #HEADER_LENGTH_HEADER}{@code : L}, the body is a JSON object of exactly {@code L} bytes followed by the raw
 * data of every input with {@code parameters.binary_data_size}, in input order, little-endian and row-major (BOOL one
 * byte 0/1; BYTES each element a u32 little-endian length and its bytes). The JSON must end exactly at {@code L}, so the
 * body alone determines the request and its hash binds it. Outputs are answered the same way when requested
 * ({@code parameters.binary_data} on an output, or {@code parameters.binary_data_output} on the request).
 */
public final class OipJson {
    /** Bounds on what one request may ask for; the body size itself is bounded by the HTTP layer. */
    public record Limits(int maxTensors, long maxElementsPerRequest) {
        public static final Limits DEFAULT = new Limits(64, 16L << 20);
    }

    /** The extension's name in {@code GET /v2}. */
    public static final String BINARY_EXTENSION = "binary_tensor_data";
    /** The header that gives the length of the JSON part of a body with binary tensor data. */
    public static final String HEADER_LENGTH_HEADER = "Inference-Header-Content-Length";
    /** The input / response output parameter giving the byte size of a tensor's binary data. */
    public static final String BINARY_DATA_SIZE = "binary_data_size";
    /** The requested-output parameter asking for binary data. */
    public static final String BINARY_DATA = "binary_data";
    /** The request parameter asking for binary data for every output without its own {@link #BINARY_DATA}. */
    public static final String BINARY_DATA_OUTPUT = "binary_data_output";

    /** A body ready to send: {@code jsonLength} is the length of its JSON part, or -1 when it is all JSON. */
    public record Encoded(byte[] body, int jsonLength) {
        public boolean hasBinary() {
            return jsonLength >= 0;
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    /** For requests: duplicate keys refused at every level, floats parsed with the fast (exact) parser. */
    private static final JsonFactory STREAM = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    /** Reads one value (a subtree) from a parser that goes on after it. */
    private static final ObjectReader SUBTREE = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private OipJson() {}

    // ---------------------------------------------------------------- requests

    /** A request whose body is all JSON (no {@value #HEADER_LENGTH_HEADER} header). */
    public static InferenceRequest readRequest(byte[] body, Limits limits) {
        return readRequest(body, -1, limits);
    }

    /**
     * A request as received: {@code jsonLength} is the value of the {@value #HEADER_LENGTH_HEADER} header, or -1 when
     * the request has none (then the whole body is JSON and no input may have binary data).
     */
    public static InferenceRequest readRequest(byte[] body, long jsonLength, Limits limits) {
        if (body.length == 0) throw bad("empty request body");
        if (jsonLength == 0 || jsonLength > body.length || jsonLength < -1) {
            throw bad(HEADER_LENGTH_HEADER + " is " + jsonLength + ", but must be between 1 and the body length " + body.length);
        }
        int json = jsonLength < 0 ? body.length : (int) jsonLength;
        String id = null;
        Map<String, Object> parameters = Map.of();
        List<Input> inputs = null;
        List<String> outputs = new ArrayList<>();
        Map<String, Boolean> binaryData = new LinkedHashMap<>();
        long[] budget = {limits.maxElementsPerRequest};
        try (JsonParser p = STREAM.createParser(body, 0, json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad("the request body must be a JSON object");
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (v == JsonToken.VALUE_STRING) id = p.getText();
                        else if (v != JsonToken.VALUE_NULL) throw bad("'id' must be a string");
                    }
                    case "parameters" -> parameters = parameters(SUBTREE.readTree(p), "parameters");
                    case "inputs" -> {
                        if (v != JsonToken.START_ARRAY) throw bad("'inputs' must be a non-empty array of tensors");
                        inputs = new ArrayList<>();
                        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                            if (inputs.size() >= limits.maxTensors) throw bad("at most " + limits.maxTensors + " input tensors");
                            inputs.add(input(p, budget, json / 2 + 1));
                        }
                    }
                    case "outputs" -> {
                        if (v == JsonToken.VALUE_NULL) break;
                        if (v != JsonToken.START_ARRAY) throw bad("'outputs' must be an array");
                        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                            if (outputs.size() >= limits.maxTensors) throw bad("at most " + limits.maxTensors + " requested outputs");
                            JsonNode o = SUBTREE.readTree(p);
                            if (!o.isObject()) throw bad("each requested output must be an object with a 'name'");
                            String name = requiredString(o, "name", "requested output name");
                            if (outputs.contains(name)) throw bad("output '" + name + "' is requested twice");
                            outputs.add(name);
                            JsonNode op = o.get("parameters");
                            if (op != null && !op.isNull() && !op.isObject()) throw bad("the parameters of output '" + name + "' must be a JSON object");
                            if (op != null && op.has(BINARY_DATA)) binaryData.put(name, bool(op.get(BINARY_DATA), "output '" + name + "' parameter " + BINARY_DATA));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw bad("the request body must be a JSON object");
            if (jsonLength >= 0) {
                long end = p.currentLocation().getByteOffset();
                if (end != json) {
                    throw bad("the JSON object of the request ends at byte " + end + ", but " + HEADER_LENGTH_HEADER + " says " + json
                            + " (it must be the exact length of the JSON object)");
                }
            } else if (p.nextToken() != null) {
                throw bad("the request is not valid JSON: trailing content after the object");
            }
        } catch (JsonProcessingException e) {
            throw bad("the request is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw bad("the request is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (inputs == null || inputs.isEmpty()) throw bad("'inputs' must be a non-empty array of tensors");
        boolean binaryDataOutput = false;
        if (parameters.containsKey(BINARY_DATA_OUTPUT)) {
            Object b = parameters.get(BINARY_DATA_OUTPUT);
            if (!(b instanceof Boolean flag)) throw bad("request parameter " + BINARY_DATA_OUTPUT + " must be true or false");
            binaryDataOutput = flag;
            parameters = new LinkedHashMap<>(parameters);
            parameters.remove(BINARY_DATA_OUTPUT);
        }
        List<Tensor> tensors = binaryInputs(body, json, jsonLength >= 0, inputs);
        Set<String> names = new LinkedHashSet<>();
        for (Tensor t : tensors) if (!names.add(t.name())) throw bad("input '" + t.name() + "' is given twice");
        return new InferenceRequest(id, parameters, tensors, outputs, binaryData, binaryDataOutput);
    }

    /** An input as read from the JSON: a tensor, or the header of one whose data is binary ({@code data} null). */
    private record Input(String name, DataType type, long[] shape, int count, Object data, long binarySize) {}

    private static Input input(JsonParser p, long[] budget, int maxValues) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) throw bad("each input must be a JSON object");
        String name = null;
        boolean badName = false;
        String dt = null;
        JsonNode shapeNode = null;
        JsonNode params = null;
        Object data = null;
        TokenBuffer buffered = null;
        boolean hasData = false;
        int[] count = {-1};
        DataType[] type = {null};
        long[][] shape = {null};
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> {
                    badName = v != JsonToken.VALUE_STRING;
                    name = badName ? null : p.getText();
                    p.skipChildren();
                }
                case "datatype" -> {
                    dt = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    p.skipChildren();
                }
                case "shape" -> shapeNode = SUBTREE.readTree(p);
                case "parameters" -> params = SUBTREE.readTree(p);
                case "data" -> {
                    hasData = true;
                    if (name != null && !badName && dt != null && shapeNode != null) {
                        // The usual order: everything needed is known, so the values go straight into their array.
                        header(name, dt, shapeNode, budget, type, shape, count);
                        data = values(p, type[0], shape[0], count[0], "input '" + name + "'", maxValues);
                    } else {
                        buffered = TokenBuffer.asCopyOfValue(p);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (name == null || badName) throw bad("input name ('name') must be a string");
        if (dt == null) throw bad("input '" + name + "' datatype ('datatype') must be a string");
        long binarySize = -1;
        if (params != null && !params.isNull()) {
            if (!params.isObject()) throw bad("the parameters of input '" + name + "' must be a JSON object");
            JsonNode size = params.get(BINARY_DATA_SIZE);
            if (size != null) {
                if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
                    throw bad("input '" + name + "' parameter " + BINARY_DATA_SIZE + " must be a non-negative integer: " + size);
                }
                binarySize = size.asLong();
            }
        }
        if (type[0] == null) header(name, dt, shapeNode, budget, type, shape, count);
        if (binarySize >= 0) {
            if (hasData) throw bad("input '" + name + "' has both 'data' and parameters." + BINARY_DATA_SIZE);
            return new Input(name, type[0], shape[0], count[0], null, binarySize);
        }
        if (!hasData) throw bad("input '" + name + "' has no 'data'");
        if (data == null) {
            try (JsonParser b = buffered.asParser(p)) {
                b.nextToken();
                data = values(b, type[0], shape[0], count[0], "input '" + name + "'", maxValues);
            }
        }
        return new Input(name, type[0], shape[0], count[0], data, -1);
    }

    /** Checks an input's datatype and shape and takes its elements from the budget; results in the arrays. */
    private static void header(String name, String dt, JsonNode shapeNode, long[] budget, DataType[] type, long[][] shape, int[] count) {
        type[0] = DataType.parse(dt).orElseThrow(() -> bad("input '" + name + "' has unknown datatype '" + dt + "'"));
        shape[0] = shape(shapeNode, "input", name, budget);
        count[0] = (int) Tensor.elementCount(shape[0]);
    }

    /** Reads the binary data after the JSON for the inputs that have it, checking every size. */
    private static List<Tensor> binaryInputs(byte[] body, int json, boolean headerGiven, List<Input> inputs) {
        List<Tensor> out = new ArrayList<>(inputs.size());
        long total = 0;
        for (Input in : inputs) if (in.binarySize >= 0) total += in.binarySize;
        if (!headerGiven && total > 0 || !headerGiven && inputs.stream().anyMatch(i -> i.binarySize >= 0)) {
            throw bad("inputs with parameters." + BINARY_DATA_SIZE + " need the " + HEADER_LENGTH_HEADER + " header");
        }
        if (headerGiven && total != body.length - (long) json) {
            throw bad("the body has " + (body.length - json) + " bytes after the " + json + "-byte JSON object, but the inputs' "
                    + BINARY_DATA_SIZE + " add up to " + total);
        }
        int at = json;
        for (Input in : inputs) {
            if (in.binarySize < 0) {
                out.add(new Tensor(in.name, in.type, in.shape, in.data));
                continue;
            }
            out.add(new Tensor(in.name, in.type, in.shape, TensorBytes.decode(body, at, (int) in.binarySize, in.type, in.shape, in.count,
                    "input '" + in.name + "'")));
            at += (int) in.binarySize;
        }
        return out;
    }

    /**
     * The request as JSON only (what the remote backend forwards): every input as JSON data, and no binary output
     * flags, since how this node answers is its own business.
     */
    public static byte[] writeRequest(InferenceRequest r) {
        return encodeRequest(r, name -> false, false).body();
    }

    /**
     * The request as a client sends it with the binary tensor data extension: inputs for which {@code binaryInput} is
     * true go as binary data after the JSON; the request's binary output flags are written too.
     */
    public static Encoded encodeRequest(InferenceRequest r, Predicate<String> binaryInput) {
        return encodeRequest(r, binaryInput, true);
    }

    private static Encoded encodeRequest(InferenceRequest r, Predicate<String> binaryInput, boolean outputFlags) {
        List<Tensor> ins = r.inputs();
        byte[][] raw = new byte[ins.size()][];
        for (int i = 0; i < ins.size(); i++) if (binaryInput.test(ins.get(i).name())) raw[i] = TensorBytes.encode(ins.get(i));
        byte[] json = write(g -> {
            g.writeStartObject();
            if (r.id() != null) g.writeStringField("id", r.id());
            Map<String, Object> params = r.parameters();
            if (outputFlags && r.binaryDataOutput()) {
                params = new LinkedHashMap<>(params);
                params.put(BINARY_DATA_OUTPUT, true);
            }
            if (!params.isEmpty()) writeParameters(g, params);
            g.writeArrayFieldStart("inputs");
            for (int i = 0; i < ins.size(); i++) {
                if (raw[i] == null) writeTensor(g, ins.get(i));
                else writeBinaryTensor(g, ins.get(i), raw[i].length);
            }
            g.writeEndArray();
            if (!r.outputs().isEmpty()) {
                g.writeArrayFieldStart("outputs");
                for (String o : r.outputs()) {
                    g.writeStartObject();
                    g.writeStringField("name", o);
                    Boolean flag = r.binaryData().get(o);
                    if (outputFlags && flag != null) {
                        g.writeObjectFieldStart("parameters");
                        g.writeBooleanField(BINARY_DATA, flag);
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
        return withBinary(json, raw);
    }

    /** Appends the binary parts to the JSON; all JSON (length -1) when there are none. */
    private static Encoded withBinary(byte[] json, byte[][] raw) {
        long total = 0;
        boolean any = false;
        for (byte[] b : raw) {
            if (b == null) continue;
            any = true;
            total += b.length;
        }
        if (!any) return new Encoded(json, -1);
        if (json.length + total > Integer.MAX_VALUE - 8) throw new InferenceException(413, "the tensors do not fit in one body");
        byte[] body = Arrays.copyOf(json, (int) (json.length + total));
        int at = json.length;
        for (byte[] b : raw) {
            if (b == null) continue;
            System.arraycopy(b, 0, body, at, b.length);
            at += b.length;
        }
        return new Encoded(body, json.length);
    }

    // ---------------------------------------------------------------- responses

    /** The response as JSON only. */
    public static byte[] writeResponse(InferenceResponse r) {
        return encodeResponse(r, name -> false, null).body();
    }

    /**
     * The response body: outputs for which {@code binaryOutput} is true go as binary data after the JSON (their
     * {@code parameters.binary_data_size} gives the size), the others as JSON. {@code data}, if not null, holds each
     * output's {@link TensorBytes#encode} already computed, in output order, so it is not encoded twice.
     */
    public static Encoded encodeResponse(InferenceResponse r, Predicate<String> binaryOutput, List<byte[]> data) {
        List<Tensor> outs = r.outputs();
        byte[][] raw = new byte[outs.size()][];
        for (int i = 0; i < outs.size(); i++) {
            if (binaryOutput.test(outs.get(i).name())) raw[i] = data != null ? data.get(i) : TensorBytes.encode(outs.get(i));
        }
        byte[] json = write(g -> {
            g.writeStartObject();
            g.writeStringField("model_name", r.modelName());
            if (r.modelVersion() != null) g.writeStringField("model_version", r.modelVersion());
            if (r.id() != null) g.writeStringField("id", r.id());
            if (!r.parameters().isEmpty()) writeParameters(g, r.parameters());
            g.writeArrayFieldStart("outputs");
            for (int i = 0; i < outs.size(); i++) {
                if (raw[i] == null) writeTensor(g, outs.get(i));
                else writeBinaryTensor(g, outs.get(i), raw[i].length);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return withBinary(json, raw);
    }

    /** A JSON-only response (the remote backend reads these; it never asks for binary outputs). */
    public static InferenceResponse readResponse(byte[] body, Limits limits) {
        JsonNode root = parse(body, "response");
        if (!root.isObject()) throw bad("the response body must be a JSON object");
        JsonNode outputs = root.get("outputs");
        if (outputs == null || !outputs.isArray()) throw bad("the response has no 'outputs' array");
        if (outputs.size() > limits.maxTensors) throw bad("more than " + limits.maxTensors + " outputs");
        long[] budget = {limits.maxElementsPerRequest};
        List<Tensor> tensors = new ArrayList<>();
        for (JsonNode o : outputs) tensors.add(tensor(o, "output", budget, body.length));
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

    private static Tensor tensor(JsonNode n, String role, long[] budget, int maxValues) {
        if (!n.isObject()) throw bad("each " + role + " must be a JSON object");
        String name = requiredString(n, "name", role + " name");
        String dt = requiredString(n, "datatype", role + " '" + name + "' datatype");
        DataType type = DataType.parse(dt).orElseThrow(() -> bad(role + " '" + name + "' has unknown datatype '" + dt + "'"));
        JsonNode p = n.get("parameters");
        if (p != null && p.has(BINARY_DATA_SIZE)) throw bad(role + " '" + name + "' has binary data, which a JSON body cannot carry");
        long[] shape = shape(n.get("shape"), role, name, budget);
        JsonNode data = n.get("data");
        if (data == null) throw bad(role + " '" + name + "' has no 'data'");
        try (JsonParser tokens = MAPPER.treeAsTokens(data)) {
            tokens.nextToken();
            return new Tensor(name, type, shape, values(tokens, type, shape, (int) Tensor.elementCount(shape), role + " '" + name + "'", maxValues));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tensor's shape, checked (at most 16 non-negative dimensions), its element count taken from the budget. */
    private static long[] shape(JsonNode shapeNode, String role, String name, long[] budget) {
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
        return shape;
    }

    private static InferenceException tooMany(String name, long[] budget) {
        return new InferenceException(413, "tensor '" + name + "' would exceed the limit of elements per request (" + budget[0] + " left)");
    }

    /**
     * Reads a tensor's {@code data} from {@code p}, which is on its first token, straight into the tensor's primitive
     * array: flat (row-major) or nested to exactly the tensor's rank, each value checked against the datatype.
     * {@code maxValues} bounds how many values the input can hold at all (so a huge shape with little data does not
     * allocate its array before failing).
     */
    static Object values(JsonParser p, DataType type, long[] shape, int count, String what, int maxValues) throws IOException {
        Sink sink = new Sink(type, count, Math.min(count, Math.max(0, maxValues)), what);
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                nested(p, first, shape, 0, sink, what);
            } else {
                for (JsonToken e = first; e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e == null) throw bad(what + " data ends early");
                    if (e == JsonToken.START_ARRAY || e == JsonToken.START_OBJECT) throw bad(what + " data mixes arrays and values");
                    sink.add(p, e);
                }
            }
        } else if (t != JsonToken.START_OBJECT && (shape.length == 0 || count == 1)) {
            sink.add(p, t);
        } else {
            throw bad(what + " data must be an array");
        }
        if (sink.n != count) {
            throw bad(what + " has shape " + Arrays.toString(shape) + " (" + count + " elements) but " + sink.n + " data values");
        }
        return sink.array;
    }

    /** One level of nested data: {@code first} is the first token inside the array at {@code depth}. */
    private static void nested(JsonParser p, JsonToken first, long[] shape, int depth, Sink sink, String what) throws IOException {
        if (depth >= shape.length) throw bad(what + " nested data does not match shape " + Arrays.toString(shape));
        long n = 0;
        for (JsonToken t = first; t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) throw bad(what + " data ends early");
            if (++n > shape[depth]) throw bad(what + " nested data does not match shape " + Arrays.toString(shape));
            if (depth == shape.length - 1) {
                if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) throw bad(what + " nested data is deeper than its shape");
                sink.add(p, t);
            } else {
                if (t != JsonToken.START_ARRAY) throw bad(what + " nested data does not match shape " + Arrays.toString(shape));
                nested(p, p.nextToken(), shape, depth + 1, sink, what);
            }
        }
        if (n != shape[depth]) throw bad(what + " nested data does not match shape " + Arrays.toString(shape));
    }

    /** Collects checked values into the datatype's primitive array; counts (and checks) values beyond its capacity too. */
    private static final class Sink {
        final DataType type;
        final String what;
        final Object array;
        final int capacity;
        int n;

        Sink(DataType type, int count, int capacity, String what) {
            this.type = type;
            this.what = what;
            this.capacity = capacity;
            this.array = java.lang.reflect.Array.newInstance(type.arrayClass().getComponentType(), capacity);
        }

        void add(JsonParser p, JsonToken t) throws IOException {
            int i = n++;
            boolean keep = i < capacity;
            switch (type) {
                case BOOL -> {
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) throw bad(what + " is BOOL; element " + i + " is " + shown(p, t));
                    if (keep) ((boolean[]) array)[i] = t == JsonToken.VALUE_TRUE;
                }
                case FP32 -> {
                    requireNumber(p, t, i);
                    float f = p.getFloatValue();
                    if (Float.isInfinite(f)) throw bad(what + " element " + i + " is out of FP32 range");
                    if (keep) ((float[]) array)[i] = f;
                }
                case FP64 -> {
                    requireNumber(p, t, i);
                    double d = p.getDoubleValue();
                    if (Double.isInfinite(d)) throw bad(what + " element " + i + " is out of range");
                    if (keep) ((double[]) array)[i] = d;
                }
                case FP16 -> {
                    requireNumber(p, t, i);
                    double d = p.getDoubleValue();
                    if (Double.isInfinite(d)) throw bad(what + " element " + i + " is out of range");
                    short h = Float.floatToFloat16((float) d);
                    if (Float.isInfinite(Float.float16ToFloat(h))) throw bad(what + " element " + i + " is out of FP16 range");
                    if (keep) ((short[]) array)[i] = h;
                }
                case BYTES -> {
                    if (t != JsonToken.VALUE_STRING) throw bad(what + " is BYTES; element " + i + " is not a string");
                    if (keep) ((byte[][]) array)[i] = p.getText().getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    long v = integer(p, t, i);
                    if (!keep) return;
                    switch (array) {
                        case byte[] a -> a[i] = (byte) v;
                        case short[] a -> a[i] = (short) v;
                        case int[] a -> a[i] = (int) v;
                        case long[] a -> a[i] = v;
                        default -> throw new IllegalStateException("unexpected array for " + type);
                    }
                }
            }
        }

        private void requireNumber(JsonParser p, JsonToken t, int i) throws IOException {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw bad(what + " is " + type + "; element " + i + " is not a number: " + shown(p, t));
            }
        }

        /** An integer element in the datatype's range, as its (two's complement) bits. */
        private long integer(JsonParser p, JsonToken t, int i) throws IOException {
            if (t != JsonToken.VALUE_NUMBER_INT) throw bad(what + " is " + type + "; element " + i + " is not an integer: " + shown(p, t));
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger b = p.getBigIntegerValue();
                if (type != DataType.UINT64 || b.signum() < 0 || b.compareTo(U64_MAX) > 0) {
                    throw bad(what + " element " + i + " (" + b + ") is out of " + type + " range");
                }
                return b.longValue();
            }
            long v = p.getLongValue();
            boolean ok = switch (type) {
                case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
                case UINT8 -> v >= 0 && v <= 0xFF;
                case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
                case UINT16 -> v >= 0 && v <= 0xFFFF;
                case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
                case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
                case UINT64 -> v >= 0;
                default -> true;
            };
            if (!ok) throw bad(what + " element " + i + " (" + v + ") is out of " + type + " range");
            return v;
        }

        private static String shown(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_STRING) return '"' + p.getText() + '"';
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) return t == JsonToken.START_OBJECT ? "an object" : "an array";
            return p.getText();
        }
    }

    static void writeTensor(JsonGenerator g, Tensor t) throws IOException {
        writeTensorHeader(g, t);
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

    /** A tensor whose data follows the JSON as binary: its header with {@code parameters.binary_data_size}. */
    static void writeBinaryTensor(JsonGenerator g, Tensor t, int size) throws IOException {
        writeTensorHeader(g, t);
        g.writeObjectFieldStart("parameters");
        g.writeNumberField(BINARY_DATA_SIZE, size);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Opens a tensor's object with its name, datatype and shape; the caller adds the data or its size and closes it. */
    private static void writeTensorHeader(JsonGenerator g, Tensor t) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("datatype", t.datatype().name());
        g.writeArrayFieldStart("shape");
        for (long d : t.shape()) g.writeNumber(d);
        g.writeEndArray();
    }

    // ---------------------------------------------------------------- helpers

    private static boolean bool(JsonNode n, String what) {
        if (n == null || !n.isBoolean()) throw bad(what + " must be true or false");
        return n.booleanValue();
    }

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
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setCodec(MAPPER);
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
