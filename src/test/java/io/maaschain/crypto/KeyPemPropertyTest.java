package io.maaschain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class KeyPemPropertyTest {

    @Property
    void privateKeyRoundTrip(@ForAll @Size(32) byte[] seed) {
        KeyPair key = KeyPair.fromSeed(seed);
        String pem = KeyPem.privateKeyToPem(key);
        assertThat(KeyPem.privateKeyFromPem(pem)).isEqualTo(key);
        assertThat(KeyPem.privateKeyToPem(KeyPem.privateKeyFromPem(pem))).isEqualTo(pem);
        assertThat(KeyPem.privateKeyFromDer(KeyPem.privateKeyToDer(key))).isEqualTo(key);
    }

    @Property
    void publicKeyRoundTrip(@ForAll @Size(32) byte[] seed) {
        PublicKey key = KeyPair.fromSeed(seed).publicKey();
        String pem = KeyPem.publicKeyToPem(key);
        assertThat(KeyPem.publicKeyFromPem(pem)).isEqualTo(key);
        assertThat(KeyPem.publicKeyToPem(KeyPem.publicKeyFromPem(pem))).isEqualTo(pem);
        assertThat(KeyPem.publicKeyFromDer(KeyPem.publicKeyToDer(key))).isEqualTo(key);
    }

    /**
     * Any single-bit change to the DER is refused with KeyFormatException or yields a different key. The one
     * exception is the version byte: 0 -> 1 turns it into an RFC 5958 v2 key without the optional public key,
     * another valid spelling of the same key.
     */
    @Property
    void corruptedDerNeverYieldsTheSameKeyOrAnotherException(@ForAll @Size(32) byte[] seed,
                                                             @ForAll @IntRange(min = 0, max = 48 * 8 - 1) int bit) {
        int versionBit = 4 * 8;
        Assume.that(bit != versionBit);
        KeyPair key = KeyPair.fromSeed(seed);
        byte[] der = KeyPem.privateKeyToDer(key);
        assertThat(der[4]).as("the version byte").isZero();
        byte[] altered = Ed25519PropertyTest.flip(der, bit);
        Throwable thrown = catchThrowable(() -> assertThat(KeyPem.privateKeyFromDer(altered)).isNotEqualTo(key));
        if (thrown != null) assertThat(thrown).isInstanceOf(KeyFormatException.class);
    }
}
