package io.maaschain.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class Ed25519PropertyTest {

    @Property
    void signaturesVerify(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 2048) byte[] message) {
        KeyPair key = KeyPair.fromSeed(seed);
        Signature signature = key.sign(message);
        assertThat(key.publicKey().verify(message, signature)).isTrue();
        // Ed25519 is deterministic: the same key and message always give the same bytes.
        assertThat(key.sign(message)).isEqualTo(signature);
    }

    @Property
    void aFlippedMessageBitFails(@ForAll @Size(32) byte[] seed, @ForAll @Size(min = 1, max = 512) byte[] message,
                                 @ForAll @IntRange(min = 0, max = 512 * 8 - 1) int bit) {
        KeyPair key = KeyPair.fromSeed(seed);
        Signature signature = key.sign(message);
        byte[] altered = flip(message, bit % (message.length * 8));
        assertThat(key.publicKey().verify(altered, signature)).isFalse();
    }

    @Property
    void aFlippedSignatureBitFails(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 512) byte[] message,
                                   @ForAll @IntRange(min = 0, max = Signature.LENGTH * 8 - 1) int bit) {
        KeyPair key = KeyPair.fromSeed(seed);
        Signature altered = Signature.wrap(flip(key.sign(message).toBytes(), bit));
        assertThat(key.publicKey().verify(message, altered)).isFalse();
    }

    @Property
    void aFlippedPublicKeyBitFails(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 512) byte[] message,
                                   @ForAll @IntRange(min = 0, max = PublicKey.LENGTH * 8 - 1) int bit) {
        KeyPair key = KeyPair.fromSeed(seed);
        Signature signature = key.sign(message);
        PublicKey altered = PublicKey.wrap(flip(key.publicKey().toBytes(), bit));
        assertThat(altered.verify(message, signature)).isFalse();
    }

    @Property
    void aFlippedSeedBitSignsSomethingElse(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 512) byte[] message,
                                           @ForAll @IntRange(min = 0, max = KeyPair.SEED_LENGTH * 8 - 1) int bit) {
        KeyPair key = KeyPair.fromSeed(seed);
        KeyPair other = KeyPair.fromSeed(flip(seed, bit));
        assertThat(key.publicKey().verify(message, other.sign(message))).isFalse();
    }

    static byte[] flip(byte[] bytes, int bit) {
        byte[] copy = bytes.clone();
        copy[bit >>> 3] ^= (byte) (1 << (bit & 7));
        return copy;
    }
}
