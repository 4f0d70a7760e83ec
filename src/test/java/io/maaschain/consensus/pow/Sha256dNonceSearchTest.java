package io.maaschain.consensus.pow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.PowSeal;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both engines against MessageDigest. The test JVM runs with java.base/sun.security.provider open (surefire
 * argLine), so the intrinsic engine must be available here; a child JVM without the flag checks the fallback.
 */
class Sha256dNonceSearchTest {
    /** Target meeting about one hash in 2^16 (big-endian: the first 16 bits of the hash must be zero). */
    private static final int EASY_BITS = 0x1f00ffff;

    static List<Sha256dNonceSearch> engines() {
        return List.of(intrinsic(), Sha256dNonceSearch.portable());
    }

    private static Sha256dNonceSearch intrinsic() {
        return Sha256dNonceSearch.jdkIntrinsic().orElseThrow(() -> new AssertionError(
                "intrinsic path unavailable: " + Sha256dNonceSearch.jdkIntrinsicUnavailableReason().orElse("?")));
    }

    private static byte[] withNonce(byte[] header, long nonce) {
        byte[] copy = header.clone();
        for (int i = 0; i < 8; i++) copy[Sha256dNonceSearch.NONCE_OFFSET + i] = (byte) (nonce >>> (56 - 8 * i));
        return copy;
    }

    private static BigInteger referenceHash(byte[] header, long nonce) {
        return new BigInteger(1, Sha256.doubleHash(withNonce(header, nonce)).toBytes());
    }

    @Test
    void layoutMatchesTheHeaderCodec() {
        Header h = TestHeaders.header(1, 0x1d00ffff).withSeal(new PowSeal(0x1d00ffff, 0x0102030405060708L));
        byte[] enc = HeaderCodec.encode(h);
        assertThat(enc).hasSize(Sha256dNonceSearch.HEADER_LENGTH);
        assertThat(enc[Sha256dNonceSearch.NONCE_OFFSET]).isEqualTo((byte) 1);
        assertThat(enc[Sha256dNonceSearch.HEADER_LENGTH - 1]).isEqualTo((byte) 8);
        assertThat(enc[Sha256dNonceSearch.SEAL_KIND_OFFSET]).isEqualTo((byte) PowSeal.KIND);
    }

    @Test
    void createPrefersTheIntrinsic() {
        assertThat(Sha256dNonceSearch.jdkIntrinsicUnavailableReason()).isEmpty();
        assertThat(Sha256dNonceSearch.create().implementation()).isEqualTo(Sha256dNonceSearch.Implementation.JDK_SHA2_INTRINSIC);
    }

    @Property(tries = 300)
    void bothEnginesAgreeWithMessageDigest(@ForAll("headers") byte[] header, @ForAll @LongRange(min = 0) long nonce) {
        BigInteger expected = referenceHash(header, nonce);
        for (Sha256dNonceSearch engine : engines()) {
            assertThat(new BigInteger(1, engine.sha256d(header, nonce).toBytes())).isEqualTo(expected);
            // The search loop itself: the hash meets a target equal to it, and misses one just below.
            assertThat(engine.search(header, expected, nonce, 1, () -> false)).isEqualTo(nonce);
            if (expected.signum() > 0) {
                assertThat(engine.search(header, expected.subtract(BigInteger.ONE), nonce, 1, () -> false))
                        .isEqualTo(Sha256dNonceSearch.NOT_FOUND);
            }
        }
    }

