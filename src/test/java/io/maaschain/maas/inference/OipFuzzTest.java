package io.maaschain.maas.inference;

import static io.maaschain.testing.FuzzInvariant.decodeOrReject;
import static io.maaschain.testing.FuzzInvariant.sameBytes;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Open Inference Protocol requests: all-JSON bodies and bodies with the binary tensor data extension. JSON has many
 * spellings of one request, so the check is that a request read once writes bytes that read back as a request
 * writing exactly the same bytes; refusals must be {@link InferenceException}s (400/413 to the client).
 */
class OipFuzzTest {
    private static final List<Class<? extends Exception>> REFUSED = List.of(InferenceException.class);

    @FuzzTest
    void jsonRequest(byte[] input) {
        InferenceRequest r = decodeOrReject(() -> OipJson.readRequest(input, OipJson.Limits.DEFAULT), REFUSED);
        if (r == null) return;
        byte[] written = OipJson.writeRequest(r);
        sameBytes(written, OipJson.writeRequest(OipJson.readRequest(written, OipJson.Limits.DEFAULT)), r);
    }

    /** The first 4 input bytes are the Inference-Header-Content-Length header (0xFFFFFFFF: no header), the rest the body. */
    @FuzzTest
    void binaryRequest(byte[] input) {
        if (input.length < 4) return;
        long header = ((input[0] & 0xFFL) << 24) | ((input[1] & 0xFFL) << 16) | ((input[2] & 0xFFL) << 8) | (input[3] & 0xFFL);
        long jsonLength = header == 0xFFFF_FFFFL ? -1 : header;
        byte[] body = Arrays.copyOfRange(input, 4, input.length);
        InferenceRequest r = decodeOrReject(() -> OipJson.readRequest(body, jsonLength, OipJson.Limits.DEFAULT), REFUSED);
        if (r == null) return;
        OipJson.Encoded written = OipJson.encodeRequest(r, name -> true);
        InferenceRequest again = OipJson.readRequest(written.body(), written.jsonLength(), OipJson.Limits.DEFAULT);
        sameBytes(written.body(), OipJson.encodeRequest(again, name -> true).body(), r);
    }
}
