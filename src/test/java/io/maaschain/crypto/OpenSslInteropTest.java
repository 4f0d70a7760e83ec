package io.maaschain.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maaschain.codec.Hex;
import io.maaschain.testing.Prerequisite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our PEM, signatures and keystore KDF against the {@code openssl} command line (OpenSSL 3.0 or later). */
class OpenSslInteropTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    /** Why interop cannot be tested here, or null if it can; probed once per run. */
    private static String unavailable;
    private static boolean probed;

    // Per test rather than in @BeforeAll, so each test is reported with the reason (skipped, or failed under CI=true).
    @BeforeEach
    void requireOpenSsl() throws InterruptedException {
        synchronized (OpenSslInteropTest.class) {
            if (!probed) {
                unavailable = probeOpenSsl();
                probed = true;
            }
        }
        Prerequisite.require(unavailable);
    }

    private static String probeOpenSsl() throws InterruptedException {
        Result version;
        try {
            version = run(null, "openssl", "version");
        } catch (IOException e) {
            return "openssl not installed: interop not tested";
        }
        Matcher m = Pattern.compile("^OpenSSL (\\d+)\\.").matcher(version.output());
        if (version.exit() != 0 || !m.find() || Integer.parseInt(m.group(1)) < 3) {
            return "'openssl version' says '" + version.output().strip()
                    + "'; pkeyutl -rawin needs OpenSSL 3.0 or later: interop not tested";
        }
        return null;
    }

    @Test
    void importsAnOpenSslKeyAndVerifiesItsSignatures() throws Exception {
        ok("openssl", "genpkey", "-algorithm", "ed25519", "-out", "k.pem");
        ok("openssl", "pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem");
        byte[] message = randomMessage();
        Files.write(dir.resolve("msg"), message);
        ok("openssl", "pkeyutl", "-sign", "-rawin", "-inkey", "k.pem", "-in", "msg", "-out", "sig");

        KeyPair pair = KeyPem.privateKeyFromPem(read("k.pem"));
        PublicKey publicKey = KeyPem.publicKeyFromPem(read("pub.pem"));
        Signature signature = Signature.wrap(Files.readAllBytes(dir.resolve("sig")));

        assertThat(publicKey).isEqualTo(pair.publicKey());
        assertThat(publicKey.verify(message, signature)).isTrue();
        assertThat(pair.sign(message)).as("Ed25519 is deterministic").isEqualTo(signature);
        // Our export of the same key is the very text OpenSSL wrote.
        assertThat(KeyPem.privateKeyToPem(pair)).isEqualTo(read("k.pem"));
        assertThat(KeyPem.publicKeyToPem(publicKey)).isEqualTo(read("pub.pem"));
    }

    @Test
    void openSslUsesOurExportedKeys() throws Exception {
        KeyPair pair = KeyPair.generate(RANDOM);
        byte[] message = randomMessage();
        Files.writeString(dir.resolve("ours.pem"), KeyPem.privateKeyToPem(pair), US_ASCII);
        Files.writeString(dir.resolve("ours.pub.pem"), KeyPem.publicKeyToPem(pair.publicKey()), US_ASCII);
        Files.write(dir.resolve("msg"), message);
        Files.write(dir.resolve("sig"), pair.sign(message).toBytes());

        Result verified = ok("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "ours.pub.pem", "-rawin",
                "-in", "msg", "-sigfile", "sig");
        assertThat(verified.output()).contains("Signature Verified Successfully");

        // Negative control: the same invocation must fail for a different message, or the check above is empty.
        byte[] other = message.clone();
        other[0] ^= 1;
        Files.write(dir.resolve("other"), other);
        Result refused = run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "ours.pub.pem", "-rawin",
                "-in", "other", "-sigfile", "sig");
        assertThat(refused.exit()).as(refused.output()).isNotZero();

        ok("openssl", "pkeyutl", "-sign", "-rawin", "-inkey", "ours.pem", "-in", "msg", "-out", "openssl.sig");
        assertThat(Files.readAllBytes(dir.resolve("openssl.sig"))).isEqualTo(pair.sign(message).toBytes());

        ok("openssl", "pkey", "-in", "ours.pem", "-pubout", "-out", "derived.pub.pem");
        assertThat(read("derived.pub.pem")).isEqualTo(KeyPem.publicKeyToPem(pair.publicKey()));
    }

    @Test
    void refusesOpenSslKeysOfOtherAlgorithms() throws Exception {
        ok("openssl", "genpkey", "-algorithm", "x25519", "-out", "x.pem");
        ok("openssl", "pkey", "-in", "x.pem", "-pubout", "-out", "x.pub.pem");
        assertThatThrownBy(() -> KeyPem.privateKeyFromPem(read("x.pem")))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("expected an Ed25519 key (OID 1.3.101.112), got a key of type X25519 (OID 1.3.101.110)");
        assertThatThrownBy(() -> KeyPem.publicKeyFromPem(read("x.pub.pem")))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("got a key of type X25519");

        ok("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem");
        assertThatThrownBy(() -> KeyPem.privateKeyFromPem(read("ec.pem")))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("got a key of type EC (OID 1.2.840.10045.2.1)");
    }

    /** Decrypts our keystore from its documented format, with OpenSSL's scrypt and the JDK's AES-GCM. */
    @Test
    void keystoreFollowsItsDocumentedFormat() throws Exception {
        KeyPair pair = KeyPair.generate(RANDOM);
        String password = "pässwörd \uD83D\uDD11";
        byte[] file = Keystore.encrypt(pair, password.toCharArray(), new ScryptParams(1024, 8, 2), RANDOM);
        JsonNode root = new ObjectMapper().readTree(file);
        JsonNode kdf = root.get("kdf");

        ok("openssl", "kdf", "-keylen", "32", "-binary", "-out", "key",
                "-kdfopt", "hexpass:" + Hex.encode(password.getBytes(UTF_8)),
                "-kdfopt", "hexsalt:" + kdf.get("salt").textValue(),
                "-kdfopt", "n:" + kdf.get("n").intValue(),
                "-kdfopt", "r:" + kdf.get("r").intValue(),
                "-kdfopt", "p:" + kdf.get("p").intValue(),
                "SCRYPT");
        byte[] key = Files.readAllBytes(dir.resolve("key"));
        assertThat(key).hasSize(32);

        byte[] publicKey = Hex.decode(root.get("publicKey").textValue());
        byte[] aad = ByteBuffer.allocate(18 + 1 + 32).put("maaschain-keystore".getBytes(US_ASCII)).put((byte) 1)
                .put(publicKey).array();
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(128, Hex.decode(root.get("cipher").get("iv").textValue())));
        gcm.updateAAD(aad);
        byte[] seed = gcm.doFinal(Hex.decode(root.get("ciphertext").textValue()));

        assertThat(KeyPair.fromSeed(seed)).isEqualTo(pair);
        assertThat(publicKey).isEqualTo(pair.publicKey().toBytes());
    }

    // ---- helpers ----

    record Result(int exit, String output) {}

    private static byte[] randomMessage() {
        byte[] message = new byte[1 + RANDOM.nextInt(300)];
        RANDOM.nextBytes(message);
        return message;
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), US_ASCII);
    }

    private Result ok(String... command) throws Exception {
        Result r = run(dir, command);
        if (r.exit() != 0) fail(String.join(" ", command) + " exited with " + r.exit() + ":\n" + r.output());
        return r;
    }

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        if (dir != null) builder.directory(dir.toFile());
        Process process = builder.start();
        process.getOutputStream().close(); // nothing on stdin, so a command that wants input fails instead of hanging
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(output, UTF_8));
    }
}
