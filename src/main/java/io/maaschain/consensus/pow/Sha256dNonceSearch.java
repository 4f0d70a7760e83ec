package io.maaschain.consensus.pow;

import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.PowSeal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The miner's inner loop: tries nonces on an encoded header until SHA-256d of it, read as a big-endian number,
 * is at most the target.
 *
 * <p>The nonce is the header's last 8 bytes, so the first two 64-byte blocks never change: their compression (the
 * midstate) is computed once per call, and each nonce costs exactly two compressions, the third block of the first
 * hash and the single block of the second. The loop allocates nothing.
 *
 * <p>Nonces are searched only in [0, 2^63), so that {@link #NOT_FOUND} (-1, a legal nonce bit pattern) is
 * unambiguous; 2^63 attempts outlast any block. Verification accepts any nonce.
 *
 * <p>Not thread-safe: one instance per mining thread.
 */
public final class Sha256dNonceSearch {
    /** Encoded header length with a proof-of-work seal (HeaderCodec). */
    public static final int HEADER_LENGTH = 150;
    /** Offset of the big-endian u64 nonce, the header's final 8 bytes. */
    public static final int NONCE_OFFSET = HEADER_LENGTH - 8;
    /** Offset of the seal kind byte, before the u32 bits. */
    static final int SEAL_KIND_OFFSET = NONCE_OFFSET - 5;
    public static final long NOT_FOUND = -1;
    /** Attempts between polls of the stop flag: about 0.1 ms on the fast path, so cancelling is prompt but cheap. */
    public static final int STOP_POLL_INTERVAL = 1024;

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final BigInteger MAX_256 = CompactTarget.TWO_256.subtract(BigInteger.ONE);

    public enum Implementation {
        /** The JDK's intrinsified SHA-256 compression (SHA-NI); needs java.base/sun.security.provider opened. */
        JDK_SHA2_INTRINSIC,
        /** Plain Java; always available. */
        PORTABLE_JAVA
    }

    private final NonceSearchEngine engine;

    private Sha256dNonceSearch(NonceSearchEngine engine) {
        this.engine = engine;
    }

    /** The fastest engine this JVM allows: the JDK intrinsic when reachable, plain Java otherwise. */
    public static Sha256dNonceSearch create() {
        return jdkIntrinsic().orElseGet(Sha256dNonceSearch::portable);
    }

    public static Sha256dNonceSearch portable() {
        return new Sha256dNonceSearch(new PortableEngine());
    }

    public static Optional<Sha256dNonceSearch> jdkIntrinsic() {
        return JdkSha2Engine.UNAVAILABLE_REASON == null
                ? Optional.of(new Sha256dNonceSearch(new JdkSha2Engine()))
                : Optional.empty();
    }

    /** Why {@link #jdkIntrinsic()} is empty, for a startup log line; empty when it is available. */
    public static Optional<String> jdkIntrinsicUnavailableReason() {
        return Optional.ofNullable(JdkSha2Engine.UNAVAILABLE_REASON);
    }

    public Implementation implementation() {
        return engine.implementation();
    }

    /**
     * Tries nonces {@code startNonce, startNonce + 1, ...}, {@code count} of them, polling {@code stop} every
     * {@link #STOP_POLL_INTERVAL} attempts.
     *
     * @param header the 150-byte encoding of a header with a proof-of-work seal; its nonce bytes are ignored and
     *               the array is not modified
     * @param target hashes at most this value win; values of 2^256 or more accept every hash
     * @return the first winning nonce, or {@link #NOT_FOUND} if none in the range or {@code stop} became true
     */
    public long search(byte[] header, BigInteger target, long startNonce, long count, BooleanSupplier stop) {
        checkHeader(header);
        if (startNonce < 0) throw new IllegalArgumentException("startNonce must be in [0, 2^63), got " + startNonce);
        if (count < 0) throw new IllegalArgumentException("negative count " + count);
        if (count > 0 && count - 1 > Long.MAX_VALUE - startNonce) {
            throw new IllegalArgumentException("nonce range passes 2^63 - 1");
        }
        return engine.search(header, targetWords(target), startNonce, count, stop);
    }

    /** SHA-256d of {@code header} with {@code nonce} written into its last 8 bytes, by this engine. */
    public Hash sha256d(byte[] header, long nonce) {
        checkHeader(header);
        int[] words = new int[8];
        engine.sha256d(header, nonce, words);
        byte[] out = new byte[Hash.LENGTH];
        for (int i = 0; i < 8; i++) INT_BE.set(out, 4 * i, words[i]);
        return Hash.wrap(out);
    }

    /** The target as eight big-endian words, so the loop compares hash state words directly. */
    static int[] targetWords(BigInteger target) {
        if (target.signum() < 0) throw new IllegalArgumentException("negative target");
        BigInteger t = target.min(MAX_256);
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) words[i] = t.shiftRight(32 * (7 - i)).intValue();
        return words;
    }

    /** Unsigned big-endian comparison of two 8-word numbers: hash <= target. */
    static boolean atMost(int[] hash, int[] target) {
        for (int i = 0; i < 8; i++) {
            int c = Integer.compareUnsigned(hash[i], target[i]);
            if (c != 0) return c < 0;
        }
        return true;
    }

    private static void checkHeader(byte[] header) {
        if (header.length != HEADER_LENGTH) {
            throw new IllegalArgumentException("a proof-of-work header encodes to " + HEADER_LENGTH + " bytes, got " + header.length);
        }
        if (header[SEAL_KIND_OFFSET] != PowSeal.KIND) {
            throw new IllegalArgumentException("header seal kind " + (header[SEAL_KIND_OFFSET] & 0xFF) + " is not proof of work");
        }
    }
}