    /** Every lane and the odd leftover of a batch: the winner may be any nonce of the range, and must be the first. */
    @Property(tries = 60)
    void findsTheFirstWinningNonceWhereverItFalls(@ForAll("headers") byte[] header,
                                                  @ForAll @LongRange(min = 0, max = 1L << 40) long start,
                                                  @ForAll @LongRange(min = 1, max = 2100) long count,
                                                  @ForAll @LongRange(min = 0, max = 2099) long offset) {
        long winner = start + Math.min(offset, count - 1);
        BigInteger target = referenceHash(header, winner);
        long expected = winner;
        for (long n = start; n < winner; n++) {
            if (referenceHash(header, n).compareTo(target) <= 0) {
                expected = n;
                break;
            }
        }
        for (Sha256dNonceSearch engine : engines()) {
            assertThat(engine.search(header, target, start, count, () -> false)).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<byte[]> headers() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Sha256dNonceSearch.HEADER_LENGTH)
                .map(b -> {
                    b[Sha256dNonceSearch.SEAL_KIND_OFFSET] = PowSeal.KIND;
                    return b;
                });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void findsAValidNonceForAnEasyTarget(Sha256dNonceSearch engine) {
        Header template = TestHeaders.header(3, EASY_BITS);
        BigInteger target = CompactTarget.toTarget(EASY_BITS);
        long nonce = engine.search(HeaderCodec.encode(template), target, 0, 10_000_000, () -> false);
        assertThat(nonce).isNotEqualTo(Sha256dNonceSearch.NOT_FOUND);
        Header sealed = template.withSeal(new PowSeal(EASY_BITS, nonce));
        assertThat(PowSealVerifier.meets(sealed.hash(), target)).isTrue();
        assertThat(sealed.hash().toHex()).startsWith("0000");
        // The first winner: no smaller nonce meets the target.
        byte[] enc = HeaderCodec.encode(template);
        for (long n = 0; n < nonce; n++) assertThat(referenceHash(enc, n)).isGreaterThan(target);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void emptyRangesAndImpossibleTargetsFindNothing(Sha256dNonceSearch engine) {
        byte[] header = HeaderCodec.encode(TestHeaders.header(4, EASY_BITS));
        assertThat(engine.search(header, CompactTarget.TWO_256, 5, 0, () -> false)).isEqualTo(Sha256dNonceSearch.NOT_FOUND);
        assertThat(engine.search(header, BigInteger.ZERO, 0, 3000, () -> false)).isEqualTo(Sha256dNonceSearch.NOT_FOUND);
        // Anything at or above 2^256 accepts the first nonce.
        assertThat(engine.search(header, CompactTarget.TWO_256.shiftLeft(3), 17, 10, () -> false)).isEqualTo(17);
        // The top of the search space is reachable.
        assertThat(engine.search(header, CompactTarget.TWO_256, Long.MAX_VALUE, 1, () -> false)).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void stopIsPolledBeforeEachBatch(Sha256dNonceSearch engine) {
        byte[] header = HeaderCodec.encode(TestHeaders.header(5, EASY_BITS));
        assertThat(engine.search(header, CompactTarget.TWO_256, 0, 10, () -> true)).isEqualTo(Sha256dNonceSearch.NOT_FOUND);
        AtomicInteger polls = new AtomicInteger();
        long found = engine.search(header, BigInteger.ZERO, 0, 10 * Sha256dNonceSearch.STOP_POLL_INTERVAL,
                () -> polls.incrementAndGet() > 3);
        assertThat(found).isEqualTo(Sha256dNonceSearch.NOT_FOUND);
        assertThat(polls.get()).isEqualTo(4);
    }

    @Test
    void rejectsBadArguments() {
        Sha256dNonceSearch s = Sha256dNonceSearch.portable();
        byte[] header = HeaderCodec.encode(TestHeaders.header(6, EASY_BITS));
        assertThatThrownBy(() -> s.search(new byte[149], BigInteger.ONE, 0, 1, () -> false)).hasMessageContaining("150 bytes");
        byte[] wrongKind = header.clone();
        wrongKind[Sha256dNonceSearch.SEAL_KIND_OFFSET] = 2;
        assertThatThrownBy(() -> s.search(wrongKind, BigInteger.ONE, 0, 1, () -> false)).hasMessageContaining("seal kind 2");
        assertThatThrownBy(() -> s.search(header, BigInteger.ONE, -1, 1, () -> false)).hasMessageContaining("startNonce");
        assertThatThrownBy(() -> s.search(header, BigInteger.ONE, 0, -1, () -> false)).hasMessageContaining("negative count");
        assertThatThrownBy(() -> s.search(header, BigInteger.ONE, Long.MAX_VALUE, 2, () -> false)).hasMessageContaining("2^63");
        assertThatThrownBy(() -> s.search(header, BigInteger.ONE.negate(), 0, 1, () -> false)).hasMessageContaining("negative target");
    }

    @Test
    void fallsBackToPortableWhenThePackageIsNotOpen() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FallbackProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("implementation=PORTABLE_JAVA").contains("--add-opens").contains("hash-ok");
    }

    /** Run in a child JVM without --add-opens. */
    public static final class FallbackProbe {
        public static void main(String[] args) {
            Sha256dNonceSearch s = Sha256dNonceSearch.create();
            System.out.println("implementation=" + s.implementation());
            System.out.println("reason=" + Sha256dNonceSearch.jdkIntrinsicUnavailableReason().orElse("none"));
            byte[] header = HeaderCodec.encode(TestHeaders.header(9, EASY_BITS));
            Hash expected = Sha256.doubleHash(withNonce(header, 42));
            if (s.sha256d(header, 42).equals(expected) && Sha256dNonceSearch.jdkIntrinsic().isEmpty()) {
                System.out.println("hash-ok");
            }
        }
    }
}
