package io.maaschain.node;

import static io.maaschain.testing.FuzzInvariant.decodeOrReject;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.maaschain.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The node's TOML config (docs/operator-guide.md). There is no config writer, so the invariant is the first half:
 * a config either loads or is refused with a {@link CodecException} naming the key at fault (what {@code node start}
 * prints), never another exception.
 */
class NodeConfigFuzzTest {
    private static final Path FILE = Path.of("/etc/maaschain/node.toml");

    @FuzzTest
    void toml(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        decodeOrReject(() -> NodeConfigLoader.parse(text, FILE, Map.of()), List.of(CodecException.class));
    }
}
