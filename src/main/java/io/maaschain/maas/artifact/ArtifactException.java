package io.maaschain.maas.artifact;

/** A refused artifact operation, with a reason a caller can map to a status code. */
public final class ArtifactException extends RuntimeException {
    public enum Reason {
        /** No such artifact (or no such upload). */
        NOT_FOUND,
        /** The bytes do not hash to the digest they were sent under; nothing was stored. */
        DIGEST_MISMATCH,
        /** Beyond the configured maximum artifact size; the partial upload was discarded. */
        TOO_LARGE,
        /** Another upload of the same digest is in progress, or a resume offset is not the stored one. */
        CONFLICT,
        /** Too many uploads in progress. */
        BUSY,
        /** The uploading account would hold more than its byte quota; the upload was discarded. */
        QUOTA_EXCEEDED,
        /** Free disk space is (or would fall) below the store's reserve; the upload was discarded. */
        INSUFFICIENT_STORAGE,
        /** The request itself is malformed (bad digest text, negative offset). */
        INVALID,
        /** Reading from the sender failed; what arrived whole is kept for a resume. */
        INTERRUPTED,
        /** A local disk error. */
        IO
    }

    private final Reason reason;

    public ArtifactException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ArtifactException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
