package io.maaschain.maas.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The binary tensor data extension on requests: the Triton example, and every way a body can be malformed. */
class OipBinaryDataTest {
    static final OipJson.Limits LIMITS = OipJson.Limits.DEFAULT;

    /** JSON header followed by binary parts; returns the body and (via the header length) where the JSON ends. */
    static byte[] body(String json, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static int len(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    static byte[] le(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    static byte[] fp32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static AbstractThrowableAssert<?, ? extends Throwable> refused(byte[] body, long jsonLength, String fragment) {
        return assertThatThrownBy(() -> OipJson.readRequest(body, jsonLength, LIMITS))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining(fragment);
    }

    /** The example of the extension's specification: a UINT32 [2,2] and a BOOL [3], output asked for in binary. */
    @Test
    void theSpecificationsExampleIsRead() {
        String json = "{\"model_name\":\"mymodel\",\"inputs\":[{\"name\":\"input0\",\"shape\":[2,2],\"datatype\":\"UINT32\",\"parameters\":"
                + "{\"binary_data_size\":16}},{\"name\":\"input1\",\"shape\":[3],\"datatype\":\"BOOL\",\"parameters\":{\"binary_data_size\":3}}],"
                + "\"outputs\":[{\"name\":\"output0\",\"parameters\":{\"binary_data\":true}}]}";
        byte[] b = body(json, le(1, 2, 3, -1), new byte[] {1, 0, 1});
        InferenceRequest r = OipJson.readRequest(b, len(json), LIMITS);
        assertThat(r.inputs().get(0)).isEqualTo(new Tensor("input0", DataType.UINT32, new long[] {2, 2}, new int[] {1, 2, 3, -1}));
        assertThat(r.inputs().get(1)).isEqualTo(new Tensor("input1", DataType.BOOL, new long[] {3}, new boolean[] {true, false, true}));
        assertThat(r.outputs()).containsExactly("output0");
        assertThat(r.binaryOutput("output0")).isTrue();
        assertThat(r.binaryOutput("another")).isFalse();
    }

    @Test
    void jsonAndBinaryInputsMixInOneRequest() {
        String json = "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":8}},"
                + "{\"name\":\"b\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[7,-8]},"
                + "{\"name\":\"c\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":6}}],"
                + "\"parameters\":{\"binary_data_output\":true,\"keep\":1}}";
        byte[] bytesElement = {2, 0, 0, 0, 'h', 'i'};
        InferenceRequest r = OipJson.readRequest(body(json, fp32(1.5f, Float.NaN), bytesElement), len(json), LIMITS);
        assertThat(r.inputs().get(0).floats()).containsExactly(1.5f, Float.NaN);
        assertThat(r.inputs().get(1).longs()).containsExactly(7L, -8L);
        assertThat(((byte[][]) r.inputs().get(2).data())[0]).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(r.parameters()).containsOnlyKeys("keep");
        assertThat(r.binaryOutput("anything")).isTrue();
    }

    @Test
    void aHeaderLengthThatIsNotTheJsonObjectsExactLengthIsRefused() {
        String json = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":4}}]}";
        byte[] b = body(json, fp32(2f));
        assertThat(OipJson.readRequest(b, len(json), LIMITS).inputs().getFirst().floats()).containsExactly(2f);
        refused(b, 0, "between 1 and the body length");
        refused(b, b.length + 1L, "between 1 and the body length");
        refused(b, len(json) - 1, "not valid JSON");
        refused(b, len(json) + 1, "ends at byte " + len(json));
        // Whitespace after the object is not part of it either: the header must end the JSON exactly.
        byte[] spaced = body(json + " ", fp32(2f));
        refused(spaced, len(json) + 1, "exact length");
        // Without the header the whole body must be JSON, and binary sizes are refused.
        refused(b, -1, "not valid JSON");
        refused(body(json), -1, "need the Inference-Header-Content-Length header");
    }

    @Test
    void sizesThatDoNotMatchTheShapeAndDatatypeAreRefused() {
        String json = "{\"inputs\":[{\"name\":\"a\",\"shape\":[2,2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":12}}]}";
        refused(body(json, fp32(1, 2, 3)), len(json), "4 FP32 elements of shape [2, 2] take 16 bytes");
        String ok = json.replace("12", "16");
        refused(body(ok, fp32(1, 2, 3)), len(ok), "add up to 16");
        refused(body(ok, fp32(1, 2, 3, 4, 5)), len(ok), "add up to 16");
        refused(body(ok.replace("16", "-16"), fp32(1, 2, 3, 4)), len(ok) + 1, "non-negative integer");
        refused(body(ok.replace("16", "\"16\""), fp32(1, 2, 3, 4)), len(ok) + 2, "non-negative integer");
        String both = ok.replace("\"parameters\"", "\"data\":[1,2,3,4],\"parameters\"");
        refused(body(both, fp32(1, 2, 3, 4)), len(both), "both 'data' and parameters.binary_data_size");
        String bool = "{\"inputs\":[{\"name\":\"m\",\"shape\":[2],\"datatype\":\"BOOL\",\"parameters\":{\"binary_data_size\":2}}]}";
        refused(body(bool, new byte[] {1, 2}), len(bool), "byte 1 is 2, not 0 or 1");
        String bytes = "{\"inputs\":[{\"name\":\"s\",\"shape\":[2],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":9}}]}";
        refused(body(bytes, new byte[] {1, 0, 0, 0, 'a', 9, 0, 0, 0}), len(bytes), "runs past");
        String three = bytes.replace("[2]", "[3]").replace(":9", ":12");
        refused(body(three, new byte[] {2, 0, 0, 0, 'a', 'b', 2, 0, 0, 0, 'c', 'd'}), len(three), "ends inside the length of element 2");
        String huge = "{\"inputs\":[{\"name\":\"s\",\"shape\":[1000000],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":8}}]}";
        refused(body(huge, new byte[8]), len(huge), "too small for 1000000 BYTES elements");
        // The element budget holds for binary data too, before anything is read.
        String over = "{\"inputs\":[{\"name\":\"x\",\"shape\":[100000,100000],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":4}}]}";
        assertThatThrownBy(() -> OipJson.readRequest(body(over, fp32(1)), len(over), LIMITS))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void binaryFlagsMustBeBooleans() {
        String json = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}],\"outputs\":[{\"name\":\"o\",\"parameters\":{\"binary_data\":1}}]}";
        refused(body(json), -1, "binary_data must be true or false");
        String req = "{\"parameters\":{\"binary_data_output\":\"yes\"},\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}";
        refused(body(req), -1, "binary_data_output must be true or false");
    }

    /** The streaming parser keeps the JSON rules: any field order, duplicate keys refused, exact FP32 rounding. */
    @Test
    void streamingJsonParsingKeepsTheRules() {
        String late = "{\"inputs\":[{\"data\":[[1,2],[3,4]],\"shape\":[2,2],\"name\":\"a\",\"datatype\":\"INT8\"}],\"id\":\"x\"}";
        InferenceRequest r = OipJson.readRequest(late.getBytes(StandardCharsets.UTF_8), LIMITS);
        assertThat(r.inputs().getFirst()).isEqualTo(new Tensor("a", DataType.INT8, new long[] {2, 2}, new byte[] {1, 2, 3, 4}));
        assertThat(r.id()).isEqualTo("x");
        refused("{\"inputs\":[{\"name\":\"a\",\"name\":\"b\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}".getBytes(StandardCharsets.UTF_8), -1,
                "Duplicate field");
        // 16777217 lies exactly halfway between two floats: parsed directly it rounds to even, with no double rounding.
        String f = "{\"inputs\":[{\"name\":\"f\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[16777217, 1.00000017881393432617187499]}]}";
        float[] v = OipJson.readRequest(f.getBytes(StandardCharsets.UTF_8), LIMITS).inputs().getFirst().floats();
        assertThat(v[0]).isEqualTo(Float.parseFloat("16777217"));
        assertThat(v[1]).isEqualTo(Float.parseFloat("1.00000017881393432617187499"));
        refused("{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,[2]]}]}".getBytes(StandardCharsets.UTF_8), -1,
                "mixes arrays and values");
        refused("{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1e39]}]}".getBytes(StandardCharsets.UTF_8), -1,
                "out of FP32 range");
        refused("{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"UINT64\",\"data\":[18446744073709551616]}]}".getBytes(StandardCharsets.UTF_8),
                -1, "out of UINT64 range");
        InferenceRequest u = OipJson.readRequest("{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"UINT64\",\"data\":[18446744073709551615]}]}"
                .getBytes(StandardCharsets.UTF_8), LIMITS);
        assertThat(u.inputs().getFirst().longs()).containsExactly(-1L);
        // A huge shape with little data fails on the count without allocating the shape's array.
        refused("{\"inputs\":[{\"name\":\"a\",\"shape\":[16000000],\"datatype\":\"FP64\",\"data\":[1]}]}".getBytes(StandardCharsets.UTF_8), -1,
                "(16000000 elements) but 1 data values");
    }

    @Test
    void aClientEncodedRequestIsWhatTheServerReads() {
        Tensor x = Tensor.fp32("x", new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
        InferenceRequest req = new InferenceRequest("r", Map.of(), List.of(x), List.of("y"), Map.of("y", true), false);
        OipJson.Encoded enc = OipJson.encodeRequest(req, n -> true);
        assertThat(enc.body().length - enc.jsonLength()).isEqualTo(24);
        assertThat(OipJson.readRequest(enc.body(), enc.jsonLength(), LIMITS)).isEqualTo(req);
        // What the remote backend forwards is plain JSON, without this node's binary flags.
        InferenceRequest forwarded = OipJson.readRequest(OipJson.writeRequest(req), LIMITS);
        assertThat(forwarded.inputs()).containsExactly(x);
        assertThat(forwarded.binaryOutput("y")).isFalse();
    }
}
