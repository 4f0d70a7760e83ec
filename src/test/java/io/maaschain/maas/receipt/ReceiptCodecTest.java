package io.maaschain.maas.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Fixed cases of the receipt encoding that the properties do not aim at: each strictness rule, and the layout. */
class ReceiptCodecTest {
    static final KeyPair NODE = Fixtures.key(3);
    static final KeyPair CALLER = Fixtures.key(2);

    static Receipt success() {
        return new Receipt(1337, NODE.publicKey(), 7, 1_700_000_000_123L, "iris", "1.0.0", Fixtures.digest("iris"), CALLER.address(),
                Fixtures.digest("request"), 200, Fixtures.digest("response"), "", null, 7);
    }

    static Receipt denial() {
        return new Receipt(1337, NODE.publicKey(), 8, 1_700_000_000_456L, "iris", "1.0.0", Fixtures.digest("iris"), CALLER.address(),
                Fixtures.digest("request"), 403, null, "NO_GRANT", Sha256.hash("NO_GRANT: no".getBytes()), 0);
    }

    @Test
    void layoutIsAsDocumented() {
        byte[] e = ReceiptCodec.encode(success());
        String hex = Hex.encode(e);
        assertThat(hex).startsWith("01" + "0000000000000539" + NODE.publicKey().toHex() + Hex.encode(NODE.address().toBytes())
                + "0000000000000007" + "0000018bcfe5687b" + "00000004" + Hex.encode("iris".getBytes()) + "00000005" + Hex.encode("1.0.0".getBytes())
                + "01" + Fixtures.digest("iris").toHex() + "01" + Hex.encode(CALLER.address().toBytes()) + "01" + Fixtures.digest("request").toHex()
                + "00c8" + Fixtures.digest("response").toHex() + "0000000000000007");
        assertThat(e).hasSize(1 + 8 + 32 + 20 + 8 + 8 + 8 + 9 + 33 + 21 + 33 + 2 + 32 + 8);
        byte[] d = ReceiptCodec.encode(denial());
        assertThat(Hex.encode(d)).contains("0193" + "00000008" + Hex.encode("NO_GRANT".getBytes()));
    }

    @Test
    void strictDecoding() {
        byte[] e = ReceiptCodec.encode(success());
        byte[] v3 = e.clone();
        v3[0] = 3;
        assertThatThrownBy(() -> ReceiptCodec.decode(v3)).isInstanceOf(CodecException.class).hasMessageContaining("version");
        byte[] wrongAddress = e.clone();
        wrongAddress[1 + 8 + 32] ^= 1;
        assertThatThrownBy(() -> ReceiptCodec.decode(wrongAddress)).isInstanceOf(CodecException.class).hasMessageContaining("node key");
        byte[] badFlag = e.clone();
        int flag = 1 + 8 + 32 + 20 + 8 + 8 + 8 + 9;
        badFlag[flag] = 2;
        assertThatThrownBy(() -> ReceiptCodec.decode(badFlag)).isInstanceOf(CodecException.class).hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> ReceiptCodec.decode(new byte[ReceiptCodec.MAX_ENCODED_BYTES + 1])).isInstanceOf(CodecException.class).hasMessageContaining("limit");
    }

    @Test
    void inconsistentReceiptsAreRefused() {
        assertThatThrownBy(() -> new Receipt(1, NODE.publicKey(), 0, 0, "m", "1", Hash.ZERO, null, Hash.ZERO, 200, Hash.ZERO, "", null, 5))
                .hasMessageContaining("names its caller");
        assertThatThrownBy(() -> new Receipt(1, NODE.publicKey(), 0, 0, "m", "1", Hash.ZERO, CALLER.address(), Hash.ZERO, 403, null, "NO_GRANT", Hash.ZERO, 5))
                .hasMessageContaining("never charged");
        assertThatThrownBy(() -> new Receipt(1, NODE.publicKey(), 0, 0, "m", "", Hash.ZERO, null, Hash.ZERO, 404, null, "NOT_FOUND", Hash.ZERO, 0))
                .hasMessageContaining("together");
        assertThatThrownBy(() -> new Receipt(1, NODE.publicKey(), 0, 0, "m", "", null, null, null, 404, null, "not_found", Hash.ZERO, 0))
                .hasMessageContaining("error code");
        assertThatThrownBy(() -> new Receipt(1, NODE.publicKey(), 0, 0, "m", "1", Hash.ZERO, null, Hash.ZERO, 200, null, "", null, 0))
                .hasMessageContaining("response hash");
    }

    @Test
    void modelNamesFromRequestsAreMadeFit() {
        assertThat(Receipt.modelNameFrom("")).isEqualTo("?");
        assertThat(Receipt.modelNameFrom("\uD800x")).isEqualTo("\uFFFDx");
        String longName = "é".repeat(100);
        assertThat(Receipt.modelNameFrom(longName).getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(128);
    }
}
