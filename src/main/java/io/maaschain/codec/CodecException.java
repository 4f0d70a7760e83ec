package io.maaschain.codec;

/** Bytes that do not decode to exactly one canonical value. */
public class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }
}
