package io.maaschain.maas.devmodel;

import java.util.List;
import java.util.Map;

/** Small ONNX models for tests, written with the project's own encoder. */
public final class TestModels {
    private TestModels() {}

    /**
     * Doubles each of four inputs of different datatypes: {@code i32} INT32 [-1], {@code i64} INT64 [-1, 2],
     * {@code f64} FP64 [-1], {@code f32} FP32 [3]; outputs {@code i32_out}, {@code i64_out}, {@code f64_out}, {@code f32_out}
     * of the same types and shapes (Add of the input to itself).
     */
    public static byte[] doubler() {
        OnnxGraph g = new OnnxGraph("doubler")
                .input("i32", OnnxGraph.INT32, "n")
                .input("i64", OnnxGraph.INT64, "m", 2L)
                .input("f64", OnnxGraph.DOUBLE, "k")
                .input("f32", OnnxGraph.FLOAT, 3L);
        for (String[] io : new String[][] {{"i32", "i32_out"}, {"i64", "i64_out"}, {"f64", "f64_out"}, {"f32", "f32_out"}}) {
            g.node("Add", "add_" + io[0], List.of(io[0], io[0]), List.of(io[1]), Map.of());
        }
        return g.output("i32_out", OnnxGraph.INT32, "n")
                .output("i64_out", OnnxGraph.INT64, "m", 2L)
                .output("f64_out", OnnxGraph.DOUBLE, "k")
                .output("f32_out", OnnxGraph.FLOAT, 3L)
                .model(13, "test", "doubles its inputs", Map.of());
    }

    /**
     * A dense network with a realistic amount of compute per call, for the gateway-overhead benchmark:
     * {@code x} FP32 [batch, in] through {@code layers} Gemm+Relu layers of {@code width} units to {@code y} FP32
     * [batch, 10]. Weights are a fixed pseudo-random pattern (the benchmark measures time, not accuracy).
     */
    public static byte[] dense(int in, int width, int layers) {
        OnnxGraph g = new OnnxGraph("dense").input("x", OnnxGraph.FLOAT, "batch", (long) in);
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        String prev = "x";
        int prevWidth = in;
        for (int l = 0; l <= layers; l++) {
            int outWidth = l == layers ? 10 : width;
            float[] w = new float[prevWidth * outWidth];
            for (int i = 0; i < w.length; i++) w[i] = (float) ((random.nextDouble() - 0.5) / Math.sqrt(prevWidth));
            g.floatInitializer("W" + l, new long[] {prevWidth, outWidth}, w);
            g.floatInitializer("B" + l, new long[] {outWidth}, new float[outWidth]);
            String out = l == layers ? "y" : "h" + l;
            g.node("Gemm", "gemm" + l, java.util.List.of(prev, "W" + l, "B" + l), java.util.List.of(l == layers ? "y" : "z" + l), java.util.Map.of());
            if (l < layers) g.node("Relu", "relu" + l, java.util.List.of("z" + l), java.util.List.of(out), java.util.Map.of());
            prev = out;
            prevWidth = outWidth;
        }
        return g.output("y", OnnxGraph.FLOAT, "batch", 10L)
                .model(DevModel.OPSET, "0.1.0", "dense benchmark network", java.util.Map.of());
    }
}
