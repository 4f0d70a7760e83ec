package io.maaschain.consensus.pow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vectors from Bitcoin Core's src/test/arith_uint256_tests.cpp (bignum_SetCompact) and its genesis block. */
class CompactTargetTest {

    @ParameterizedTest(name = "{0} -> {1}, re-encoded {2}")
    @CsvSource({
        // bits,       value (hex),  GetCompact(negative), negative
        "0x00000000, 0,            0x00000000, false",
        "0x00123456, 0,            0x00000000, false",
        "0x01003456, 0,            0x00000000, false",
        "0x02000056, 0,            0x00000000, false",
        "0x03000000, 0,            0x00000000, false",
        "0x04000000, 0,            0x00000000, false",
        "0x00923456, 0,            0x00000000, false",
        "0x01803456, 0,            0x00000000, false",
        "0x02800056, 0,            0x00000000, false",
        "0x03800000, 0,            0x00000000, false",
        "0x04800000, 0,            0x00000000, false",
        "0x01123456, 12,           0x01120000, false",
        "0x01fedcba, 7e,           0x01fe0000, true",
        "0x02123456, 1234,         0x02123400, false",
        "0x03123456, 123456,       0x03123456, false",
        "0x04123456, 12345600,     0x04123456, false",
        "0x04923456, 12345600,     0x04923456, true",
        "0x05009234, 92340000,     0x05009234, false",
    })
    void bitcoinCoreSetCompactVectors(String bitsHex, String valueHex, String compactHex, boolean negative) {
        int bits = Integer.parseUnsignedInt(bitsHex.substring(2), 16);
        CompactTarget.Decoded d = CompactTarget.decode(bits);
        assertThat(d.value()).isEqualTo(new BigInteger(valueHex, 16));
        assertThat(d.negative()).isEqualTo(negative);
        assertThat(d.overflow()).isFalse();
        assertThat(CompactTarget.encode(d.value(), negative)).isEqualTo(Integer.parseUnsignedInt(compactHex.substring(2), 16));
    }

    @Test
    void largestSizeWithoutOverflow() {
        CompactTarget.Decoded d = CompactTarget.decode(0x20123456);
        assertThat(d.value().toString(16)).isEqualTo("1234560000000000000000000000000000000000000000000000000000000000");
        assertThat(d.valid()).isTrue();
        assertThat(CompactTarget.encode(d.value())).isEqualTo(0x20123456);
    }

    @Test
    void mantissaWithSignBitMovesOneByteRight() {
        assertThat(CompactTarget.encode(BigInteger.valueOf(0x80))).isEqualTo(0x02008000);
    }

    @Test
    void overflow() {
        assertThat(CompactTarget.decode(0xff123456).overflow()).isTrue();
        assertThat(CompactTarget.decode(0xff123456).negative()).isFalse();
        assertThat(CompactTarget.decode(0x23000001).overflow()).isTrue();  // size 35
        assertThat(CompactTarget.decode(0x22000100).overflow()).isTrue();  // size 34, mantissa over one byte
        assertThat(CompactTarget.decode(0x220000ff).overflow()).isFalse();
        assertThat(CompactTarget.decode(0x21010000).overflow()).isTrue();  // size 33, mantissa over two bytes
        assertThat(CompactTarget.decode(0x2100ffff).overflow()).isFalse();
        assertThat(CompactTarget.decode(0xff000000).overflow()).isFalse(); // zero mantissa never overflows
        assertThatThrownBy(() -> CompactTarget.toTarget(0xff123456)).hasMessageContaining("overflows");
        assertThatThrownBy(() -> CompactTarget.toTarget(0x04923456)).hasMessageContaining("negative");
    }

    @Test
    void genesisTargetAndWork() {
        BigInteger target = CompactTarget.toTarget(0x1d00ffff);
        assertThat(String.format("%064x", target))
                .isEqualTo("00000000ffff0000000000000000000000000000000000000000000000000000");
        // Bitcoin's genesis block proof: 4295032833 expected hashes.
        assertThat(CompactTarget.work(0x1d00ffff)).isEqualTo(BigInteger.valueOf(0x100010001L));
        assertThat(CompactTarget.isCanonical(0x1d00ffff)).isTrue();
    }

    @Test
    void workIsZeroForUnusableTargets() {
        assertThat(CompactTarget.work(0)).isZero();
        assertThat(CompactTarget.work(0x04923456)).isZero();
        assertThat(CompactTarget.work(0xff123456)).isZero();
        assertThat(CompactTarget.work(0x03000001)).isEqualTo(CompactTarget.TWO_256.shiftRight(1));
    }

    @Test
    void canonicalForms() {
        assertThat(CompactTarget.isCanonical(0x1d00ffff)).isTrue();
        assertThat(CompactTarget.isCanonical(0x1cffffff)).isFalse(); // sign bit set: negative
        assertThat(CompactTarget.isCanonical(0x04923456)).isFalse();
        // Leading zero bytes in the mantissa: a valid target, but its canonical form is shorter.
        assertThat(CompactTarget.isCanonical(0x1e0000ff)).isFalse();
        assertThat(CompactTarget.encode(CompactTarget.toTarget(0x1e0000ff))).isEqualTo(0x1d00ff00);
        assertThat(CompactTarget.isCanonical(0)).isTrue();
    }

    @Test
    void encodeRejectsValuesOutside256Bits() {
        assertThatThrownBy(() -> CompactTarget.encode(BigInteger.ONE.negate())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactTarget.encode(CompactTarget.TWO_256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void validEncodingsKeepTheirValueThroughCanonicalForm(@ForAll int bits) {
        CompactTarget.Decoded d = CompactTarget.decode(bits);
        if (!d.valid()) return;
        int canonical = CompactTarget.encode(d.value());
        assertThat(CompactTarget.decode(canonical).value()).isEqualTo(d.value());
        assertThat(CompactTarget.isCanonical(canonical)).isTrue();
        assertThat(CompactTarget.isCanonical(bits)).isEqualTo(canonical == bits);
    }

    @Property
    void encodingRoundsDownToTheMantissa(@ForAll("uint256") BigInteger value) {
        int bits = CompactTarget.encode(value);
        CompactTarget.Decoded d = CompactTarget.decode(bits);
        assertThat(d.valid()).isTrue();
        assertThat(CompactTarget.encode(d.value())).isEqualTo(bits);
        assertThat(d.value()).isLessThanOrEqualTo(value);
        int size = bits >>> 24;
        BigInteger unit = BigInteger.ONE.shiftLeft(Math.max(0, 8 * (size - 3)));
        assertThat(value.subtract(d.value())).isLessThan(unit);
    }

    @Provide
    Arbitrary<BigInteger> uint256() {
        // Random bit lengths, so small and large magnitudes are both common.
        return Arbitraries.integers().between(0, 256).flatMap(bitLength -> Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(bitLength).subtract(BigInteger.ONE)));
    }
}
