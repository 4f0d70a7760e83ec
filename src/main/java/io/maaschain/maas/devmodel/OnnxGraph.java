package io.maaschain.maas.devmodel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an ONNX ModelProto (github.com/onnx/onnx, onnx/onnx.proto) for a small graph of standard operators, with
 * float tensors as initializers. Field numbers are onnx.proto's; the output is what any ONNX runtime loads.
 */
final class OnnxGraph {
    /** onnx.proto TensorProto.DataType */
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int BOOL = 9;
    static final int DOUBLE = 11;
    /** onnx.proto AttributeProto.AttributeType */
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    static final long IR_VERSION = 8;

    private final String name;
    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initializers = new ArrayList<>();
    private final List<Protobuf> inputs = new ArrayList<>();
    private final List<Protobuf> outputs = new ArrayList<>();

    OnnxGraph(String name) {
        this.name = name;
    }

    /** A graph input or output; a null dimension is symbolic, named by {@code dimParam}. */
    private static Protobuf valueInfo(String name, int elemType, Object... dims) {
        Protobuf shape = new Protobuf();
        for (Object d : dims) {
            Protobuf dim = d instanceof Long l ? new Protobuf().int64(1, l) : new Protobuf().string(2, (String) d);
            shape.message(1, dim);
        }
        Protobuf tensorType = new Protobuf().int64(1, elemType).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
    }

    OnnxGraph input(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    OnnxGraph output(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    OnnxGraph floatInitializer(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        Protobuf t = new Protobuf();
        for (long d : dims) t.int64(1, d);
        t.int64(2, FLOAT).string(8, name).bytes(9, raw.array());
        initializers.add(t);
        return this;
    }

    /** A node; attribute values are Long (INT) or Float (FLOAT). */
    OnnxGraph node(String opType, String nodeName, List<String> in, List<String> out, Map<String, Object> attributes) {
        Protobuf n = new Protobuf();
        in.forEach(s -> n.string(1, s));
        out.forEach(s -> n.string(2, s));
        n.string(3, nodeName).string(4, opType);
        attributes.forEach((k, v) -> {
            Protobuf a = new Protobuf().string(1, k);
            if (v instanceof Float f) a.float32(2, f).int64(20, ATTR_FLOAT);
            else a.int64(3, (Long) v).int64(20, ATTR_INT);
            n.message(5, a);
        });
        nodes.add(n);
        return this;
    }

    /** The ModelProto: IR version 8, default-domain opset {@code opset}, with string metadata properties. */
    byte[] model(long opset, String producerVersion, String doc, Map<String, String> metadata) {
        Protobuf graph = new Protobuf();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(v -> graph.message(11, v));
        outputs.forEach(v -> graph.message(12, v));
        Protobuf model = new Protobuf()
                .int64(1, IR_VERSION)
                .string(2, "maaschain")
                .string(3, producerVersion)
                .int64(5, 1)
                .string(6, doc)
                .message(7, graph)
                .message(8, new Protobuf().int64(2, opset));
        new LinkedHashMap<>(metadata).forEach((k, v) -> model.message(14, new Protobuf().string(1, k).string(2, v)));
        return model.toByteArray();
    }
}
