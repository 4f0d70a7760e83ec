package io.maaschain.testing;

import io.maaschain.codec.Hex;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The invariant every fuzz target checks (docs/fuzzing.md): outside input either gets one of the project's own typed
 * rejections, or decodes to a value that re-encodes to the same bytes. Any other exception escapes to Jazzer and is a
 * finding; so are hangs (Jazzer's per-input timeout) and unbounded memory (OutOfMemoryError, -rss_limit_mb).
 */
public final class FuzzInvariant {
    private FuzzInvariant() {}

    /** The decoded value, or null when the decoder refused the input with one of {@code rejections}. */
    public static <T> T decodeOrReject(Supplier<T> decode, List<Class<? extends Exception>> rejections) {
        try {
            return decode.get();
        } catch (RuntimeException e) {
            for (Class<? extends Exception> typed : rejections) {
                if (typed.isInstance(e)) return null;
            }
            throw e;
        }
    }

    /** Decodes {@code input}; a value must re-encode to exactly {@code input}. */
    public static <T> T roundTrip(byte[] input, Function<byte[], T> decode, Function<T, byte[]> encode,
                                  List<Class<? extends Exception>> rejections) {
        T value = decodeOrReject(() -> decode.apply(input), rejections);
        if (value != null) sameBytes(input, encode.apply(value), value);
        return value;
    }

    public static void sameBytes(byte[] expected, byte[] actual, Object value) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError("decoded " + value + " re-encodes to other bytes:\n  in:  " + Hex.encode(expected)
                    + "\n  out: " + Hex.encode(actual));
        }
    }
}
