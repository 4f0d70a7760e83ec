package io.maaschain.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeystoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * A password-encrypted Ed25519 key, as bytes in and bytes out; reading and writing files is the caller's job.
 *
 * <p>Format, version 1 (UTF-8 JSON, fields exactly these):
 * <pre>
 * {"version": 1, "address": "mc…", "publicKey": hex(32),
 *  "kdf": {"name": "scrypt", "n": …, "r": …, "p": …, "salt": hex(16)},
 *  "cipher": {"name": "aes-256-gcm", "iv": hex(12)},
 *  "ciphertext": hex(32-byte seed || 16-byte tag)}
 * </pre>
 * key = scrypt(UTF-8(password), salt, n, r, p, 32 bytes); ciphertext = AES-256-GCM(key, iv, seed, aad) with
 * aad = ASCII("maaschain-keystore") || u8(version) || publicKey. The password is encoded as given, without
 * Unicode normalisation. The kdf fields need no binding: changing them changes the key, so the tag fails.
 */
public final class Keystore {
    public static final int VERSION = 1;
    public static final int SALT_LENGTH = 16;
    public static final int IV_LENGTH = 12;

    private static final String KDF_NAME = "scrypt";
    private static final String CIPHER_NAME = "aes-256-gcm";
    private static final int KEY_LENGTH = 32;
    private static final int TAG_BITS = 128;
    private static final int CIPHERTEXT_LENGTH = KeyPair.SEED_LENGTH + TAG_BITS / 8;
    private static final byte[] AAD_DOMAIN = "maaschain-keystore".getBytes(US_ASCII);

    /** A keystore is about 500 bytes; refuse to hand a huge file to the JSON parser. */
    private static final int MAX_KEYSTORE_BYTES = 16 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String TEMPLATE = """
            {
              "version": %d,
              "address": "%s",
              "publicKey": "%s",
              "kdf": {"name": "%s", "n": %d, "r": %d, "p": %d, "salt": "%s"},
              "cipher": {"name": "%s", "iv": "%s"},
              "ciphertext": "%s"
            }
            """;

    private Keystore() {}

    /** Encrypts with {@link ScryptParams#DEFAULT}; salt and IV come from {@code random}. */
    public static byte[] encrypt(KeyPair key, char[] password, SecureRandom random) {
        return encrypt(key, password, ScryptParams.DEFAULT, random);
    }

    /** Encrypts with the given scrypt cost; small costs are for tests only. */
    public static byte[] encrypt(KeyPair key, char[] password, ScryptParams kdf, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(iv);
        return encrypt(key, password, kdf, salt, iv);
    }

