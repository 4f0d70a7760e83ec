package io.maaschain.maas.devmodel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fisher's Iris data (R. A. Fisher, 1936; public domain), 150 samples of 4 measurements in cm and 3 species, shipped
 * as {@code iris.csv}. The split is fixed: within each species, every fifth sample (the 5th, 10th, …) is held out,
 * giving 120 training and 30 test samples, the same on every run.
 */
public final class IrisData {
    public static final List<String> CLASSES = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");
    public static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    public record Sample(float[] features, int label) {}

    private final List<Sample> train;
    private final List<Sample> test;

    private IrisData(List<Sample> train, List<Sample> test) {
        this.train = List.copyOf(train);
        this.test = List.copyOf(test);
    }

    public static IrisData load() {
        List<Sample> train = new ArrayList<>();
        List<Sample> test = new ArrayList<>();
        int[] seen = new int[CLASSES.size()];
        try (InputStream in = IrisData.class.getResourceAsStream("iris.csv")) {
            if (in == null) throw new IllegalStateException("iris.csv is missing from the class path");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String header = r.readLine();
            if (!header.equals(String.join(",", FEATURES) + ",species")) throw new IllegalStateException("unexpected iris.csv header: " + header);
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                float[] x = new float[4];
                for (int i = 0; i < 4; i++) x[i] = Float.parseFloat(f[i]);
                int label = CLASSES.indexOf(f[4]);
                if (label < 0) throw new IllegalStateException("unknown species " + f[4]);
                Sample s = new Sample(x, label);
                (++seen[label] % 5 == 0 ? test : train).add(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (train.size() + test.size() != 150) throw new IllegalStateException("iris.csv should hold 150 samples");
        return new IrisData(train, test);
    }

    public List<Sample> train() {
        return train;
    }

    public List<Sample> test() {
        return test;
    }
}
