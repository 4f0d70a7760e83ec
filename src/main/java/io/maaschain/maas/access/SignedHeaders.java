package io.maaschain.maas.access;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;

/**
 * The four {@code X-Maaschain-*} headers of a signed request ({@link RequestSignature}), parsed strictly; shared by the
 * inference gateway and the artifact routes so that both refuse the same malformed requests with the same words.
 */
record SignedHeaders(PublicKey key, Signature signature, String nonce, long timestamp) {
    /** @throws AccessDenied 401 {@code BAD_SIGNATURE} if a header is missing or malformed */
    static SignedHeaders parse(String keyHex, String sigHex, String nonce, String ts) {
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
        try {
            if (keyHex.length() != 64 || sigHex.length() != 128) throw new CodecException("length");
            return new SignedHeaders(PublicKey.wrap(Hex.decode(keyHex)), Signature.wrap(Hex.decode(sigHex)), nonce, timestamp);
        } catch (CodecException | IllegalArgumentException e) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the key must be 64 and the signature 128 lower-case hex digits");
        }
    }
}
