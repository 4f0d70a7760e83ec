package io.maaschain.ledger.genesis;

import static io.maaschain.testing.FuzzInvariant.decodeOrReject;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.maaschain.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Genesis JSON. JSON has many spellings of one value, so the bytes are not compared; the parser's canonical JSON
 * is: parsing it again gives the same genesis and the same canonical text (whose hash names the chain).
 */
class GenesisFuzzTest {
    @FuzzTest
    void genesis(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Genesis g = decodeOrReject(() -> GenesisParser.parse(text), List.of(CodecException.class));
        if (g == null) return;
        Genesis again = GenesisParser.parse(g.canonicalJson());
        if (!again.equals(g)) {
            throw new AssertionError("genesis parsed from its canonical JSON differs:\n  " + g + "\n  " + again);
        }
    }
}
