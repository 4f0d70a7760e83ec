package io.maaschain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.assertj.core.api.AbstractThrowableAssert;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPemTest {
    // RFC 8410 section 10.3 private key and its section 10.1 public key, as OpenSSL prints them.
    static final String RFC8410_PRIVATE = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
            -----END PRIVATE KEY-----
            """;
    static final String RFC8410_PUBLIC = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
            -----END PUBLIC KEY-----
            """;
    static final String RFC8410_SEED = "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842";
    static final String RFC8410_PUBLIC_KEY = "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";

    static final KeyPair KEY = KeyPair.fromSeed(Hex.decode(RFC8410_SEED));

    @Test
    void importsTheRfc8410Examples() {
        assertThat(KeyPem.privateKeyFromPem(RFC8410_PRIVATE)).isEqualTo(KEY);
        assertThat(KEY.publicKey().toHex()).isEqualTo(RFC8410_PUBLIC_KEY);
        assertThat(KeyPem.publicKeyFromPem(RFC8410_PUBLIC)).isEqualTo(KEY.publicKey());
    }

    @Test
    void exportsExactlyWhatOpenSslWrites() {
        assertThat(KeyPem.privateKeyToPem(KEY)).isEqualTo(RFC8410_PRIVATE);
        assertThat(KeyPem.publicKeyToPem(KEY.publicKey())).isEqualTo(RFC8410_PUBLIC);
        assertThat(Hex.encode(KeyPem.privateKeyToDer(KEY))).isEqualTo("302e020100300506032b657004220420" + RFC8410_SEED);
        assertThat(Hex.encode(KeyPem.publicKeyToDer(KEY.publicKey()))).isEqualTo("302a300506032b6570032100" + RFC8410_PUBLIC_KEY);
    }

    @Test
    void toleratesCrlfAndSurroundingWhitespace() {
        String crlf = "\n  " + RFC8410_PRIVATE.replace("\n", "\r\n") + "\r\n\n";
        assertThat(KeyPem.privateKeyFromPem(crlf)).isEqualTo(KEY);
    }

    @Test
    void acceptsAVersion2KeyCarryingItsOwnPublicKey() throws Exception {
        // BouncyCastle's factory writes the OneAsymmetricKey form with the public key embedded.
        byte[] der = PrivateKeyInfoFactory.createPrivateKeyInfo(new Ed25519PrivateKeyParameters(KEY.seed()))
                .getEncoded(ASN1Encoding.DER);
        assertThat(der[4]).as("version 1 (v2)").isEqualTo((byte) 1);
        assertThat(KeyPem.privateKeyFromDer(der)).isEqualTo(KEY);
    }

    @Nested
    class MalformedPem {
        @ParameterizedTest
        @ValueSource(strings = {"", "   \n\t "})
        void empty(String text) {
            assertPrivate(text).hasMessageContaining("PEM text is empty");
        }

        @Test
        void notPemAtAll() {
            assertPrivate("hello world").hasMessage("not PEM: expected the text to start with '-----BEGIN PRIVATE KEY-----'");
        }

        @Test
        void neverQuotesKeyMaterial() {
            String body = "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC";
            assertPrivate(body).message().doesNotContain("MC4CAQAw").doesNotContain("INTuctv5");
            assertPrivate(body + "\n-----END PRIVATE KEY-----").message().doesNotContain("INTuctv5");
        }

        @Test
        void truncatedWithoutEndLine() {
            String truncated = RFC8410_PRIVATE.substring(0, RFC8410_PRIVATE.indexOf("-----END"));
            assertPrivate(truncated).hasMessageContaining("truncated PEM: no '-----END PRIVATE KEY-----' line");
        }

        @Test
        void truncatedInsideTheBase64() {
            String cut = RFC8410_PRIVATE.replace("qI9EdVhC\n", "\n");
            assertPrivate(cut).hasMessageContaining("PKCS#8 PrivateKeyInfo");
        }

        @Test
        void truncatedTheLastLine() {
            assertPrivate(RFC8410_PRIVATE.substring(0, RFC8410_PRIVATE.length() - 8))
                    .hasMessageContaining("truncated or malformed PEM end line")
                    .hasMessageContaining("got '-----END PRIVATE K'");
        }

        @Test
        void garbageBase64() {
            assertPrivate("-----BEGIN PRIVATE KEY-----\n!!!!not*base64$$$\n-----END PRIVATE KEY-----\n")
                    .hasMessageContaining("PEM body is not valid base64");
        }

        @Test
        void base64OfGarbageBytes() {
            String body = Base64.getEncoder().encodeToString("this is not DER at all".getBytes());
            assertPrivate("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n")
                    .hasMessageContaining("DER-encoded PKCS#8 PrivateKeyInfo");
        }

        @Test
        void nonCanonicalBase64Padding() {
            // 'E' -> 'F' only sets a padding bit: lenient decoders give the same bytes, we refuse the second spelling.
            String sloppy = RFC8410_PUBLIC.replace("rXAxZuE=", "rXAxZuF=");
            assertThatThrownBy(() -> KeyPem.publicKeyFromPem(sloppy))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("not canonical base64");
        }

        @Test
        void emptyBlock() {
            assertPrivate("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n").hasMessageContaining("no content");
        }

        @Test
        void trailingGarbageAfterTheBlock() {
            assertPrivate(RFC8410_PRIVATE + "rm -rf /\n").hasMessageContaining("trailing text after '-----END PRIVATE KEY-----'");
        }

        @Test
        void twoBlocks() {
            assertPrivate(RFC8410_PRIVATE + RFC8410_PRIVATE).hasMessageContaining("only one PEM block");
        }

        @Test
        void leadingGarbage() {
            assertPrivate("Bag Attributes\n" + RFC8410_PRIVATE).hasMessageContaining("not PEM");
        }

        @Test
        void mismatchedEndLine() {
            assertPrivate(RFC8410_PRIVATE.replace("END PRIVATE KEY", "END PUBLIC KEY"))
                    .hasMessageContaining("expected '-----END PRIVATE KEY-----', got '-----END PUBLIC KEY-----'");
        }

        @Test
        void publicKeyWhereAPrivateKeyIsExpected() {
            assertPrivate(RFC8410_PUBLIC).hasMessageContaining("expected a PEM 'PRIVATE KEY' block, got '-----BEGIN PUBLIC KEY-----'");
            assertThatThrownBy(() -> KeyPem.publicKeyFromPem(RFC8410_PRIVATE))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("expected a PEM 'PUBLIC KEY' block");
        }

        @Test
        void encryptedPkcs8() {
            assertPrivate(RFC8410_PRIVATE.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"))
                    .hasMessageContaining("encrypted PEM is not supported");
        }

        @Test
        void pemHeaders() {
            assertPrivate(RFC8410_PRIVATE.replace("-----\nMC4", "-----\nProc-Type: 4,ENCRYPTED\nMC4"))
                    .hasMessage("PEM headers are not supported (encrypted legacy key?): 'Proc-Type'");
        }

        @Test
        void hugeInput() {
            assertPrivate(RFC8410_PRIVATE + " ".repeat(5000)).hasMessageContaining("is this the right file?");
        }

        @Test
        void isACodecException() {
            assertThatThrownBy(() -> KeyPem.privateKeyFromPem("x")).isInstanceOf(CodecException.class);
        }

        private AbstractThrowableAssert<?, ? extends Throwable> assertPrivate(String pem) {
            return assertThatThrownBy(() -> KeyPem.privateKeyFromPem(pem)).isInstanceOf(KeyFormatException.class);
        }
    }

    @Nested
    class MalformedDer {
        final byte[] good = KeyPem.privateKeyToDer(KEY);

        @Test
        void trailingBytes() {
            byte[] longer = Arrays.copyOf(good, good.length + 2);
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(longer))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessage("2 trailing bytes after the DER-encoded PKCS#8 PrivateKeyInfo");
            byte[] pub = KeyPem.publicKeyToDer(KEY.publicKey());
            assertThatThrownBy(() -> KeyPem.publicKeyFromDer(Arrays.copyOf(pub, pub.length + 1)))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessage("1 trailing bytes after the DER-encoded X.509 SubjectPublicKeyInfo");
        }

        @Test
        void truncated() {
            for (int len = 0; len < good.length; len++) {
                byte[] cut = Arrays.copyOf(good, len);
                assertThatThrownBy(() -> KeyPem.privateKeyFromDer(cut))
                        .as("first %d bytes", len)
                        .isInstanceOf(KeyFormatException.class)
                        .hasMessageContaining("PKCS#8 PrivateKeyInfo");
            }
        }

        @Test
        void berLengthIsNotDer() {
            // Same content, but the outer length in long form (0x81 0x2e): valid BER, a second encoding of one key.
            byte[] ber = new byte[good.length + 1];
            ber[0] = 0x30;
            ber[1] = (byte) 0x81;
            System.arraycopy(good, 1, ber, 2, good.length - 1);
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(ber))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("BER, not DER");
        }

        @Test
        void x25519Key() throws Exception {
            byte[] der = PrivateKeyInfoFactory.createPrivateKeyInfo(new X25519PrivateKeyParameters(new SecureRandom()))
                    .getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessage("expected an Ed25519 key (OID 1.3.101.112), got a key of type X25519 (OID 1.3.101.110)");
            byte[] pub = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
                    new X25519PrivateKeyParameters(new SecureRandom()).generatePublicKey()).getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.publicKeyFromDer(pub))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("got a key of type X25519");
        }

        @Test
        void ed448Key() throws Exception {
            byte[] der = PrivateKeyInfoFactory.createPrivateKeyInfo(new Ed448PrivateKeyParameters(new SecureRandom()))
                    .getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("got a key of type Ed448 (OID 1.3.101.113)");
        }

        @Test
        void unknownAlgorithm() throws Exception {
            byte[] der = new PrivateKeyInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.3.4")),
                    new DEROctetString(KEY.seed())).getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("unknown algorithm (OID 1.2.3.4)");
        }

        @Test
        void algorithmParametersPresent() throws Exception {
            AlgorithmIdentifier withNull = new AlgorithmIdentifier(new ASN1ObjectIdentifier(KeyPem.ED25519_OID), DERNull.INSTANCE);
            byte[] der = new PrivateKeyInfo(withNull, new DEROctetString(KEY.seed())).getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("must have no parameters");
        }

        @Test
        void privateKeyOfTheWrongLength() throws Exception {
            byte[] der = new PrivateKeyInfo(ed25519(), new DEROctetString(new byte[31])).getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("OCTET STRING of exactly 32 bytes");
        }

        @Test
        void embeddedPublicKeyOfAnotherKey() throws Exception {
            byte[] other = KeyPair.fromSeed(new byte[32]).publicKey().toBytes();
            byte[] der = new PrivateKeyInfo(ed25519(), new DEROctetString(KEY.seed()), null, other)
                    .getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("does not belong to its private key");
        }

        @Test
        void publicKeyOfTheWrongLength() throws Exception {
            byte[] der = new SubjectPublicKeyInfo(ed25519(), new byte[31]).getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.publicKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("exactly 256 bits, got 248 bits");
        }

        @Test
        void publicKeyWithPadBits() throws Exception {
            byte[] der = new SubjectPublicKeyInfo(ed25519(), new DERBitString(KEY.publicKey().toBytes(), 1))
                    .getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.publicKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("exactly 256 bits, got 255 bits");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                // the identity point: small order
                "0100000000000000000000000000000000000000000000000000000000000000",
                // y = p, a non-canonical encoding of y = 0
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                // y = 2 is not on the curve
                "0200000000000000000000000000000000000000000000000000000000000000"})
        void publicKeyThatIsNotAUsablePoint(String hex) throws Exception {
            byte[] der = new SubjectPublicKeyInfo(ed25519(), Hex.decode(hex)).getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> KeyPem.publicKeyFromDer(der))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("not a valid Ed25519 point");
        }

        @Test
        void notASequence() {
            assertThatThrownBy(() -> KeyPem.publicKeyFromDer(new byte[] {0x04, 0x01, 0x00}))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("expected a SEQUENCE");
        }

        @Test
        void sequenceOfTheWrongShape() {
            assertThatThrownBy(() -> KeyPem.privateKeyFromDer(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("not a PKCS#8 PrivateKeyInfo");
        }

        private static AlgorithmIdentifier ed25519() {
            return new AlgorithmIdentifier(new ASN1ObjectIdentifier(KeyPem.ED25519_OID));
        }
    }
}
