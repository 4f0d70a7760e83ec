package io.maaschain.maas.devmodel;

import java.util.List;

/**
 * Multinomial logistic regression trained by full-batch gradient descent on standardised features, with a little L2.
 * Everything is deterministic (fixed order, fixed step count, no randomness), so the exported model, and its digest,
 * are the same on every machine: Java's + - * / on doubles are IEEE 754 exact-rounded everywhere, and exp, pow and
 * sqrt are {@link StrictMath}'s, specified bit for bit, never {@link Math}'s, which may differ by an ulp between JVMs
 * and CPUs (docs/determinism.md). The standardisation is folded into the weights: {@code logits = x·W + b} on raw
 * measurements.
 */
public final class SoftmaxRegression {
    /** weights[feature][class] and bias[class], for raw (unstandardised) inputs. */
    public record Model(double[][] weights, double[] bias) {
        public double[] logits(float[] x) {
            double[] z = bias.clone();
            for (int j = 0; j < weights.length; j++) for (int k = 0; k < z.length; k++) z[k] += x[j] * weights[j][k];
            return z;
        }

        public int predict(float[] x) {
            double[] z = logits(x);
            int best = 0;
            for (int k = 1; k < z.length; k++) if (z[k] > z[best]) best = k;
            return best;
        }
    }

    private SoftmaxRegression() {}

    public static Model train(List<IrisData.Sample> samples, int classes, int steps, double learningRate, double l2) {
        int n = samples.size();
        int d = samples.get(0).features().length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (IrisData.Sample s : samples) for (int j = 0; j < d; j++) mean[j] += s.features()[j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (IrisData.Sample s : samples) for (int j = 0; j < d; j++) sd[j] += StrictMath.pow(s.features()[j] - mean[j], 2);
        for (int j = 0; j < d; j++) sd[j] = StrictMath.sqrt(sd[j] / n);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i][j] = (samples.get(i).features()[j] - mean[j]) / sd[j];

        double[][] w = new double[d][classes];
        double[] b = new double[classes];
        double[] p = new double[classes];
        for (int step = 0; step < steps; step++) {
            double[][] gw = new double[d][classes];
            double[] gb = new double[classes];
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    double z = b[k];
                    for (int j = 0; j < d; j++) z += x[i][j] * w[j][k];
                    p[k] = z;
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) sum += p[k] = StrictMath.exp(p[k] - max);
                for (int k = 0; k < classes; k++) {
                    double g = p[k] / sum - (samples.get(i).label() == k ? 1 : 0);
                    gb[k] += g;
                    for (int j = 0; j < d; j++) gw[j][k] += g * x[i][j];
                }
            }
            for (int k = 0; k < classes; k++) {
                b[k] -= learningRate * gb[k] / n;
                for (int j = 0; j < d; j++) w[j][k] -= learningRate * (gw[j][k] / n + l2 * w[j][k]);
            }
        }
        // Fold the standardisation in: z = ((x - mean) / sd)·W + b = x·(W / sd) + (b - Σ mean·W / sd).
        double[][] rw = new double[d][classes];
        double[] rb = b.clone();
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < classes; k++) {
                rw[j][k] = w[j][k] / sd[j];
                rb[k] -= mean[j] * rw[j][k];
            }
        }
        return new Model(rw, rb);
    }

    public static double accuracy(Model m, List<IrisData.Sample> samples) {
        int right = 0;
        for (IrisData.Sample s : samples) if (m.predict(s.features()) == s.label()) right++;
        return (double) right / samples.size();
    }
}
