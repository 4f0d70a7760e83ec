package io.maaschain.crypto;

/** A keystore that cannot be read or decrypted; {@link #reason()} tells a caller whether asking again may help. */
public final class KeystoreException extends RuntimeException {
    public enum Reason {
        /** Not a keystore this build understands; detectable without the password. */
        MALFORMED,
        /** The authentication tag did not verify. GCM cannot tell a wrong password from a modified file. */
        WRONG_PASSWORD_OR_CORRUPTED
    }

    private final Reason reason;

    public KeystoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public KeystoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
