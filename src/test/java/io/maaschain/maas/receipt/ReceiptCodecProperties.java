package io.maaschain.maas.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.Signature;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ReceiptCodecProperties {
    static final KeyPair NODE = KeyPair.fromSeed(Sha256.hash("receipt node".getBytes()).toBytes());

    record Parts(long chainId, long seq, long ts, String name, String version, Hash digest) {}

    record Call(Address caller, Hash request, int status, Hash response, String code, Hash message, long fee) {}

    @Provide
    Arbitrary<Receipt> receipts() {
        Arbitrary<Hash> hashes = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hash::wrap);
        Arbitrary<Address> addresses = Arbitraries.bytes().array(byte[].class).ofSize(20).map(Address::wrap);
        Arbitrary<Long> u63 = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<String> names = Arbitraries.strings().ofMinLength(1).ofMaxLength(150).map(Receipt::modelNameFrom);
        Arbitrary<String> versions = Arbitraries.strings().withChars("abcXYZ0123456789.+-_").ofMinLength(1).ofMaxLength(32);
        Arbitrary<Parts> parts = Combinators.combine(u63, u63, u63, names, versions, hashes, Arbitraries.of(true, false))
                .as((c, s, t, n, v, d, served) -> new Parts(c, s, t, n, served ? v : "", served ? d : null));
        Arbitrary<Call> success = Combinators.combine(addresses.injectNull(0.2), hashes, hashes, u63)
                .as((caller, req, resp, fee) -> new Call(caller, req, 200, resp, "", null, caller == null ? 0 : fee));
        Arbitrary<Call> failure = Combinators.combine(addresses.injectNull(0.3), hashes.injectNull(0.2),
                Arbitraries.integers().between(100, 599).filter(s -> s != 200),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789").ofMaxLength(31), hashes)
                .as((caller, req, status, code, msg) -> new Call(caller, req, status, null, "E" + code, msg, 0));
        return Combinators.combine(parts, Arbitraries.oneOf(success, failure))
                .as((p, c) -> {
                    boolean ok = c.status() == 200;
                    String version = ok && p.version().isEmpty() ? "1" : p.version();
                    Hash digest = ok && p.digest() == null ? Hash.ZERO : p.digest();
                    return new Receipt(p.chainId(), NODE.publicKey(), p.seq(), p.ts(), p.name(), version, digest, c.caller(), c.request(), c.status(),
                            c.response(), c.code(), c.message(), c.fee());
                });
    }

    @Property(tries = 400)
    void decodeOfEncodeIsIdentity(@ForAll("receipts") Receipt r) {
        byte[] encoded = ReceiptCodec.encode(r);
        assertThat(encoded.length).isLessThanOrEqualTo(410);
        Receipt back = ReceiptCodec.decode(encoded);
        assertThat(back).isEqualTo(r);
        assertThat(ReceiptCodec.encode(back)).isEqualTo(encoded);
        SignedReceipt signed = SignedReceipt.sign(r, NODE);
        SignedReceipt again = SignedReceipt.decode(signed.encoding(), signed.signature());
        assertThat(again.id()).isEqualTo(Sha256.hash(encoded)).isEqualTo(signed.id());
        assertThat(again.hasValidSignature()).isTrue();
    }

    @Property(tries = 400)
    void anyFlippedBitBreaksDecodingOrSignature(@ForAll("receipts") Receipt r, @ForAll @IntRange(min = 0, max = 1 << 20) int position) {
        SignedReceipt signed = SignedReceipt.sign(r, NODE);
        byte[] bytes = signed.encoding();
        int bit = position % (bytes.length * 8);
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        try {
            SignedReceipt tampered = SignedReceipt.decode(bytes, signed.signature());
            assertThat(tampered.hasValidSignature()).as("a tampered receipt must not verify").isFalse();
            assertThat(tampered.id()).isNotEqualTo(signed.id());
        } catch (CodecException expected) {
            // refused as malformed: also correct
        }
    }

    @Property(tries = 200)
    void aTamperedSignatureFails(@ForAll("receipts") Receipt r, @ForAll @IntRange(min = 0, max = 511) int bit) {
        SignedReceipt signed = SignedReceipt.sign(r, NODE);
        byte[] sig = signed.signature().toBytes();
        sig[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThat(SignedReceipt.decode(signed.encoding(), Signature.wrap(sig)).hasValidSignature()).isFalse();
    }

    @Property(tries = 200)
    void truncatedOrPaddedEncodingsAreRefused(@ForAll("receipts") Receipt r, @ForAll @IntRange(min = 1, max = 400) int cut) {
        byte[] encoded = ReceiptCodec.encode(r);
        byte[] truncated = Arrays.copyOf(encoded, Math.max(0, encoded.length - cut));
        assertThatThrownBy(() -> ReceiptCodec.decode(truncated)).isInstanceOf(CodecException.class);
        byte[] padded = Arrays.copyOf(encoded, encoded.length + 1 + cut % 3);
        assertThatThrownBy(() -> ReceiptCodec.decode(padded)).isInstanceOf(CodecException.class).hasMessageContaining("trailing");
    }

    @Property(tries = 100)
    void anotherKeysSignatureFails(@ForAll("receipts") Receipt r) {
        KeyPair other = KeyPair.fromSeed(Sha256.hash("someone else".getBytes()).toBytes());
        SignedReceipt signed = SignedReceipt.sign(r, NODE);
        Signature forged = other.sign(ReceiptCodec.signingMessage(signed.encoding()));
        assertThat(SignedReceipt.decode(signed.encoding(), forged).hasValidSignature()).isFalse();
    }
}
