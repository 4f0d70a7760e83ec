package io.maaschain.maas.devmodel;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model a dev node registers and serves: an Iris species classifier trained here, in plain Java, and exported to
 * ONNX (IR 8, opset 13) by this project's own encoder. Graph: {@code logits = Gemm(input, W, B)};
 * {@code probabilities = Softmax(logits, axis=1)}; {@code label = ArgMax(logits, axis=1, keepdims=0)}.
 * Input {@code input}: FP32 [batch, 4] (sepal length, sepal width, petal length, petal width, in cm).
 * Outputs {@code label}: INT64 [batch] (0 setosa, 1 versicolor, 2 virginica) and {@code probabilities}: FP32 [batch, 3].
 * Training is deterministic, so the file and its digest are the same on every run and machine.
 */
public final class DevModel {
    public static final String NAME = "iris";
    public static final String VERSION = "1.0.0";
    public static final String FORMAT = "onnx";
    public static final String LICENSE = "CC0-1.0";
    public static final String INPUT = "input";
    public static final String LABEL = "label";
    public static final String PROBABILITIES = "probabilities";
    public static final long OPSET = 13;
    static final int STEPS = 2000;
    static final double LEARNING_RATE = 0.5;
    static final double L2 = 1e-4;

    private DevModel() {}

    public static SoftmaxRegression.Model train(IrisData data) {
        return SoftmaxRegression.train(data.train(), IrisData.CLASSES.size(), STEPS, LEARNING_RATE, L2);
    }

    /** Trains on the fixed training split and returns the ONNX file's bytes. */
    public static byte[] onnxBytes() {
        IrisData data = IrisData.load();
        SoftmaxRegression.Model m = train(data);
        return export(m, SoftmaxRegression.accuracy(m, data.test()));
    }

    static byte[] export(SoftmaxRegression.Model m, double testAccuracy) {
        int d = m.weights().length;
        int c = m.bias().length;
        float[] w = new float[d * c];
        for (int j = 0; j < d; j++) for (int k = 0; k < c; k++) w[j * c + k] = (float) m.weights()[j][k];
        float[] b = new float[c];
        for (int k = 0; k < c; k++) b[k] = (float) m.bias()[k];
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("classes", String.join(",", IrisData.CLASSES));
        meta.put("features", String.join(",", IrisData.FEATURES));
        meta.put("dataset", "Fisher's Iris data (1936), every fifth sample per species held out");
        meta.put("test_accuracy", String.format(java.util.Locale.ROOT, "%.4f", testAccuracy));
        return new OnnxGraph("iris_softmax_regression")
                .input(INPUT, OnnxGraph.FLOAT, "batch", (long) d)
                .floatInitializer("W", new long[] {d, c}, w)
                .floatInitializer("B", new long[] {c}, b)
                .node("Gemm", "linear", List.of(INPUT, "W", "B"), List.of("logits"), Map.of())
                .node("Softmax", "softmax", List.of("logits"), List.of(PROBABILITIES), Map.of("axis", 1L))
                .node("ArgMax", "argmax", List.of("logits"), List.of(LABEL), orderedAttributes("axis", 1L, "keepdims", 0L))
                .output(LABEL, OnnxGraph.INT64, "batch")
                .output(PROBABILITIES, OnnxGraph.FLOAT, "batch", (long) c)
                .model(OPSET, "0.1.0", "Iris species classifier (softmax regression), trained and exported by maaschain", meta);
    }

    private static Map<String, Object> orderedAttributes(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    /** Writes the model to {@code file} (via a temp file and an atomic rename) and returns its SHA-256. */
    public static Hash write(Path file) throws IOException {
        byte[] bytes = onnxBytes();
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Sha256.hash(bytes);
    }
}
