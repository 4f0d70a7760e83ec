package io.maaschain.maas.access;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
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
        if (keyHex == null || sigHex == null || nonce == null || ts == null) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "a signed request carries all of " + RequestSignature.KEY_HEADER + ", "
                    + RequestSignature.NONCE_HEADER + ", " + RequestSignature.TIMESTAMP_HEADER + " and " + RequestSignature.SIGNATURE_HEADER);
        }
        if (!RequestSignature.NONCE.matcher(nonce).matches()) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the nonce must be 8 to 64 characters of [A-Za-z0-9_-]");
        }
        long timestamp;
        try {
            if (ts.isEmpty() || ts.length() > 19 || !ts.chars().allMatch(c -> c >= '0' && c <= '9')) throw new NumberFormatException();
            timestamp = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the timestamp must be milliseconds since the epoch, in decimal");
        }
        PublicKey key;
        Signature signature;
        try {
            if (keyHex.length() != 64 || sigHex.length() != 128) throw new CodecException("length");
            key = PublicKey.wrap(Hex.decode(keyHex));
            signature = Signature.wrap(Hex.decode(sigHex));
        } catch (CodecException | IllegalArgumentException e) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the key must be 64 and the signature 128 lower-case hex digits");
        }
        replay.checkFresh(timestamp, nowMillis);
        if (!key.verify(RequestSignature.message(method, path, bodyHash, nonce, timestamp), signature)) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the signature does not verify for " + method + " " + path + " under key " + keyHex);
        }
        replay.record(key, nonce, timestamp, nowMillis);
        return Optional.of(key);
    }
}
