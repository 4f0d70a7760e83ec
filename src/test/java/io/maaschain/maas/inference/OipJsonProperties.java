package io.maaschain.maas.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Protocol JSON: what the codec writes it reads back identically, for every datatype; and the response hash ignores JSON form. */
class OipJsonProperties {

    @Provide
    Arbitrary<Tensor> tensors() {
        Arbitrary<long[]> shapes = Arbitraries.longs().between(0, 4).array(long[].class).ofMaxSize(3);
        Arbitrary<DataType> types = Arbitraries.of(DataType.class);
        return Combinators.combine(shapes, types, Arbitraries.longs()).as((shape, type, seed) -> {
            int n = (int) Tensor.elementCount(shape);
            java.util.Random r = new java.util.Random(seed);
            Object data = switch (type) {
                case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = r.nextBoolean(); yield a; }
                case UINT8, INT8 -> { byte[] a = new byte[n]; r.nextBytes(a); yield a; }
                case UINT16, INT16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = (short) r.nextInt(); yield a; }
                case FP16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = Float.floatToFloat16(r.nextFloat() * 100 - 50); yield a; }
                case UINT32, INT32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = r.nextInt(); yield a; }
                case UINT64, INT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = r.nextLong(); yield a; }
                case FP32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = Float.intBitsToFloat(r.nextInt() & 0x7f7fffff) * (r.nextBoolean() ? 1 : -1); yield a; }
                case FP64 -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = r.nextGaussian() * 1e10; yield a; }
                case BYTES -> { byte[][] a = new byte[n][]; for (int i = 0; i < n; i++) a[i] = ("s" + r.nextInt() + "é").getBytes(StandardCharsets.UTF_8); yield a; }
            };
            return new Tensor("t_" + type.name().toLowerCase(), type, shape, data);
        });
    }

    @Property(tries = 300)
    void requestsRoundTrip(@ForAll("tensors") Tensor t) {
        InferenceRequest req = new InferenceRequest("id-1", Map.of("k", "v", "n", 3), List.of(t), List.of("out"));
        InferenceRequest back = OipJson.readRequest(OipJson.writeRequest(req), OipJson.Limits.DEFAULT);
        assertThat(back.inputs()).containsExactly(t);
        assertThat(back.id()).isEqualTo("id-1");
        assertThat(back.parameters()).containsEntry("k", "v").containsEntry("n", 3);
        assertThat(back.outputs()).containsExactly("out");
    }

    @Property(tries = 300)
    void responsesRoundTripWithTheSameHash(@ForAll("tensors") Tensor t) {
        InferenceResponse r = new InferenceResponse("m", "1", null, Map.of("maaschain.fee", 5), List.of(t));
        InferenceResponse back = OipJson.readResponse(OipJson.writeResponse(r), OipJson.Limits.DEFAULT);
        assertThat(back.outputs()).containsExactly(t);
        assertThat(TensorDigest.of(back.outputs())).isEqualTo(TensorDigest.of(r.outputs()));
    }

    @Property(tries = 300)
    void binaryRequestsRoundTripAndMixWithJsonInputs(@ForAll("tensors") Tensor a, @ForAll("tensors") Tensor b) {
        Tensor second = b.renamed(b.name() + "_2");
        InferenceRequest req = new InferenceRequest("id-2", Map.of("k", "v"), List.of(a, second), List.of("out", "other"),
                Map.of("out", true), true);
        for (java.util.function.Predicate<String> binary : List.<java.util.function.Predicate<String>>of(n -> true, n -> n.equals(a.name()),
                n -> n.equals(second.name()))) {
            OipJson.Encoded enc = OipJson.encodeRequest(req, binary);
            assertThat(enc.hasBinary()).isTrue();
            InferenceRequest back = OipJson.readRequest(enc.body(), enc.jsonLength(), OipJson.Limits.DEFAULT);
            assertThat(back.inputs()).containsExactly(a, second);
            assertThat(back.parameters()).containsEntry("k", "v").doesNotContainKey(OipJson.BINARY_DATA_OUTPUT);
            assertThat(back.outputs()).containsExactly("out", "other");
            assertThat(back.binaryOutput("out")).isTrue();
            assertThat(back.binaryOutput("other")).isTrue();
        }
    }

    @Property(tries = 300)
    void binaryResponsesCarryTheSameBytesTheResponseHashCovers(@ForAll("tensors") Tensor t) {
        InferenceResponse r = new InferenceResponse("m", "1", "x", Map.of("maaschain.fee", 5), List.of(t, t.renamed("json_copy")));
        OipJson.Encoded enc = OipJson.encodeResponse(r, n -> n.equals(t.name()), null);
        byte[] data = TensorBytes.encode(t);
        assertThat(enc.body().length).isEqualTo(enc.jsonLength() + data.length);
        assertThat(java.util.Arrays.copyOfRange(enc.body(), enc.jsonLength(), enc.body().length)).isEqualTo(data);
        com.fasterxml.jackson.databind.JsonNode json = OipJson.tree(java.util.Arrays.copyOf(enc.body(), enc.jsonLength()));
        assertThat(json.path("outputs").get(0).has("data")).isFalse();
        assertThat(json.path("outputs").get(0).path("parameters").path(OipJson.BINARY_DATA_SIZE).asLong()).isEqualTo(data.length);
        assertThat(json.path("outputs").get(1).has("data")).isTrue();
        // A client decodes the binary part back into the same tensor.
        Object back = TensorBytes.decode(enc.body(), enc.jsonLength(), data.length, t.datatype(), t.shape(), t.size(), "output");
        assertThat(new Tensor(t.name(), t.datatype(), t.shape(), back)).isEqualTo(t);
    }

    @Example
    void elementBudgetIsEnforcedBeforeDataIsRead() {
        String body = "{\"inputs\":[{\"name\":\"x\",\"shape\":[100000,100000],\"datatype\":\"FP32\",\"data\":[1]}]}";
        assertThatThrownBy(() -> OipJson.readRequest(body.getBytes(StandardCharsets.UTF_8), OipJson.Limits.DEFAULT))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.status()).isEqualTo(413));
    }
}