    /** Fixed salt and IV, for known-answer tests only: reusing both under one password breaks AES-GCM. */
    static byte[] encrypt(KeyPair key, char[] password, ScryptParams kdf, byte[] salt, byte[] iv) {
        if (salt.length != SALT_LENGTH) throw new IllegalArgumentException("salt must be 16 bytes, got " + salt.length);
        if (iv.length != IV_LENGTH) throw new IllegalArgumentException("iv must be 12 bytes, got " + iv.length);
        PublicKey publicKey = key.publicKey();
        byte[] seed = key.seed();
        byte[] ciphertext;
        try {
            ciphertext = gcm(Cipher.ENCRYPT_MODE, password, kdf, salt, iv, publicKey, seed);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("AES-GCM reported a bad tag while encrypting", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        String json = String.format(Locale.ROOT, TEMPLATE, VERSION, publicKey.address(), publicKey.toHex(),
                KDF_NAME, kdf.n(), kdf.r(), kdf.p(), Hex.encode(salt), CIPHER_NAME, Hex.encode(iv),
                Hex.encode(ciphertext));
        return json.getBytes(UTF_8);
    }

    /**
     * Decrypts a keystore.
     *
     * @throws KeystoreException {@link Reason#MALFORMED} if the bytes are not a valid version-1 keystore,
     *     {@link Reason#WRONG_PASSWORD_OR_CORRUPTED} if the password is wrong or the encrypted part was altered
     */
    public static KeyPair decrypt(byte[] keystore, char[] password) {
        Contents c = parse(keystore);
        byte[] seed;
        try {
            seed = gcm(Cipher.DECRYPT_MODE, password, c.kdf(), c.salt(), c.iv(), c.publicKey(), c.ciphertext());
        } catch (AEADBadTagException e) {
            throw new KeystoreException(Reason.WRONG_PASSWORD_OR_CORRUPTED, "wrong password or corrupted keystore", e);
        }
        KeyPair key = KeyPair.fromSeed(seed);
        Arrays.fill(seed, (byte) 0);
        // The tag already binds the public key; this only fails if someone encrypted a mismatched pair on purpose.
        if (!key.publicKey().equals(c.publicKey())) {
            throw new KeystoreException(Reason.WRONG_PASSWORD_OR_CORRUPTED,
                    "corrupted keystore: the decrypted key does not match the publicKey field");
        }
        return key;
    }

    /** The public key a keystore claims to hold, read without the password (e.g. to list accounts). */
    public static PublicKey publicKey(byte[] keystore) {
        return parse(keystore).publicKey();
    }

    // ---- crypto ----

    private static byte[] gcm(int mode, char[] password, ScryptParams kdf, byte[] salt, byte[] iv,
                              PublicKey publicKey, byte[] input) throws AEADBadTagException {
        byte[] pw = passwordBytes(password);
        byte[] key = SCrypt.generate(pw, salt, kdf.n(), kdf.r(), kdf.p(), KEY_LENGTH);
        Arrays.fill(pw, (byte) 0);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(publicKey));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot do AES-256-GCM", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] aad(PublicKey publicKey) {
        byte[] aad = new byte[AAD_DOMAIN.length + 1 + PublicKey.LENGTH];
        System.arraycopy(AAD_DOMAIN, 0, aad, 0, AAD_DOMAIN.length);
        aad[AAD_DOMAIN.length] = (byte) VERSION;
        System.arraycopy(publicKey.bytesUnsafe(), 0, aad, AAD_DOMAIN.length + 1, PublicKey.LENGTH);
        return aad;
    }

    /** UTF-8 without replacement: an unpaired surrogate would otherwise become '?' and collide with other passwords. */
    private static byte[] passwordBytes(char[] password) {
        ByteBuffer buf;
        try {
            buf = UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the password is not valid Unicode text (it has an unpaired surrogate)");
        }
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        if (buf.hasArray()) Arrays.fill(buf.array(), (byte) 0);
        return out;
    }

    // ---- parsing ----

    private record Contents(PublicKey publicKey, ScryptParams kdf, byte[] salt, byte[] iv, byte[] ciphertext) {}

    private static Contents parse(byte[] keystore) {
        if (keystore.length > MAX_KEYSTORE_BYTES) {
            throw malformed("keystore is " + keystore.length + " bytes, more than the " + MAX_KEYSTORE_BYTES
                    + " a keystore could need; is this the right file?");
        }
        JsonNode root;
        try {
            root = JSON.readTree(keystore);
        } catch (JacksonException e) {
            throw new KeystoreException(Reason.MALFORMED, "keystore is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new KeystoreException(Reason.MALFORMED, "keystore could not be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw malformed("keystore is not a JSON object");
        }
        // Version first, so a newer file says "unsupported version" rather than "unknown field".
        int version = intField(root, "version", "version");
        if (version != VERSION) {
            throw malformed("unsupported keystore version " + version + " (this build reads version " + VERSION + ")");
        }
        onlyFields(root, "", Set.of("version", "address", "publicKey", "kdf", "cipher", "ciphertext"));

        PublicKey publicKey = PublicKey.wrap(hexField(root, "publicKey", "publicKey", PublicKey.LENGTH));
        Address expected = publicKey.address();
        String addressText = textField(root, "address", "address");
        Address address;
        try {
            address = Address.parse(addressText);
        } catch (CodecException e) {
            throw malformed("keystore field 'address' is not an address: " + e.getMessage());
        }
        if (!address.equals(expected)) {
            throw malformed("keystore address " + address + " does not match its public key, which gives " + expected);
        }

        JsonNode kdfNode = objectField(root, "kdf");
        onlyFields(kdfNode, "kdf.", Set.of("name", "n", "r", "p", "salt"));
        String kdfName = textField(kdfNode, "name", "kdf.name");
        if (!KDF_NAME.equals(kdfName)) {
            throw malformed("unsupported kdf '" + kdfName + "' (only '" + KDF_NAME + "')");
        }
        ScryptParams kdf;
        try {
            kdf = new ScryptParams(intField(kdfNode, "n", "kdf.n"), intField(kdfNode, "r", "kdf.r"),
                    intField(kdfNode, "p", "kdf.p"));
        } catch (IllegalArgumentException e) {
            throw malformed("keystore kdf parameters refused: " + e.getMessage());
        }
        byte[] salt = hexField(kdfNode, "salt", "kdf.salt", SALT_LENGTH);

        JsonNode cipherNode = objectField(root, "cipher");
        onlyFields(cipherNode, "cipher.", Set.of("name", "iv"));
        String cipherName = textField(cipherNode, "name", "cipher.name");
        if (!CIPHER_NAME.equals(cipherName)) {
            throw malformed("unsupported cipher '" + cipherName + "' (only '" + CIPHER_NAME + "')");
        }
        byte[] iv = hexField(cipherNode, "iv", "cipher.iv", IV_LENGTH);
        byte[] ciphertext = hexField(root, "ciphertext", "ciphertext", CIPHERTEXT_LENGTH);
        return new Contents(publicKey, kdf, salt, iv, ciphertext);
    }

    private static JsonNode required(JsonNode obj, String name, String path) {
        JsonNode node = obj.get(name);
        if (node == null) throw malformed("keystore is missing field '" + path + "'");
        return node;
    }

    private static JsonNode objectField(JsonNode obj, String name) {
        JsonNode node = required(obj, name, name);
        if (!node.isObject()) throw malformed("keystore field '" + name + "' must be an object");
        return node;
    }

    private static int intField(JsonNode obj, String name, String path) {
        JsonNode node = required(obj, name, path);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw malformed("keystore field '" + path + "' must be an integer in int range, got " + node);
        }
        return node.intValue();
    }

    private static String textField(JsonNode obj, String name, String path) {
        JsonNode node = required(obj, name, path);
        if (!node.isTextual()) throw malformed("keystore field '" + path + "' must be a string, got " + node);
        return node.textValue();
    }

    private static byte[] hexField(JsonNode obj, String name, String path, int length) {
        byte[] bytes;
        try {
            bytes = Hex.decode(textField(obj, name, path));
        } catch (CodecException e) {
            throw malformed("keystore field '" + path + "' is not hex: " + e.getMessage());
        }
        if (bytes.length != length) {
            throw malformed("keystore field '" + path + "' must be " + length + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    private static void onlyFields(JsonNode obj, String prefix, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) throw malformed("keystore has unknown field '" + prefix + name + "'");
        }
    }

    private static KeystoreException malformed(String message) {
        return new KeystoreException(Reason.MALFORMED, message);
    }
}
