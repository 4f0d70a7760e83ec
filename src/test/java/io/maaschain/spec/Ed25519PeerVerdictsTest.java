package io.maaschain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maaschain.codec.Hex;
import io.maaschain.testing.Prerequisite;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/spec.md ("Ed25519 verdicts of other libraries") says which crafted signatures OpenSSL and libsodium decide
 * differently from maaschain. This asks them for real (tools/ed25519_peer_verdicts.py: the openssl command and
 * libsodium through ctypes) on the spec's edge-case vectors and compares with the table in the spec.
 */
class Ed25519PeerVerdictsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Per vector of {@link SpecConformanceTest#SIGNATURE_VECTORS}, in order: OpenSSL's verdict, then libsodium's. */
    static final List<boolean[]> DOCUMENTED = List.of(
            new boolean[] {true, true},    // honest signature
            new boolean[] {false, false},  // S + L
            new boolean[] {false, false},  // mixed-order R: maaschain (cofactored) accepts, both refuse
            new boolean[] {false, false},  // mixed-order public key: maaschain accepts, both refuse
            new boolean[] {true, false},   // small-order key, R neutral, S = 0: OpenSSL accepts, maaschain and libsodium refuse
            new boolean[] {true, false},   // R the neutral element, canonical: maaschain and OpenSSL accept, libsodium refuses
            new boolean[] {false, false},  // non-canonical R (y = p + 1)
            new boolean[] {false, false}); // non-canonical R (x = 0, sign bit set)

    @Test
    void openSslAndLibsodiumDecideTheEdgeCasesAsTheSpecSays() throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("message", Hex.encode(SpecConformanceTest.VECTOR_MESSAGE));
        ArrayNode vectors = request.putArray("vectors");
        for (SpecConformanceTest.SignatureVector v : SpecConformanceTest.SIGNATURE_VECTORS) {
            vectors.addObject().put("publicKey", v.publicKey()).put("signature", v.signature());
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", "tools/ed25519_peer_verdicts.py").start();
        } catch (java.io.IOException e) {
            Prerequisite.require("python3 not installed: " + e.getMessage());
            return;
        }
        p.getOutputStream().write(JSON.writeValueAsBytes(request));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() == 2) {
            Prerequisite.require("OpenSSL or libsodium missing: " + err.strip());
            return;
        }
        assertThat(p.exitValue()).as(err).isZero();
        JsonNode verdicts = JSON.readTree(out);
        assertThat(verdicts).hasSize(DOCUMENTED.size());
        for (int i = 0; i < DOCUMENTED.size(); i++) {
            String note = SpecConformanceTest.SIGNATURE_VECTORS.get(i).note();
            assertThat(verdicts.get(i).path("openssl").asBoolean()).as("OpenSSL on: %s", note).isEqualTo(DOCUMENTED.get(i)[0]);
            assertThat(verdicts.get(i).path("libsodium").asBoolean()).as("libsodium on: %s", note).isEqualTo(DOCUMENTED.get(i)[1]);
        }
    }
}
