package io.maaschain.crypto;

import io.maaschain.codec.CodecException;

/**
 * A key encoding (PEM, PKCS#8, SubjectPublicKeyInfo) that is not exactly one well-formed Ed25519 key.
 * It is a {@link CodecException} so callers that already handle bad encodings need no new branch.
 */
public final class KeyFormatException extends CodecException {
    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message);
        // CodecException has no cause constructor; keep the parser's detail for debugging.
        initCause(cause);
    }
}
