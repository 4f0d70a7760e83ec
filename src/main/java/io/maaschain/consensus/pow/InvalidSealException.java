package io.maaschain.consensus.pow;

/** A header whose proof of work does not hold; {@link #reason()} says which rule failed. */
public final class InvalidSealException extends RuntimeException {
    private final SealCheck.Reason reason;

    public InvalidSealException(SealCheck.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SealCheck.Reason reason() {
        return reason;
    }
}
