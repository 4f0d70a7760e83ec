package io.maaschain.ledger;

/** A typed refusal of a transaction or block: a stable code plus a human-readable reason. */
public class Rejection extends Exception {
    private final RejectCode code;

    public Rejection(RejectCode code, String reason) {
        super(reason);
        this.code = code;
    }

    public RejectCode code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
