package io.maaschain.maas.access;

import io.maaschain.codec.Hex;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Signed inference requests (docs/inference.md, "Authenticating callers"). The caller signs, with Ed25519,
 * <pre>
 *   "maaschain/request/v1" 0x00 || METHOD "\n" || PATH "\n" || hex(SHA-256(body)) "\n" || NONCE "\n" || TIMESTAMP
 * </pre>
 * and sends its public key, the nonce, the timestamp (ms since the epoch, decimal) and the signature in headers.
 *
 * <p>A paid call adds {@value #AUTHORISED_HEADER}: the cumulative amount the caller authorises its channel with this
 * node to pay. Its signature is then over the {@link PaymentAuthorisation} message instead, whose request digest is
 * SHA-256 of the message above: one signature authenticates the call and authorises its payment.
 */
public final class RequestSignature {
    public static final String KEY_HEADER = "X-Maaschain-Key";
    public static final String NONCE_HEADER = "X-Maaschain-Nonce";
    public static final String TIMESTAMP_HEADER = "X-Maaschain-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Maaschain-Signature";
    public static final String AUTHORISED_HEADER = "X-Maaschain-Authorised";
    public static final byte[] DOMAIN = "maaschain/request/v1\0".getBytes(StandardCharsets.US_ASCII);
    /** 8 to 64 characters of [A-Za-z0-9_-]: 16 random bytes in hex is a good nonce. */
    public static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private RequestSignature() {}

    /** The bytes the caller signs. {@code path} is e.g. {@code /v2/models/iris/infer}, without query string. */
    public static byte[] message(String method, String path, Hash bodyHash, String nonce, long timestampMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(DOMAIN);
        String text = method + "\n" + path + "\n" + bodyHash.toHex() + "\n" + nonce + "\n" + timestampMillis;
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The four headers a client sends for a signed {@code POST path} with {@code body}. */
    public static Map<String, String> sign(KeyPair key, String method, String path, byte[] body, String nonce, long timestampMillis) {
        if (!NONCE.matcher(nonce).matches()) throw new IllegalArgumentException("nonce must be 8 to 64 of [A-Za-z0-9_-]");
        byte[] msg = message(method, path, Sha256.hash(body), nonce, timestampMillis);
        Map<String, String> h = new LinkedHashMap<>();
        h.put(KEY_HEADER, key.publicKey().toHex());
        h.put(NONCE_HEADER, nonce);
        h.put(TIMESTAMP_HEADER, Long.toString(timestampMillis));
        h.put(SIGNATURE_HEADER, Hex.encode(key.sign(msg).toBytes()));
        return h;
    }

    /** The request digest a payment authorisation binds: SHA-256 of the request message. */
    public static Hash requestDigest(byte[] requestMessage) {
        return Sha256.hash(requestMessage);
    }

    /**
     * The five headers a client sends for a paid {@code POST path}: the signature covers the payment authorisation of
     * {@code authorised} coins in all on the channel of this key with {@code host} on chain {@code chainId}.
     */
    public static Map<String, String> signPaid(KeyPair key, long chainId, Address host, long authorised, String method, String path,
                                               byte[] body, String nonce, long timestampMillis) {
        if (!NONCE.matcher(nonce).matches()) throw new IllegalArgumentException("nonce must be 8 to 64 of [A-Za-z0-9_-]");
        Hash digest = requestDigest(message(method, path, Sha256.hash(body), nonce, timestampMillis));
        PaymentAuthorisation auth = PaymentAuthorisation.sign(key, PaymentAuthorisation.channelId(chainId, key.address(), host), authorised, digest);
        Map<String, String> h = new LinkedHashMap<>();
        h.put(KEY_HEADER, key.publicKey().toHex());
        h.put(NONCE_HEADER, nonce);
        h.put(TIMESTAMP_HEADER, Long.toString(timestampMillis));
        h.put(AUTHORISED_HEADER, Long.toString(authorised));
        h.put(SIGNATURE_HEADER, auth.signature().toHex());
        return h;
    }

    /** The inference path for {@code model}, with the version segment when {@code version} is not null. */
    public static String inferPath(String model, String version) {
        return version == null ? "/v2/models/" + model + "/infer" : "/v2/models/" + model + "/versions/" + version + "/infer";
    }
}
