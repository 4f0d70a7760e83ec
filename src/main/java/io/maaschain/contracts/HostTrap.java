package io.maaschain.contracts;

/** Thrown inside a host function to end the call with a status other than a plain trap. */
public final class HostTrap extends RuntimeException {
    private final CallStatus status;

    public HostTrap(CallStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public CallStatus status() {
        return status;
    }
}
