package io.maaschain.maas.receipt;

import static io.maaschain.testing.FuzzInvariant.decodeOrReject;
import static io.maaschain.testing.FuzzInvariant.roundTrip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maaschain.codec.CodecException;
import java.util.List;

/** Receipts (the signed encoding) and receipt evidence (the JSON that {@code receipt verify} reads). */
class ReceiptFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest
    void receipt(byte[] input) {
        roundTrip(input, ReceiptCodec::decode, ReceiptCodec::encode, List.of(CodecException.class));
    }

    /** Evidence read from JSON writes back as JSON that reads as the same evidence, written the same way. */
    @FuzzTest
    void evidence(byte[] input) throws java.io.IOException {
        JsonNode tree;
        try {
            tree = JSON.readTree(input);
        } catch (JacksonException notJson) {
            return; // the JSON layer's own typed refusal, reported by the caller as "not valid JSON"
        }
        ReceiptEvidence e = decodeOrReject(() -> ReceiptEvidence.fromJson(tree), List.of(CodecException.class));
        if (e == null) return;
        String written = JSON.writeValueAsString(e.toJson());
        String again = JSON.writeValueAsString(ReceiptEvidence.fromJson(JSON.readTree(written)).toJson());
        if (!written.equals(again)) throw new AssertionError("evidence does not survive its own JSON:\n  " + written + "\n  " + again);
    }
}
