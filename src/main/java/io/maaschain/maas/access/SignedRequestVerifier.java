package io.maaschain.maas.access;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a request signed by an account key in the scheme of {@link RequestSignature} (the four {@code X-Maaschain-*}
 * headers, message {@code "maaschain/request/v1" 0x00 || METHOD \n PATH \n hex(bodyHash) \n NONCE \n TIMESTAMP}) for
 * routes other than inference, where the caller pays nothing: the artifact routes. The timestamp must be in the
 * {@link ReplayGuard}'s window and the (key, nonce) pair new. One Ed25519 verification per signed request.
 */
public final class SignedRequestVerifier {
    private final ReplayGuard replay;

    public SignedRequestVerifier(ReplayGuard replay) {
        this.replay = replay;
    }

    /**
     * The key that signed {@code METHOD path} with {@code bodyHash}, or empty when the request carries none of the
     * signature headers (an anonymous request).
     *
     * @param header a request header by name (any case), or null when absent
     * @throws AccessDenied 401 {@code BAD_SIGNATURE}, {@code STALE_REQUEST} or {@code REPLAYED}; 429 when the replay cache is full
     */
    public Optional<PublicKey> verify(String method, String path, Hash bodyHash, Function<String, String> header, long nowMillis) {
        String keyHex = header.apply(RequestSignature.KEY_HEADER);
        String sigHex = header.apply(RequestSignature.SIGNATURE_HEADER);
        String nonce = header.apply(RequestSignature.NONCE_HEADER);
        String ts = header.apply(RequestSignature.TIMESTAMP_HEADER);
        if (keyHex == null && sigHex == null && nonce == null && ts == null) return Optional.empty();
        SignedHeaders signed = SignedHeaders.parse(keyHex, sigHex, nonce, ts);
        PublicKey key = signed.key();
        long timestamp = signed.timestamp();
        replay.checkFresh(timestamp, nowMillis);
        if (!key.verify(RequestSignature.message(method, path, bodyHash, nonce, timestamp), signed.signature())) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the signature does not verify for " + method + " " + path + " under key " + keyHex);
        }
        replay.record(key, nonce, timestamp, nowMillis);
        return Optional.of(key);
    }
}
