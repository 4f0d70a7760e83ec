package io.maaschain.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.KeystoreException.Reason;
import java.security.SecureRandom;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeystoreTest {
    static final ScryptParams CHEAP = new ScryptParams(16, 8, 1);
    static final KeyPair KEY = KeyPair.fromSeed(Hex.decode("d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842"));
    static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    static final byte[] SALT = Hex.decode("000102030405060708090a0b0c0d0e0f");
    static final byte[] IV = Hex.decode("a0a1a2a3a4a5a6a7a8a9aaab");

    /**
     * Version 1 as written today. If this changes, files on users' disks stop opening: bump the version instead.
     * The ciphertext and address were computed independently with Python's hashlib.scrypt and cryptography's
     * AESGCM from the format described in {@link Keystore}'s javadoc.
     */
    static final String KNOWN_ANSWER = """
            {
              "version": 1,
              "address": "mc523f14c88d857ada46b97a5690d88cf978b9191f",
              "publicKey": "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1",
              "kdf": {"name": "scrypt", "n": 16, "r": 8, "p": 1, "salt": "000102030405060708090a0b0c0d0e0f"},
              "cipher": {"name": "aes-256-gcm", "iv": "a0a1a2a3a4a5a6a7a8a9aaab"},
              "ciphertext": "699cf8e13461e77a531ea3827028a08f1339a6721ef43ed6ad89ea9f90a7d068834842d34ea639e6223ba0cdb966f725"
            }
            """;

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void knownAnswer() {
        String json = new String(Keystore.encrypt(KEY, PASSWORD, CHEAP, SALT, IV), UTF_8);
        assertThat(json).isEqualTo(KNOWN_ANSWER);
        assertThat(Keystore.decrypt(json.getBytes(UTF_8), PASSWORD)).isEqualTo(KEY);
    }

    @Test
    void defaultCostRoundTripAndLayout() throws Exception {
        byte[] file = Keystore.encrypt(KEY, PASSWORD, new SecureRandom());
        JsonNode root = JSON.readTree(file);
        assertThat(root.get("version").intValue()).isEqualTo(1);
        assertThat(root.get("address").textValue()).isEqualTo(KEY.address().toString()).startsWith("mc");
        assertThat(root.get("publicKey").textValue()).isEqualTo(KEY.publicKey().toHex());
        JsonNode kdf = root.get("kdf");
        assertThat(kdf.get("name").textValue()).isEqualTo("scrypt");
        assertThat(kdf.get("n").intValue()).isEqualTo(131072);
        assertThat(kdf.get("r").intValue()).isEqualTo(8);
        assertThat(kdf.get("p").intValue()).isEqualTo(1);
        assertThat(kdf.get("salt").textValue()).hasSize(32);
        assertThat(root.get("cipher").get("name").textValue()).isEqualTo("aes-256-gcm");
        assertThat(root.get("cipher").get("iv").textValue()).hasSize(24);
        assertThat(root.get("ciphertext").textValue()).hasSize(2 * (32 + 16));

        assertThat(Keystore.decrypt(file, PASSWORD)).isEqualTo(KEY);
    }

    @Test
    void anyJsonLayoutOfTheSameFieldsDecrypts() throws Exception {
        // Readers parse JSON, not our exact text: re-serialised compactly with fields in another order still opens.
        JsonNode root = JSON.readTree(encrypt());
        var reordered = JSON.createObjectNode();
        for (String f : new String[] {"ciphertext", "cipher", "kdf", "publicKey", "address", "version"}) {
            reordered.set(f, root.get(f));
        }
        assertThat(Keystore.decrypt(JSON.writeValueAsBytes(reordered), PASSWORD)).isEqualTo(KEY);
    }

    @Test
    void freshSaltAndIvEachTime() {
        SecureRandom random = new SecureRandom();
        assertThat(Keystore.encrypt(KEY, PASSWORD, CHEAP, random)).isNotEqualTo(Keystore.encrypt(KEY, PASSWORD, CHEAP, random));
    }

    @Test
    void publicKeyIsReadableWithoutThePassword() {
        assertThat(Keystore.publicKey(encrypt())).isEqualTo(KEY.publicKey());
    }

    @Test
    void wrongPassword() {
        assertThatThrownBy(() -> Keystore.decrypt(encrypt(), "correct horse battery stapler".toCharArray()))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD_OR_CORRUPTED))
                .hasMessage("wrong password or corrupted keystore");
    }

    @Test
    void unicodePasswordsAreUtf8AndNotNormalised() {
        char[] composed = "caf\u00e9 \uD83D\uDD11".toCharArray();
        char[] decomposed = "cafe\u0301 \uD83D\uDD11".toCharArray();
        byte[] file = Keystore.encrypt(KEY, composed, CHEAP, new SecureRandom());
        assertThat(Keystore.decrypt(file, composed)).isEqualTo(KEY);
        assertWrongPassword(() -> Keystore.decrypt(file, decomposed));
    }

    @Test
    void unpairedSurrogateInThePasswordIsRefused() {
        assertThatThrownBy(() -> Keystore.encrypt(KEY, new char[] {'a', '\uD800'}, CHEAP, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
    }

    @Nested
    class Tampering {
        // Each of these changes what the tag covers (key derivation inputs, IV, ciphertext or AAD).
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "ciphertext first byte | \"ciphertext\": \"   | 0",
                "ciphertext tag        | \"ciphertext\": \"   | 95",
                "iv                    | \"iv\": \"           | 0",
                "salt                  | \"salt\": \"         | 31"})
        void flippedHexDigit(String what, String fieldPrefix, int digit) {
            String json = new String(encrypt(), UTF_8);
            int at = json.indexOf(fieldPrefix.strip()) + fieldPrefix.strip().length() + digit;
            char c = json.charAt(at);
            String tampered = json.substring(0, at) + (c == '0' ? '1' : '0') + json.substring(at + 1);
            assertWrongPassword(() -> Keystore.decrypt(tampered.getBytes(UTF_8), PASSWORD));
        }

        @Test
        void kdfCostChanged() {
            String json = new String(encrypt(), UTF_8).replace("\"n\": 16,", "\"n\": 32,");
            assertWrongPassword(() -> Keystore.decrypt(json.getBytes(UTF_8), PASSWORD));
        }

        @Test
        void publicKeySwappedConsistently() {
            // Swap in another key and its matching address: parsing passes, the AAD no longer matches.
            PublicKey other = KeyPair.fromSeed(new byte[32]).publicKey();
            String json = new String(encrypt(), UTF_8)
                    .replace(KEY.publicKey().toHex(), other.toHex())
                    .replace(KEY.address().toString(), other.address().toString());
            assertThat(Keystore.publicKey(json.getBytes(UTF_8))).isEqualTo(other);
            assertWrongPassword(() -> Keystore.decrypt(json.getBytes(UTF_8), PASSWORD));
        }

        @Test
        void addressAloneChanged() {
            String other = KeyPair.fromSeed(new byte[32]).address().toString();
            String json = new String(encrypt(), UTF_8).replace(KEY.address().toString(), other);
            assertMalformed(json).hasMessageContaining("does not match its public key");
        }
    }

    @Nested
    class Malformed {
        @Test
        void notJson() {
            assertMalformed("not json").hasMessageContaining("not valid JSON");
            assertMalformed("").hasMessageContaining("not a JSON object");
            assertMalformed("[1, 2]").hasMessageContaining("not a JSON object");
        }

        @Test
        void trailingGarbage() {
            assertMalformed(valid() + "{}").hasMessageContaining("not valid JSON");
        }

        @Test
        void duplicateField() {
            assertMalformed(valid().replace("\"version\": 1,", "\"version\": 1, \"version\": 1,"))
                    .hasMessageContaining("Duplicate field 'version'");
        }

        @Test
        void unsupportedVersion() {
            assertMalformed(valid().replace("\"version\": 1", "\"version\": 2"))
                    .hasMessage("unsupported keystore version 2 (this build reads version 1)");
        }

        @Test
        void missingField() {
            assertMalformed(valid().replaceFirst("\"ciphertext\": \"[0-9a-f]+\"", "\"x\": 0").replace(",\n  \"x\": 0", ""))
                    .hasMessage("keystore is missing field 'ciphertext'");
        }

        @Test
        void unknownField() {
            assertMalformed(valid().replace("\"version\": 1,", "\"version\": 1, \"comment\": \"hi\","))
                    .hasMessage("keystore has unknown field 'comment'");
            assertMalformed(valid().replace("\"name\": \"scrypt\",", "\"name\": \"scrypt\", \"dklen\": 32,"))
                    .hasMessage("keystore has unknown field 'kdf.dklen'");
        }

        @Test
        void unsupportedAlgorithms() {
            assertMalformed(valid().replace("\"scrypt\"", "\"pbkdf2\"")).hasMessageContaining("unsupported kdf 'pbkdf2'");
            assertMalformed(valid().replace("\"aes-256-gcm\"", "\"aes-128-ctr\"")).hasMessageContaining("unsupported cipher 'aes-128-ctr'");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "\"n\": 1073741824 | more than the 256 MiB limit",
                "\"n\": 15         | power of two",
                "\"n\": 0          | power of two",
                "\"n\": -16        | power of two",
                "\"r\": 2147483647 | more than the 256 MiB limit",
                "\"r\": 0          | r must be at least 1",
                "\"p\": 1000000000 | costs more than the limit",
                "\"p\": 0          | p must be at least 1",
                "\"n\": 16.0       | must be an integer",
                "\"n\": \"16\"     | must be an integer",
                "\"n\": 99999999999999999999 | must be an integer in int range"})
        void kdfParametersOutOfBounds(String replacement, String message) {
            String field = replacement.substring(0, replacement.indexOf(':') + 1);
            String json = valid().replaceFirst(field + " [0-9]+", replacement);
            assertMalformed(json).hasMessageContaining(message);
        }

        @Test
        void wrongLengths() {
            assertMalformed(valid().replaceFirst("\"salt\": \"[0-9a-f]+\"", "\"salt\": \"00\""))
                    .hasMessage("keystore field 'kdf.salt' must be 16 bytes, got 1");
            assertMalformed(valid().replaceFirst("\"iv\": \"[0-9a-f]+\"", "\"iv\": \"abc\""))
                    .hasMessageContaining("keystore field 'cipher.iv' is not hex");
            assertMalformed(valid().replaceFirst("\"ciphertext\": \"([0-9a-f]+)\"", "\"ciphertext\": \"$100\""))
                    .hasMessage("keystore field 'ciphertext' must be 48 bytes, got 49");
            assertMalformed(valid().replaceFirst("\"publicKey\": \"[0-9a-f]+\"", "\"publicKey\": \"zz\""))
                    .hasMessageContaining("keystore field 'publicKey' is not hex");
        }

        @Test
        void wrongTypes() {
            assertMalformed(valid().replaceFirst("\"kdf\": \\{[^}]*\\}", "\"kdf\": \"scrypt\""))
                    .hasMessage("keystore field 'kdf' must be an object");
            assertMalformed(valid().replaceFirst("\"address\": \"[0-9a-z]+\"", "\"address\": 7"))
                    .hasMessage("keystore field 'address' must be a string, got 7");
        }

        @Test
        void hugeFile() {
            assertMalformed(valid() + " ".repeat(20_000)).hasMessageContaining("is this the right file?");
        }

        private String valid() {
            return new String(encrypt(), UTF_8);
        }
    }

    @Test
    void scryptParamsBounds() {
        assertThat(ScryptParams.DEFAULT.memoryBytes()).isEqualTo(128L << 20);
        assertThat(new ScryptParams(1 << 18, 8, 1).memoryBytes()).isEqualTo(ScryptParams.MAX_MEMORY_BYTES);
        assertThatThrownBy(() -> new ScryptParams(1 << 19, 8, 1)).hasMessageContaining("256 MiB limit");
        assertThatThrownBy(() -> new ScryptParams(1 << 16, 1, 1)).hasMessageContaining("below 65536 when r is 1");
        assertThatThrownBy(() -> new ScryptParams(1 << 17, 8, 9)).hasMessageContaining("costs more than the limit");
    }

    static byte[] encrypt() {
        return Keystore.encrypt(KEY, PASSWORD, CHEAP, SALT, IV);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertMalformed(String json) {
        return assertThatThrownBy(() -> Keystore.decrypt(json.getBytes(UTF_8), PASSWORD))
                .isInstanceOfSatisfying(KeystoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    static void assertWrongPassword(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD_OR_CORRUPTED))
                .hasMessage("wrong password or corrupted keystore");
    }
}
