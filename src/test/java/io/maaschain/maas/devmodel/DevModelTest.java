package io.maaschain.maas.devmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.maaschain.crypto.Sha256;
import io.maaschain.maas.inference.DataType;
import io.maaschain.maas.inference.InferenceRequest;
import io.maaschain.maas.inference.InferenceResponse;
import io.maaschain.maas.inference.OnnxBackend;
import io.maaschain.maas.inference.Tensor;
import io.maaschain.maas.inference.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project's own model: trained in Java, exported to ONNX by our encoder, run by ONNX Runtime on held-out data. */
class DevModelTest {

    @Test
    void trainsToHighAccuracyOnHeldOutSamples() {
        IrisData data = IrisData.load();
        assertThat(data.train()).hasSize(120);
        assertThat(data.test()).hasSize(30);
        SoftmaxRegression.Model m = DevModel.train(data);
        assertThat(SoftmaxRegression.accuracy(m, data.train())).isGreaterThan(0.95);
        assertThat(SoftmaxRegression.accuracy(m, data.test())).isGreaterThan(0.9);
    }

    @Test
    void exportIsDeterministic(@TempDir Path dir) throws Exception {
        byte[] a = DevModel.onnxBytes();
        byte[] b = DevModel.onnxBytes();
        assertThat(a).isEqualTo(b);
        Path file = dir.resolve("iris.onnx");
        assertThat(DevModel.write(file)).isEqualTo(Sha256.hash(a));
        assertThat(Files.readAllBytes(file)).isEqualTo(a);
        assertThat(a.length).isLessThan(2048);
    }

    @Test
    void onnxRuntimeLoadsTheExportAndPredictsHeldOutSamples() {
        IrisData data = IrisData.load();
        SoftmaxRegression.Model javaModel = DevModel.train(data);
        try (OnnxBackend backend = OnnxBackend.load(DevModel.onnxBytes())) {
            assertThat(backend.metadata().platform()).isEqualTo("onnxruntime_onnx");
            assertThat(backend.metadata().inputs()).containsExactly(new TensorSpec("input", DataType.FP32, List.of(-1L, 4L)));
            assertThat(backend.metadata().outputs()).containsExactlyInAnyOrder(
                    new TensorSpec("label", DataType.INT64, List.of(-1L)),
                    new TensorSpec("probabilities", DataType.FP32, List.of(-1L, 3L)));

            List<IrisData.Sample> test = data.test();
            float[] batch = new float[test.size() * 4];
            for (int i = 0; i < test.size(); i++) System.arraycopy(test.get(i).features(), 0, batch, i * 4, 4);
            InferenceResponse r = backend.infer(new InferenceRequest(List.of(Tensor.fp32("input", new long[] {test.size(), 4}, batch))));

            long[] labels = r.output("label").longs();
            float[] probs = r.output("probabilities").floats();
            assertThat(r.output("probabilities").shape()).containsExactly(test.size(), 3);
            int right = 0;
            for (int i = 0; i < test.size(); i++) {
                if (labels[i] == test.get(i).label()) right++;
                assertThat(labels[i]).isEqualTo(javaModel.predict(test.get(i).features()));
                assertThat(probs[3 * i] + probs[3 * i + 1] + probs[3 * i + 2]).isCloseTo(1f, within(1e-5f));
                int argmax = 0;
                for (int k = 1; k < 3; k++) if (probs[3 * i + k] > probs[3 * i + argmax]) argmax = k;
                assertThat((long) argmax).isEqualTo(labels[i]);
            }
            double accuracy = (double) right / test.size();
            assertThat(accuracy).as("held-out accuracy").isGreaterThan(0.9);
        }
    }
}
