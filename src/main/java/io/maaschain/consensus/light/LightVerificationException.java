package io.maaschain.consensus.light;

/** A node served something a light client cannot accept: a header, commit or proof that does not verify. */
public final class LightVerificationException extends Exception {
    private final long height;

    public LightVerificationException(long height, String reason) {
        super("height " + height + ": " + reason);
        this.height = height;
    }

    /** The height of the header that failed. */
    public long height() {
        return height;
    }
}
