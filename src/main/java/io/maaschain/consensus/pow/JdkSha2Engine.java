package io.maaschain.consensus.pow;

import static io.maaschain.consensus.pow.Sha256dNonceSearch.NOT_FOUND;
import static io.maaschain.consensus.pow.Sha256dNonceSearch.STOP_POLL_INTERVAL;

import io.maaschain.crypto.Sha256;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * SHA-256d through the JDK's own compression function, {@code sun.security.provider.SHA2#implCompress}, whose
 * {@code implCompress0} HotSpot replaces with a stub using the CPU's SHA extensions (SHA-NI on x86, SHA2 on ARMv8).
 * {@link java.security.MessageDigest} reaches the same stub but only through buffering, padding and per-digest
 * bookkeeping; calling it directly and setting its {@code state} words ourselves leaves exactly two compressions
 * per nonce and no allocation.
 *
 * <p>Why two lanes, in this order: the stub loads its block and state with 16-byte loads, but Java writes them with
 * 4- and 8-byte stores, which the CPU cannot forward to a wider load. Such a load waits until the stores have
 * retired, and stores retire in program order, so every compression waited for all earlier work and the core ran
 * one compression at a time (about 75% of OpenSSL's single-stream rate). Two nonces are in flight on two digest
 * instances, and each lane's stores are placed right after the compression they depend on, before the other lane's
 * compression; then a lane only waits for its own previous step and the other lane's compression overlaps it. That
 * measured about 110% of OpenSSL's single-stream rate; three or four lanes measured no better.
 *
 * <p>The JDK does not export that package, so this needs {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED}
 * (or {@code Add-Opens: java.base/sun.security.provider} in an executable jar's manifest). Without it, or if a
 * future JDK changes these internals, {@link #UNAVAILABLE_REASON} explains why and callers fall back to
 * {@link PortableEngine}.
 */
final class JdkSha2Engine implements NonceSearchEngine {
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int TAIL = 128;
    private static final int NONCE_IN_TAIL = Sha256dNonceSearch.NONCE_OFFSET - TAIL;

    /** () -> SHA2 instance, typed as Object since the class is not accessible at compile time. */
    private static final MethodHandle NEW_DIGEST;
    /** (SHA2, byte[] block, int offset) -> void: one compression into the instance's state. */
    private static final MethodHandle COMPRESS;
    /** (SHA2) -> int[]: the instance's eight state words, which compression reads and updates in place. */
    private static final MethodHandle STATE;
    /** Null when this engine works; otherwise why not. */
    static final String UNAVAILABLE_REASON;

    static {
        MethodHandle newDigest = null, compress = null, state = null;
        String reason;
        try {
            Class<?> sha2 = Class.forName("sun.security.provider.SHA2");
            Class<?> sha256 = Class.forName("sun.security.provider.SHA2$SHA256");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(sha2, MethodHandles.lookup());
            newDigest = MethodHandles.privateLookupIn(sha256, MethodHandles.lookup())
                    .findConstructor(sha256, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            // implCompress rather than implCompress0: it keeps the JDK's bounds check, which costs nothing here.
            compress = lookup.findVirtual(sha2, "implCompress", MethodType.methodType(void.class, byte[].class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class));
            state = lookup.findGetter(sha2, "state", int[].class)
                    .asType(MethodType.methodType(int[].class, Object.class));
            reason = null;
        } catch (IllegalAccessException e) {
            reason = "java.base/sun.security.provider is not open to this code (run with --add-opens "
                    + "java.base/sun.security.provider=ALL-UNNAMED): " + e.getMessage();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            reason = "this JDK's SHA2 internals differ from what the fast path expects: " + e;
        }
        NEW_DIGEST = newDigest;
        COMPRESS = compress;
        STATE = state;
        UNAVAILABLE_REASON = reason == null ? selfTest() : reason;
    }

    private final Lane a = new Lane();
    private final Lane b = new Lane();
    private final int[] midstate = new int[8];

    /** One nonce in flight: a SHA2 instance, its state array, and the two blocks it compresses. */
    private static final class Lane {
        final Object digest;
        final int[] state;
        /** The first hash's last block: header bytes 128..149 (the nonce at 14..21), padding, length. */
        final byte[] tail = new byte[64];
        /** The second hash's only block: the first digest, padding, length. */
        final byte[] second = new byte[64];

        Lane() {
            if (NEW_DIGEST == null) throw new IllegalStateException("JDK SHA-256 intrinsic path unavailable");
            try {
                digest = NEW_DIGEST.invokeExact();
                state = (int[]) STATE.invokeExact(digest);
            } catch (Throwable t) {
                throw new IllegalStateException("cannot instantiate the JDK SHA-256 implementation", t);
            }
            tail[22] = (byte) 0x80;
            LONG_BE.set(tail, 56, (long) Sha256dNonceSearch.HEADER_LENGTH * 8);
            second[32] = (byte) 0x80;
            LONG_BE.set(second, 56, 256L);
        }
    }

    /** Guards against a JDK whose internals still link but mean something else. */
    private static String selfTest() {
        try {
            byte[] header = new byte[Sha256dNonceSearch.HEADER_LENGTH];
            for (int i = 0; i < header.length; i++) header[i] = (byte) (i * 37 + 11);
            long nonce = 0x0123_4567_89AB_CDEFL;
            int[] words = new int[8];
            new JdkSha2Engine().sha256d(header, nonce, words);
            LONG_BE.set(header, Sha256dNonceSearch.NONCE_OFFSET, nonce);
            byte[] expected = Sha256.doubleHash(header).toBytes();
            byte[] actual = new byte[32];
            for (int i = 0; i < 8; i++) INT_BE.set(actual, 4 * i, words[i]);
            return Arrays.equals(expected, actual) ? null : "self-test against MessageDigest failed";
        } catch (RuntimeException e) {
            return "self-test failed: " + e;
        }
    }

    @Override
    public Sha256dNonceSearch.Implementation implementation() {
        return Sha256dNonceSearch.Implementation.JDK_SHA2_INTRINSIC;
    }

    @Override
    public long search(byte[] header, int[] target, long startNonce, long count, BooleanSupplier stop) {
        // Locals, so the JIT need not reload fields around each stub call.
        Object dA = a.digest, dB = b.digest;
        int[] stA = a.state, stB = b.state;
        byte[] tlA = a.tail, tlB = b.tail;
        byte[] scA = a.second, scB = b.second;
        int[] mid = midstate;
        int t0 = target[0];
        long nonce = startNonce;
        long remaining = count;
        try {
            prepare(header);
            while (remaining > 0) {
                if (stop.getAsBoolean()) return NOT_FOUND;
                int batch = (int) Math.min(remaining, STOP_POLL_INTERVAL);
                remaining -= batch;
                startNonce(tlA, stA, mid, nonce);
                startNonce(tlB, stB, mid, nonce + 1);
                for (int i = 0; i + 1 < batch; i += 2, nonce += 2) {
                    COMPRESS.invokeExact(dA, tlA, 0);
                    toSecondBlock(stA, scA);
                    COMPRESS.invokeExact(dB, tlB, 0);
                    toSecondBlock(stB, scB);
                    COMPRESS.invokeExact(dA, scA, 0);
                    if (Integer.compareUnsigned(stA[0], t0) <= 0 && Sha256dNonceSearch.atMost(stA, target)) return nonce;
                    startNonce(tlA, stA, mid, nonce + 2);
                    COMPRESS.invokeExact(dB, scB, 0);
                    if (Integer.compareUnsigned(stB[0], t0) <= 0 && Sha256dNonceSearch.atMost(stB, target)) return nonce + 1;
                    startNonce(tlB, stB, mid, nonce + 3);
                }
                if ((batch & 1) != 0) {
                    hashOne(dA, stA, tlA, scA, mid, nonce);
                    if (Integer.compareUnsigned(stA[0], t0) <= 0 && Sha256dNonceSearch.atMost(stA, target)) return nonce;
                    nonce++;
                }
            }
            return NOT_FOUND;
        } catch (Throwable t) {
            throw new IllegalStateException("JDK SHA-256 compression failed", t);
        }
    }

    @Override
    public void sha256d(byte[] header, long nonce, int[] out) {
        try {
            prepare(header);
            hashOne(a.digest, a.state, a.tail, a.second, midstate, nonce);
        } catch (Throwable t) {
            throw new IllegalStateException("JDK SHA-256 compression failed", t);
        }
        System.arraycopy(a.state, 0, out, 0, 8);
    }

    /** Compresses the two nonce-free blocks once into the midstate and copies the header's tail into each lane. */
    private void prepare(byte[] header) throws Throwable {
        System.arraycopy(Sha256Compression.IV, 0, a.state, 0, 8);
        COMPRESS.invokeExact(a.digest, header, 0);
        COMPRESS.invokeExact(a.digest, header, 64);
        System.arraycopy(a.state, 0, midstate, 0, 8);
        System.arraycopy(header, TAIL, a.tail, 0, Sha256dNonceSearch.HEADER_LENGTH - TAIL);
        System.arraycopy(header, TAIL, b.tail, 0, Sha256dNonceSearch.HEADER_LENGTH - TAIL);
    }

    private static void startNonce(byte[] tail, int[] st, int[] mid, long nonce) {
        LONG_BE.set(tail, NONCE_IN_TAIL, nonce);
        System.arraycopy(mid, 0, st, 0, 8);
    }

    private static void toSecondBlock(int[] st, byte[] second) {
        for (int i = 0; i < 8; i++) INT_BE.set(second, 4 * i, st[i]);
        System.arraycopy(Sha256Compression.IV, 0, st, 0, 8);
    }

    private static void hashOne(Object d, int[] st, byte[] tail, byte[] second, int[] mid, long nonce) throws Throwable {
        startNonce(tail, st, mid, nonce);
        COMPRESS.invokeExact(d, tail, 0);
        toSecondBlock(st, second);
        COMPRESS.invokeExact(d, second, 0);
    }
}
