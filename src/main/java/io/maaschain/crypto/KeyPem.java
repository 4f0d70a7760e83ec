package io.maaschain.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Ed25519 keys in the forms OpenSSL reads and writes (RFC 8410): the private key as an unencrypted PKCS#8
 * {@code PRIVATE KEY}, the public key as an X.509 SubjectPublicKeyInfo {@code PUBLIC KEY}.
 *
 * <p>Import is strict: exactly one PEM block of the expected type and nothing around it, canonical base64,
 * DER (not BER) with no trailing bytes, OID 1.3.101.112 without parameters, and a public key that is a valid
 * curve point. A key file that is subtly wrong should fail loudly at import, not at the first signature.
 */
public final class KeyPem {
    public static final String PRIVATE_KEY_TYPE = "PRIVATE KEY";
    public static final String PUBLIC_KEY_TYPE = "PUBLIC KEY";

    /** An Ed25519 PEM is about 120 characters; a larger input is some other file passed by mistake. */
    private static final int MAX_PEM_CHARS = 4096;

    /** id-Ed25519 (RFC 8410). BouncyCastle's own constant lives in an internal package, so it is spelled out. */
    public static final String ED25519_OID = "1.3.101.112";

    private static final ASN1ObjectIdentifier ED25519_ID = new ASN1ObjectIdentifier(ED25519_OID);
    private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(ED25519_ID);
    private static final int CURVE_PRIVATE_KEY_DER_LENGTH = 2 + KeyPair.SEED_LENGTH;

    // Only used to name the algorithm in an error message, so a user who passed an RSA or X25519 key sees why.
    private static final Map<String, String> KNOWN_ALGORITHMS = Map.of(
            "1.3.101.110", "X25519",
            "1.3.101.111", "X448",
            "1.3.101.113", "Ed448",
            "1.2.840.10045.2.1", "EC",
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSA-PSS",
            "1.2.840.10040.4.1", "DSA");

    private KeyPem() {}

    // ---- export ----

    public static String privateKeyToPem(KeyPair key) {
        return toPem(PRIVATE_KEY_TYPE, privateKeyToDer(key));
    }

    public static String publicKeyToPem(PublicKey key) {
        return toPem(PUBLIC_KEY_TYPE, publicKeyToDer(key));
    }

    /**
     * PKCS#8 version 1 without the optional public key: byte-for-byte what {@code openssl genpkey} writes.
     * BouncyCastle's PrivateKeyInfoFactory would add the public key (a version 2 OneAsymmetricKey), which
     * older tools reject.
     */
    public static byte[] privateKeyToDer(KeyPair key) {
        byte[] seed = key.seed();
        try {
            return new PrivateKeyInfo(ED25519, new DEROctetString(seed)).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER-encoding an Ed25519 PrivateKeyInfo failed", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    public static byte[] publicKeyToDer(PublicKey key) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(new Ed25519PublicKeyParameters(key.toBytes()))
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER-encoding an Ed25519 SubjectPublicKeyInfo failed", e);
        }
    }

    // ---- import ----

    /** Reads a PKCS#8 {@code PRIVATE KEY} PEM block. */
    public static KeyPair privateKeyFromPem(String pem) {
        return privateKeyFromDer(fromPem(pem, PRIVATE_KEY_TYPE));
    }

    /** Reads an X.509 SubjectPublicKeyInfo {@code PUBLIC KEY} PEM block. */
    public static PublicKey publicKeyFromPem(String pem) {
        return publicKeyFromDer(fromPem(pem, PUBLIC_KEY_TYPE));
    }

    public static KeyPair privateKeyFromDer(byte[] der) {
        String what = "PKCS#8 PrivateKeyInfo";
        ASN1Sequence seq = parseDer(der, what);
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(seq);
        } catch (RuntimeException e) {
            throw new KeyFormatException("not a " + what + ": " + e.getMessage(), e);
        }
        requireEd25519(info.getPrivateKeyAlgorithm());

