package io.maaschain.codec;

import static io.maaschain.testing.FuzzInvariant.sameBytes;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * The canonical codec under random and mutated bytes (docs/fuzzing.md): the first bytes choose a sequence of reads,
 * the rest is read with them. Each read either throws {@link CodecException} or yields a value that {@link ByteWriter}
 * writes back as exactly the bytes it consumed.
 */
class ByteReaderFuzzTest {
    private static final int MAX_OPS = 31;

    @FuzzTest
    void reader(byte[] input) {
        if (input.length == 0) return;
        int ops = Math.min(input[0] & 0x1F, MAX_OPS);
        if (input.length < 1 + ops) return;
        byte[] data = Arrays.copyOfRange(input, 1 + ops, input.length);
        ByteReader r = new ByteReader(data);
        ByteWriter w = new ByteWriter();
        try {
            for (int i = 0; i < ops; i++) {
                int op = input[1 + i] & 0xFF;
                int limit = op >>> 3; // small caps, so length limits are hit as often as they are met
                switch (op & 7) {
                    case 0 -> w.u8(r.u8("u8"));
                    case 1 -> w.u16(r.u16("u16"));
                    case 2 -> w.u32(r.u32("u32"));
                    case 3 -> w.u64(r.u63("u63"));
                    case 4 -> w.raw(r.raw(limit, "raw"));
                    case 5 -> w.bytes(r.bytes(limit, "bytes"));
                    case 6 -> w.string(r.string(limit, "string"));
                    default -> w.bool(r.bool("bool"));
                }
            }
            if ((input[0] & 0x20) != 0) r.expectEnd();
        } catch (CodecException rejected) {
            return;
        }
        sameBytes(Arrays.copyOf(data, r.position()), w.toByteArray(), "a sequence of " + ops + " reads");
    }
}
