package io.maaschain.maas.artifact;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.maas.access.RequestSignature;
import io.maaschain.codec.Hex;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signed requests to the artifact routes (docs/api.md, "Artifacts"): the signed-request scheme of inference callers
 * ({@link RequestSignature}), where the body-hash field is the artifact digest for a {@code PUT} (what the whole upload
 * must hash to, so a resumed upload signs the same way) and SHA-256 of the empty body for {@code GET} and {@code HEAD}.
 */
public final class ArtifactRequests {
    /** SHA-256 of zero bytes: the body hash of a GET or HEAD. */
    public static final Hash EMPTY_BODY = Sha256.hash(new byte[0]);

    private ArtifactRequests() {}

    public static String path(Hash digest, String suffix) {
        return "/api/v1/artifacts/" + digest.toHex() + suffix;
    }

    /** The value a request for {@code digest} signs in place of the body hash. */
    public static Hash bodyHash(String method, Hash digest) {
        return method.equals("PUT") ? digest : EMPTY_BODY;
    }

    /** The four signature headers for {@code METHOD path} about the artifact {@code digest}. */
    public static Map<String, String> sign(KeyPair key, String method, String path, Hash digest, String nonce, long timestampMillis) {
        if (!RequestSignature.NONCE.matcher(nonce).matches()) throw new IllegalArgumentException("nonce must be 8 to 64 of [A-Za-z0-9_-]");
        byte[] msg = RequestSignature.message(method, path, bodyHash(method, digest), nonce, timestampMillis);
        Map<String, String> h = new LinkedHashMap<>();
        h.put(RequestSignature.KEY_HEADER, key.publicKey().toHex());
        h.put(RequestSignature.NONCE_HEADER, nonce);
        h.put(RequestSignature.TIMESTAMP_HEADER, Long.toString(timestampMillis));
        h.put(RequestSignature.SIGNATURE_HEADER, Hex.encode(key.sign(msg).toBytes()));
        return h;
    }
}