        // RFC 8410 section 7: the privateKey OCTET STRING wraps a CurvePrivateKey, itself an OCTET STRING of 32 bytes.
        byte[] inner = info.getPrivateKey().getOctets();
        if (inner.length != CURVE_PRIVATE_KEY_DER_LENGTH || inner[0] != 0x04 || inner[1] != KeyPair.SEED_LENGTH) {
            throw new KeyFormatException("the Ed25519 private key must be an OCTET STRING of exactly 32 bytes "
                    + "(RFC 8410 CurvePrivateKey), got " + inner.length + " bytes of other content");
        }
        byte[] seed;
        try {
            AsymmetricKeyParameter params = PrivateKeyFactory.createKey(info);
            if (!(params instanceof Ed25519PrivateKeyParameters ed)) {
                throw new KeyFormatException("the key did not decode as an Ed25519 private key");
            }
            seed = ed.getEncoded();
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyFormatException("the Ed25519 private key does not decode: " + e.getMessage(), e);
        }
        KeyPair pair = KeyPair.fromSeed(seed);
        Arrays.fill(seed, (byte) 0);

        // A version 2 key may carry its public key; a mismatch means the file was assembled from two keys.
        if (info.hasPublicKey()) {
            ASN1BitString embedded = info.getPublicKeyData();
            if (embedded.getPadBits() != 0 || !Arrays.equals(embedded.getOctets(), pair.publicKey().toBytes())) {
                throw new KeyFormatException("the public key embedded in the PKCS#8 does not belong to its private key");
            }
        }
        return pair;
    }

    public static PublicKey publicKeyFromDer(byte[] der) {
        String what = "X.509 SubjectPublicKeyInfo";
        ASN1Sequence seq = parseDer(der, what);
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(seq);
        } catch (RuntimeException e) {
            throw new KeyFormatException("not an " + what + ": " + e.getMessage(), e);
        }
        requireEd25519(spki.getAlgorithm());

        ASN1BitString bits = spki.getPublicKeyData();
        int bitLength = bits.getBytes().length * 8 - bits.getPadBits();
        if (bits.getPadBits() != 0 || bitLength != PublicKey.LENGTH * 8) {
            throw new KeyFormatException("the Ed25519 public key must be a BIT STRING of exactly 256 bits, got "
                    + bitLength + " bits");
        }
        // An off-curve key verifies nothing, and a small-order key has no secret behind it: signatures that
        // "verify" under it can be made by anyone. Refuse both here instead of at the first signature check.
        if (!Ed25519.validatePublicKeyFull(bits.getOctets(), 0)) {
            throw new KeyFormatException("the public key is not a valid Ed25519 point "
                    + "(not on the curve, not canonically encoded, or of small order)");
        }
        byte[] raw;
        try {
            AsymmetricKeyParameter params = PublicKeyFactory.createKey(spki);
            if (!(params instanceof Ed25519PublicKeyParameters ed)) {
                throw new KeyFormatException("the key did not decode as an Ed25519 public key");
            }
            raw = ed.getEncoded();
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyFormatException("the Ed25519 public key does not decode: " + e.getMessage(), e);
        }
        return PublicKey.wrap(raw);
    }

    // ---- PEM and DER framing ----

    private static String toPem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to a string failed", e);
        }
        // PemWriter ends lines with System.lineSeparator(); a key file must be the same bytes on every platform.
        return out.toString().replace("\r\n", "\n");
    }

    private static byte[] fromPem(String pem, String type) {
        if (pem.length() > MAX_PEM_CHARS) {
            throw new KeyFormatException("PEM text is " + pem.length() + " characters, more than the " + MAX_PEM_CHARS
                    + " an Ed25519 key could need; is this the right file?");
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        String text = pem.strip();
        if (text.isEmpty()) {
            throw new KeyFormatException("PEM text is empty; expected a '" + begin + "' block");
        }
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) lines[i] = lines[i].strip();

        // PemReader skips text around the block and tolerates stray markers; check the framing ourselves first.
        // Messages quote marker lines only: any other line may be key material, and messages end up in logs.
        if (!lines[0].startsWith("-----BEGIN ")) {
            throw new KeyFormatException("not PEM: expected the text to start with '" + begin + "'");
        }
        if (!lines[0].equals(begin)) {
            throw new KeyFormatException("expected a PEM '" + type + "' block, got '" + preview(lines[0]) + "'"
                    + hintFor(lines[0]));
        }
        int endLine = -1;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith("-----")) {
                endLine = i;
                break;
            }
            int colon = lines[i].indexOf(':');
            if (colon >= 0) {
                throw new KeyFormatException("PEM headers are not supported (encrypted legacy key?): '"
                        + preview(lines[i].substring(0, colon)) + "'");
            }
        }
        if (endLine < 0) {
            throw new KeyFormatException("truncated PEM: no '" + end + "' line");
        }
        if (!lines[endLine].equals(end)) {
            throw new KeyFormatException("truncated or malformed PEM end line: expected '" + end + "', got '"
                    + preview(lines[endLine]) + "'");
        }
        if (endLine != lines.length - 1) {
            throw new KeyFormatException("trailing text after '" + end + "': only one PEM block is allowed");
        }
        if (endLine == 1) {
            throw new KeyFormatException("PEM block '" + type + "' has no content");
        }

        PemObject obj;
        try (PemReader reader = new PemReader(new StringReader(text))) {
            obj = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("PEM body is not valid base64: " + e.getMessage(), e);
        }
        if (obj == null || !type.equals(obj.getType())) {
            throw new KeyFormatException("PEM block '" + type + "' could not be read");
        }
        byte[] der = obj.getContent();
        // The decoder accepts non-zero padding bits and odd grouping; one key should have one text form.
        String body = String.join("", Arrays.copyOfRange(lines, 1, endLine));
        if (!Base64.getEncoder().encodeToString(der).equals(body)) {
            throw new KeyFormatException("PEM body is not canonical base64 (bad padding or stray characters)");
        }
        return der;
    }

    private static ASN1Sequence parseDer(byte[] der, String what) {
        if (der.length == 0) {
            throw new KeyFormatException("empty input where a DER-encoded " + what + " was expected");
        }
        ASN1Primitive prim;
        int trailing;
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            prim = in.readObject();
            trailing = in.available();
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("not a DER-encoded " + what + ": " + e.getMessage(), e);
        }
        if (trailing > 0) {
            throw new KeyFormatException(trailing + " trailing bytes after the DER-encoded " + what);
        }
        if (!(prim instanceof ASN1Sequence seq)) {
            throw new KeyFormatException("not a DER-encoded " + what + ": expected a SEQUENCE, got "
                    + (prim == null ? "nothing" : prim.getClass().getSimpleName()));
        }
        byte[] canonical;
        try {
            canonical = prim.getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("not a DER-encoded " + what + ": " + e.getMessage(), e);
        }
        if (!Arrays.equals(canonical, der)) {
            throw new KeyFormatException(what + " is BER, not DER: a key must have exactly one encoding");
        }
        return seq;
    }

    private static void requireEd25519(AlgorithmIdentifier alg) {
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        if (!oid.equals(ED25519_ID)) {
            String name = KNOWN_ALGORITHMS.get(oid.getId());
            throw new KeyFormatException("expected an Ed25519 key (OID " + ED25519_OID + "), got "
                    + (name == null ? "a key of an unknown algorithm" : "a key of type " + name)
                    + " (OID " + oid.getId() + ")");
        }
        if (alg.getParameters() != null) {
            throw new KeyFormatException("the Ed25519 AlgorithmIdentifier must have no parameters (RFC 8410 section 3)");
        }
    }

    private static String hintFor(String beginLine) {
        if (beginLine.contains("ENCRYPTED")) {
            return " (encrypted PEM is not supported; decrypt it first, e.g. with 'openssl pkey')";
        }
        if (beginLine.contains("OPENSSH")) {
            return " (OpenSSH key format is not supported; convert it to PKCS#8 first)";
        }
        return "";
    }

    private static String preview(String line) {
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }
}
