package io.maaschain.crypto;

import static io.maaschain.testing.FuzzInvariant.decodeOrReject;
import static io.maaschain.testing.FuzzInvariant.roundTrip;
import static io.maaschain.testing.FuzzInvariant.sameBytes;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Key files: PEM (PKCS#8 private keys, SubjectPublicKeyInfo public keys), the DER inside them, and keystores. PEM and
 * DER is strict, so an accepted key writes back as exactly the bytes read. Keystores are parsed as
 * without a password ({@link Keystore#publicKey}): decrypting runs scrypt, far too slow to fuzz, behind the same parser.
 */
class KeyFileFuzzTest {
    private static final List<Class<? extends Exception>> KEY_FORMAT = List.of(KeyFormatException.class);

    /** PEM allows line endings and line lengths of its own choosing, so the key is compared, not the text. */
    @FuzzTest
    void privatePem(byte[] input) {
        KeyPair k = decodeOrReject(() -> KeyPem.privateKeyFromPem(new String(input, StandardCharsets.UTF_8)), KEY_FORMAT);
        if (k == null) return;
        sameBytes(KeyPem.privateKeyToDer(k), KeyPem.privateKeyToDer(KeyPem.privateKeyFromPem(KeyPem.privateKeyToPem(k))), k);
    }

    @FuzzTest
    void publicPem(byte[] input) {
        PublicKey k = decodeOrReject(() -> KeyPem.publicKeyFromPem(new String(input, StandardCharsets.UTF_8)), KEY_FORMAT);
        if (k == null) return;
        sameBytes(k.toBytes(), KeyPem.publicKeyFromPem(KeyPem.publicKeyToPem(k)).toBytes(), k);
    }

    @FuzzTest
    void privateDer(byte[] input) {
        roundTrip(input, KeyPem::privateKeyFromDer, KeyPem::privateKeyToDer, KEY_FORMAT);
    }

    @FuzzTest
    void publicDer(byte[] input) {
        roundTrip(input, KeyPem::publicKeyFromDer, KeyPem::publicKeyToDer, KEY_FORMAT);
    }

    @FuzzTest
    void keystore(byte[] input) {
        try {
            Keystore.publicKey(input);
        } catch (KeystoreException refused) {
            // typed refusal naming the field at fault
        }
    }
}
