package io.maaschain.bench;

import io.maaschain.consensus.pow.Sha256dNonceSearch;
import io.maaschain.crypto.Sha256;
import java.math.BigInteger;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nonce attempts per second on one thread (each attempt is two SHA-256 compressions on the fast paths).
 * The intrinsic path needs {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} on the forked JVM,
 * which {@link Fork#jvmArgsAppend} supplies; without it {@code create} falls back to portable and the
 * {@code JDK_SHA2_INTRINSIC} case fails fast at setup.
 *
 * <p>{@code MD_CLONE} and {@code MD_FULL} are the MessageDigest baselines the fast path is measured against:
 * cloning a digest after the 128-byte prefix, and hashing all 150 bytes afresh (four compressions per attempt).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/sun.security.provider=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Thread)
public class PowHashBench {
    private static final int BATCH = 1 << 14;

    @Param({"JDK_SHA2_INTRINSIC", "PORTABLE_JAVA", "MD_CLONE", "MD_FULL"})
    public String path;

    private Sha256dNonceSearch search;
    private byte[] header;
    private MessageDigest prefix;
    private MessageDigest second;
    private final byte[] buf = new byte[32];
    private long nextNonce;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        header = new byte[Sha256dNonceSearch.HEADER_LENGTH];
        new Random(42).nextBytes(header);
        header[Sha256dNonceSearch.NONCE_OFFSET - 5] = 1;
        switch (path) {
            case "JDK_SHA2_INTRINSIC" -> search = Sha256dNonceSearch.jdkIntrinsic().orElseThrow(() ->
                    new IllegalStateException(Sha256dNonceSearch.jdkIntrinsicUnavailableReason().orElse("")));
            case "PORTABLE_JAVA" -> search = Sha256dNonceSearch.portable();
            default -> {
                prefix = Sha256.newDigest();
                prefix.update(header, 0, 128);
                second = Sha256.newDigest();
            }
        }
    }

    /** A zero target is never met, so every call does the full batch. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long attempts() throws Exception {
        long start = nextNonce;
        nextNonce += BATCH;
        return switch (path) {
            case "MD_CLONE" -> mdClone(start);
            case "MD_FULL" -> mdFull(start);
            default -> search.search(header, BigInteger.ZERO, start, BATCH, () -> false);
        };
    }

    private long mdClone(long start) throws CloneNotSupportedException, DigestException {
        long acc = 0;
        for (long n = start; n < start + BATCH; n++) {
            setNonce(n);
            MessageDigest md = (MessageDigest) prefix.clone();
            md.update(header, 128, Sha256dNonceSearch.HEADER_LENGTH - 128);
            md.digest(buf, 0, 32);
            second.update(buf, 0, 32);
            second.digest(buf, 0, 32);
            acc += buf[0];
        }
        return acc;
    }

    private long mdFull(long start) throws DigestException {
        long acc = 0;
        for (long n = start; n < start + BATCH; n++) {
            setNonce(n);
            second.update(header, 0, header.length);
            second.digest(buf, 0, 32);
            second.update(buf, 0, 32);
            second.digest(buf, 0, 32);
            acc += buf[0];
        }
        return acc;
    }

    private void setNonce(long n) {
        for (int i = 0; i < 8; i++) header[Sha256dNonceSearch.NONCE_OFFSET + i] = (byte) (n >>> (56 - 8 * i));
    }
}
