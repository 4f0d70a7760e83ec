package io.maaschain.maas.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The embedded ONNX Runtime (CPU). A session is created from bytes already in memory and already checked against the
 * on-chain digest (see {@link ModelHost}), never from a path, so what runs is exactly what was checked and an ONNX
 * file cannot pull in external data from the disk.
 */
public final class OnnxBackend implements InferenceBackend {
    public static final String PLATFORM = "onnxruntime_onnx";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelMetadata metadata;

    private OnnxBackend(OrtEnvironment env, OrtSession session, ModelMetadata metadata) {
        this.env = env;
        this.session = session;
        this.metadata = metadata;
    }

    /** Default session options: all graph optimisations, {@code threads} intra-op threads (0 = ONNX Runtime's choice). */
    public static OrtSession.SessionOptions options(int threads) {
        try {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) o.setIntraOpNumThreads(threads);
            return o;
        } catch (OrtException e) {
            throw InferenceException.backend("cannot configure onnxruntime: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model from its bytes (a direct buffer, e.g. {@code ArtifactStore.loadVerified}, or a heap one).
     *
     * @throws InferenceException 500 if ONNX Runtime cannot load it or it uses non-tensor inputs or outputs
     */
    public static OnnxBackend load(ByteBuffer model, OrtSession.SessionOptions options) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try {
            session = model.isDirect() ? env.createSession(model, options) : env.createSession(toArray(model), options);
        } catch (OrtException e) {
            throw InferenceException.backend("onnxruntime cannot load the model: " + e.getMessage(), e);
        }
        try {
            ModelMetadata md = new ModelMetadata(PLATFORM, specs(session.getInputInfo()), specs(session.getOutputInfo()));
            return new OnnxBackend(env, session, md);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw e instanceof InferenceException ie ? ie : InferenceException.backend("cannot read the model's signature: " + e.getMessage(), e);
        }
    }

    public static OnnxBackend load(byte[] model) {
        return load(ByteBuffer.wrap(model), options(0));
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> out = new ArrayList<>();
        for (NodeInfo n : infos.values()) {
            if (!(n.getInfo() instanceof TensorInfo ti)) {
                throw InferenceException.backend("'" + n.getName() + "' is not a tensor (" + n.getInfo() + "); only tensor models are served", null);
            }
            List<Long> shape = new ArrayList<>();
            for (long d : ti.getShape()) shape.add(d < 0 ? -1L : d);
            out.add(new TensorSpec(n.getName(), dataType(ti.type, n.getName()), shape));
        }
        return out;
    }

    private static DataType dataType(OnnxJavaType t, String name) {
        return switch (t) {
            case FLOAT -> DataType.FP32;
            case DOUBLE -> DataType.FP64;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOL;
            case STRING -> DataType.BYTES;
            case FLOAT16 -> DataType.FP16;
            default -> throw InferenceException.backend("tensor '" + name + "' has type " + t + ", which this server does not serve", null);
        };
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public String kind() {
        return "onnxruntime";
    }

    @Override
    public InferenceResponse infer(InferenceRequest request) {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (Tensor t : request.inputs()) inputs.put(t.name(), toOrt(t));
            Set<String> wanted = request.outputs().isEmpty() ? session.getOutputNames() : new LinkedHashSet<>(request.outputs());
            List<Tensor> outputs = new ArrayList<>();
            try (OrtSession.Result result = session.run(inputs, wanted)) {
                for (Map.Entry<String, OnnxValue> e : result) outputs.add(fromOrt(e.getKey(), e.getValue()));
            }
            return new InferenceResponse(null, null, request.id(), Map.of(), outputs);
        } catch (OrtException e) {
            throw InferenceException.backend("onnxruntime failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOrt(Tensor t) throws OrtException {
        long[] shape = t.shape();
        Object d = t.data();
        return switch (t.datatype()) {
            case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) d), shape);
            case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) d), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap((int[]) d), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) d), shape);
            case INT16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap((short[]) d), shape);
            case FP16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap((short[]) d), shape, OnnxJavaType.FLOAT16);
            case INT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) d), shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) d), shape, OnnxJavaType.UINT8);
            case BOOL -> {
                boolean[] b = (boolean[]) d;
                ByteBuffer buf = ByteBuffer.allocate(b.length);
                for (boolean v : b) buf.put((byte) (v ? 1 : 0));
                yield OnnxTensor.createTensor(env, buf.flip(), shape, OnnxJavaType.BOOL);
            }
            case BYTES -> {
                byte[][] b = (byte[][]) d;
                String[] s = new String[b.length];
                for (int i = 0; i < b.length; i++) s[i] = new String(b[i], StandardCharsets.UTF_8);
                yield OnnxTensor.createTensor(env, s, shape);
            }
            case UINT16, UINT32, UINT64 -> throw InferenceException.badRequest("onnxruntime for Java cannot take " + t.datatype() + " input '" + t.name() + "'");
        };
    }

    private static Tensor fromOrt(String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor ot)) throw InferenceException.backend("output '" + name + "' is not a tensor", null);
        TensorInfo info = ot.getInfo();
        long[] shape = info.getShape();
        DataType type = dataType(info.type, name);
        Object data = switch (type) {
            case FP32 -> array(ot.getFloatBuffer());
            case FP64 -> array(ot.getDoubleBuffer());
            case INT32 -> array(ot.getIntBuffer());
            case INT64 -> array(ot.getLongBuffer());
            case INT16, FP16 -> array(ot.getShortBuffer());
            case INT8, UINT8 -> array(ot.getByteBuffer());
            case BOOL -> {
                byte[] raw = array(ot.getByteBuffer());
                boolean[] b = new boolean[raw.length];
                for (int i = 0; i < raw.length; i++) b[i] = raw[i] != 0;
                yield b;
            }
            case BYTES -> {
                List<byte[]> flat = new ArrayList<>();
                flattenStrings(ot.getValue(), flat);
                yield flat.toArray(new byte[0][]);
            }
            default -> throw InferenceException.backend("output '" + name + "' has unsupported type " + type, null);
        };
        return new Tensor(name, type, shape, data);
    }

    private static void flattenStrings(Object v, List<byte[]> out) {
        if (v instanceof String s) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        } else if (v != null && v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) flattenStrings(Array.get(v, i), out);
        }
    }

    private static float[] array(FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static double[] array(DoubleBuffer b) {
        double[] a = new double[b.remaining()];
        b.get(a);
        return a;
    }

    private static int[] array(IntBuffer b) {
        int[] a = new int[b.remaining()];
        b.get(a);
        return a;
    }

    private static long[] array(LongBuffer b) {
        long[] a = new long[b.remaining()];
        b.get(a);
        return a;
    }

    private static short[] array(ShortBuffer b) {
        short[] a = new short[b.remaining()];
        b.get(a);
        return a;
    }

    private static byte[] array(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.order(ByteOrder.nativeOrder()).get(a);
        return a;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // nothing more to release
        }
    }
}
