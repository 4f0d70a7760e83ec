package io.maaschain.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.DecodedPublicKeysTest.Point;
import io.maaschain.crypto.DecodedPublicKeysTest.Ref;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * Batch verification is consensus code: {@link SignatureBatch#verify} must give, for every item, the verdict of
 * BouncyCastle's single {@code Ed25519.verify} with the key bytes. Checked on valid batches, on random
 * corruptions, on keys and R values with a small-order component (which BouncyCastle's cofactored check
 * accepts), on every encoding that the single check rejects, and on bad signatures crafted to cancel out in an
 * unweighted sum. The point arithmetic and the NAF recoding are checked against plain BigInteger math.
 */
class SignatureBatchTest {

    private static boolean single(SignedMessage m) {
        byte[] sig = m.signature().toBytes();
        return Ed25519.verify(sig, 0, m.key().toBytes(), 0, m.message(), 0, m.message().length);
    }

    private static void assertSameVerdicts(List<SignedMessage> items) {
        boolean[] batch = SignatureBatch.verify(items);
        for (int i = 0; i < items.size(); i++) {
            assertThat(batch[i]).as("item %d of %d", i, items.size()).isEqualTo(single(items.get(i)));
        }
    }

    private static SignedMessage valid(Random random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        KeyPair pair = KeyPair.fromSeed(seed);
        byte[] message = new byte[random.nextInt(200)];
        random.nextBytes(message);
        return new SignedMessage(pair.publicKey(), message, pair.sign(message));
    }

    // ------------------------------------------------------------------------------------------ whole batches

    @Property(tries = 40)
    void validBatchesOfAnySizeAreAcceptedByTheCombinedCheck(@ForAll @IntRange(min = 1, max = 130) int size, @ForAll long seed) {
        Random random = new Random(seed);
        List<SignedMessage> items = new ArrayList<>();
        for (int i = 0; i < size; i++) items.add(valid(random));
        assertThat(Ed25519BatchCheck.holds(items)).isTrue();
        boolean[] verdicts = SignatureBatch.verify(items);
        for (boolean v : verdicts) assertThat(v).isTrue();
    }

    @Property(tries = 60)
    void corruptedItemsGetExactlyTheSingleVerdicts(@ForAll @IntRange(min = 1, max = 90) int size,
                                                   @ForAll @IntRange(min = 0, max = 6) int corruptions, @ForAll long seed) {
        Random random = new Random(seed);
        List<SignedMessage> items = new ArrayList<>();
        for (int i = 0; i < size; i++) items.add(valid(random));
        for (int c = 0; c < corruptions; c++) {
            int at = random.nextInt(size);
            items.set(at, corrupt(items.get(at), items.get(random.nextInt(size)), random));
        }
        assertSameVerdicts(items);
        if (corruptions == 0) assertThat(Ed25519BatchCheck.holds(items)).isTrue();
    }

    private static SignedMessage corrupt(SignedMessage m, SignedMessage other, Random random) {
        byte[] sig = m.signature().toBytes();
        byte[] message = m.message().clone();
        return switch (random.nextInt(5)) {
            case 0 -> { sig[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8)); yield new SignedMessage(m.key(), message, Signature.wrap(sig)); }
            case 1 -> { sig[32 + random.nextInt(32)] ^= (byte) (1 << random.nextInt(8)); yield new SignedMessage(m.key(), message, Signature.wrap(sig)); }
            case 2 -> new SignedMessage(m.key(), append(message, (byte) random.nextInt()), m.signature());
            case 3 -> new SignedMessage(other.key(), message, m.signature());
            default -> {
                byte[] key = m.key().toBytes();
                key[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
                yield new SignedMessage(PublicKey.wrap(key), message, m.signature());
            }
        };
    }

    private static byte[] append(byte[] a, byte b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    /** Two bad signatures whose errors cancel in an unweighted sum (S1 + 1, S2 - 1) must still be found. */
    @Test
    void errorsThatCancelInAPlainSumAreCaughtByTheWeights() {
        Random random = new Random(7);
        List<SignedMessage> items = new ArrayList<>();
        for (int i = 0; i < 16; i++) items.add(valid(random));
        items.set(3, withS(items.get(3), BigInteger.ONE));
        items.set(11, withS(items.get(11), BigInteger.ONE.negate()));
        assertThat(Ed25519BatchCheck.holds(items)).isFalse();
        assertSameVerdicts(items);
        assertThat(SignatureBatch.verify(items)).containsExactly(
                true, true, true, false, true, true, true, true, true, true, true, false, true, true, true, true);
    }

    private static SignedMessage withS(SignedMessage m, BigInteger delta) {
        byte[] sig = m.signature().toBytes();
        byte[] s = new byte[32];
        System.arraycopy(sig, 32, s, 0, 32);
        BigInteger changed = Ref.littleEndian(s).add(delta).mod(Ref.L);
        return new SignedMessage(m.key(), m.message(), Signature.wrap(Ref.signature(java.util.Arrays.copyOf(sig, 32), changed)));
    }

    // ------------------------------------------------------------------------------------------ edge encodings

    /**
     * Keys and R values with a component of order 2, 4 or 8, S = r + k a (BouncyCastle's cofactored check
     * accepts these), the same with S + 1 (rejected), S >= L, non-canonical and off-curve R, small-order keys:
     * mixed into batches of valid signatures, every verdict must match the single check.
     */
    @Test
    void smallOrderComponentsAndRejectedEncodingsGetTheSingleVerdicts() {
        Random random = new Random(11);
        List<SignedMessage> edge = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            BigInteger a = BigInteger.valueOf(7919L * t + 12345);
            byte[] key = Ref.encode(Ref.B.times(a).plus(Ref.torsion().get(t)));
            for (int rt = 0; rt < 8; rt += 3) {
                byte[] message = ("edge " + t + "/" + rt).getBytes(StandardCharsets.UTF_8);
                BigInteger r = BigInteger.valueOf(31L * t + 17 + rt);
                byte[] rBytes = Ref.encode(Ref.B.times(r).plus(Ref.torsion().get(rt)));
                BigInteger k = Ref.k(Ref.signature(rBytes, BigInteger.ZERO), key, message);
                BigInteger s = r.add(k.multiply(a)).mod(Ref.L);
                edge.add(item(key, message, Ref.signature(rBytes, s)));
                edge.add(item(key, message, Ref.signature(rBytes, s.add(BigInteger.ONE).mod(Ref.L))));
                edge.add(item(key, message, Ref.signature(rBytes, s.add(Ref.L))));
            }
        }
        SignedMessage good = valid(random);
        byte[] sig = good.signature().toBytes();
        for (Point small : Ref.torsion()) {
            edge.add(item(Ref.encode(small), good.message(), sig));
            for (byte[] nonCanonical : Ref.nonCanonicalEncodings(small)) {
                edge.add(item(good.key().toBytes(), good.message(), withR(sig, nonCanonical)));
                edge.add(item(nonCanonical, good.message(), sig));
            }
        }
        edge.add(item(good.key().toBytes(), good.message(), withR(sig, Ref.rawEncoding(BigInteger.valueOf(2), 0)))); // y = 2 is not on the curve
        edge.add(item(good.key().toBytes(), good.message(), withR(sig, Ref.rawEncoding(Ref.P.subtract(BigInteger.ONE), 1))));
        long accepted = edge.stream().filter(SignatureBatchTest::single).count();
        assertThat(accepted).as("some edge signatures are valid for the single check").isGreaterThanOrEqualTo(16);
        assertThat(accepted).as("and some are not").isLessThan(edge.size());

        assertSameVerdicts(edge);
        for (int round = 0; round < 30; round++) {
            List<SignedMessage> mixed = new ArrayList<>();
            for (int i = 0; i < 40; i++) mixed.add(valid(random));
            int inserted = 1 + random.nextInt(3);
            for (int i = 0; i < inserted; i++) mixed.add(random.nextInt(mixed.size() + 1), edge.get(random.nextInt(edge.size())));
            assertSameVerdicts(mixed);
        }
        List<SignedMessage> acceptedOnly = new ArrayList<>(edge.stream().filter(SignatureBatchTest::single).toList());
        for (int i = 0; i < 10; i++) acceptedOnly.add(valid(random));
        assertThat(Ed25519BatchCheck.holds(acceptedOnly)).as("small-order components cancel under the cofactor").isTrue();
    }

    private static SignedMessage item(byte[] key, byte[] message, byte[] sig) {
        return new SignedMessage(PublicKey.wrap(key), message, Signature.wrap(sig));
    }

    private static byte[] withR(byte[] sig, byte[] r) {
        byte[] out = sig.clone();
        System.arraycopy(r, 0, out, 0, 32);
        return out;
    }

    @Test
    void rfc8032VectorsVerifyInABatch() {
        List<SignedMessage> items = new ArrayList<>();
        for (Rfc8032VectorsTest.Vector v : Rfc8032VectorsTest.vectors().toList()) {
            items.add(item(io.maaschain.codec.Hex.decode(v.publicKey()), io.maaschain.codec.Hex.decode(v.message()),
                    io.maaschain.codec.Hex.decode(v.signature())));
        }
        for (int i = 0; i < 3; i++) items.addAll(List.copyOf(items));
        assertThat(Ed25519BatchCheck.holds(items)).isTrue();
    }

    // ------------------------------------------------------------------------------------------ arithmetic

    @Property(tries = 200)
    void additionAndDoublingMatchTheReference(@ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int m,
                                              @ForAll @IntRange(min = 0, max = 7) int torsion, @ForAll boolean subtract) {
        Point p = Ref.B.times(BigInteger.valueOf(m)).plus(Ref.torsion().get(torsion));
        Point q = Ref.B.times(BigInteger.valueOf(m).multiply(BigInteger.valueOf(31)).add(BigInteger.valueOf(5)));
        EdwardsPoint ep = decoded(p);
        EdwardsPoint eq = decoded(q);
        EdwardsPoint.Scratch s = new EdwardsPoint.Scratch();
        EdwardsPoint.Cached cq = new EdwardsPoint.Cached();
        eq.toCached(cq);
        EdwardsPoint sum = new EdwardsPoint();
        sum.set(ep);
        sum.add(cq, subtract, s);
        Point negQ = new Point(Ref.P.subtract(q.x()).mod(Ref.P), q.y());
        assertThat(sum.encode()).isEqualTo(Ref.encode(p.plus(subtract ? negQ : q)));
        EdwardsPoint twice = new EdwardsPoint();
        twice.set(ep);
        twice.twice(s);
        assertThat(twice.encode()).isEqualTo(Ref.encode(p.plus(p)));
        EdwardsPoint self = new EdwardsPoint();
        self.set(ep);
        EdwardsPoint.Cached cp = new EdwardsPoint.Cached();
        ep.toCached(cp);
        self.add(cp, true, s);
        assertThat(self.encode()).isEqualTo(Ref.encode(Ref.IDENTITY));
        EdwardsPoint eight = new EdwardsPoint();
        eight.set(ep);
        assertThat(eight.timesEightIsNeutral(s)).isFalse();
        EdwardsPoint small = decoded(Ref.torsion().get(torsion));
        assertThat(small.timesEightIsNeutral(s)).isTrue();
    }

    private static EdwardsPoint decoded(Point p) {
        EdwardsPoint e = new EdwardsPoint();
        assertThat(EdwardsPoint.decode(Ref.encode(p), 0, e)).isTrue();
        return e;
    }

    @Property(tries = 500)
    void nonAdjacentFormsAddUpToTheScalar(@ForAll("scalars") BigInteger scalar, @ForAll @IntRange(min = 2, max = 8) int width) {
        byte[] naf = Ed25519BatchCheck.nonAdjacentForm(scalar, width);
        BigInteger sum = BigInteger.ZERO;
        int lastNonZero = -width;
        for (int i = 0; i < naf.length; i++) {
            int d = naf[i];
            if (d == 0) continue;
            assertThat(d & 1).as("digit %d at %d is odd", d, i).isEqualTo(1);
            assertThat(Math.abs(d)).isLessThan(1 << (width - 1));
            assertThat(i - lastNonZero).as("digits at least w apart").isGreaterThanOrEqualTo(width);
            lastNonZero = i;
            sum = sum.add(BigInteger.valueOf(d).shiftLeft(i));
        }
        assertThat(sum).isEqualTo(scalar);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<BigInteger> scalars() {
        return net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.bigIntegers().between(BigInteger.ZERO, Ed25519BatchCheck.L.subtract(BigInteger.ONE)),
                net.jqwik.api.Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, Ed25519BatchCheck.L.subtract(BigInteger.ONE),
                        BigInteger.ONE.shiftLeft(252), BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)));
    }
}
