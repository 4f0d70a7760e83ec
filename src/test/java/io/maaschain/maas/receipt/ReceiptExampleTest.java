package io.maaschain.maas.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.merkle.InclusionProof;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.maas.access.RequestSignature;
import io.maaschain.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/receipts.md. Fails when a value there no longer matches the code; run with
 * {@code -Dreceipts.printExample=true} to print the values.
 */
class ReceiptExampleTest {
    static final KeyPair NODE = Fixtures.key(3);
    static final KeyPair CALLER = Fixtures.key(2);

    static Receipt success() {
        return new Receipt(1337, NODE.publicKey(), 7, 1_700_000_000_123L, "iris", "1.0.0", Sha256.hash(utf8("iris")), CALLER.address(),
                Sha256.hash(utf8("request")), 200, Sha256.hash(utf8("response")), "", null, 7);
    }

    static Receipt denial() {
        String message = "NO_GRANT: " + CALLER.address() + " holds no grant for private model 'iris'";
        return new Receipt(1337, NODE.publicKey(), 8, 1_700_000_000_456L, "iris", "1.0.0", Sha256.hash(utf8("iris")), CALLER.address(),
                Sha256.hash(utf8("request")), 403, null, "NO_GRANT", Sha256.hash(utf8(message)), 0);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void print(String label, Object value) {
        if (Boolean.getBoolean("receipts.printExample")) System.out.println(label + " = " + value);
    }

    @Test
    void workedExample() {
        SignedReceipt a = SignedReceipt.sign(success(), NODE);
        SignedReceipt b = SignedReceipt.sign(denial(), NODE);
        print("node key", NODE.publicKey().toHex());
        print("node address", NODE.address());
        print("caller", CALLER.address());
        print("success encoding", Hex.encode(a.encoding()));
        print("success length", a.encoding().length);
        print("success id", a.id());
        print("success signature", a.signature());
        print("denial encoding", Hex.encode(b.encoding()));
        print("denial length", b.encoding().length);
        print("denial id", b.id());
        print("denial signature", b.signature());
        Hash root = MerkleTree.root(List.of(a.id(), b.id()));
        InclusionProof p = MerkleTree.prove(List.of(a.id(), b.id()), 1);
        print("leaf a", MerkleTree.leafHash(a.id()));
        print("leaf b", MerkleTree.leafHash(b.id()));
        print("root", root);
        print("path for seq 8", p.path());
        Map<String, String> h = RequestSignature.sign(CALLER, "POST", "/v2/models/iris/infer", utf8("{\"inputs\":[]}"), "0123456789abcdef", 1_700_000_000_000L);
        print("request signed message", Hex.encode(RequestSignature.message("POST", "/v2/models/iris/infer", Sha256.hash(utf8("{\"inputs\":[]}")),
                "0123456789abcdef", 1_700_000_000_000L)));
        print("request headers", h);

        assertThat(a.encoding()).hasSize(223);
        assertThat(b.encoding()).hasSize(235);
        assertThat(a.id().toHex()).isEqualTo(EXPECTED_SUCCESS_ID);
        assertThat(b.id().toHex()).isEqualTo(EXPECTED_DENIAL_ID);
        assertThat(a.signature().toHex()).isEqualTo(EXPECTED_SUCCESS_SIGNATURE);
        assertThat(root.toHex()).isEqualTo(EXPECTED_ROOT);
        assertThat(h.get(RequestSignature.SIGNATURE_HEADER)).isEqualTo(EXPECTED_REQUEST_SIGNATURE);
    }

    static final String EXPECTED_SUCCESS_ID = "df9690bccb481b77adecba9bc4bcd77cddbf5f6112f7dd632d16a033b02f6f41";
    static final String EXPECTED_DENIAL_ID = "20a7eae5535e2ab8ef90dc5bf6d9e8ad06c094921598f5b0308ae4a548f041d6";
    static final String EXPECTED_SUCCESS_SIGNATURE = "bed3d8712d60b04e4b45ecea933d1f1151d16d73823ac9dd6bb1770e250386a4ea5fef23a4a0a8595d3d130d48bdcd30bea10ffe6ea29024a711939916b99f0f";
    static final String EXPECTED_ROOT = "ffe4d2f1a0b5f24e75241cc228781ee249946cf4c7d529c24a7e39f56542c50d";
    static final String EXPECTED_REQUEST_SIGNATURE = "67f9009ecbac717dab017c8d8d6ad3a50ce13d4f01a43ee5d59594bbb49094aedad9b14851122ba66ad68666569486f5840318e16845e4c6ed2af2113ecc240e";
}
