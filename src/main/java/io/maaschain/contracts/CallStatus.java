package io.maaschain.contracts;

/**
 * How a contract transaction or call ended (docs/contracts.md, "Results"). Anything but {@link #OK} reverts every
 * effect of the call; the fee and the gas used are still paid. The numbers are stored in results and returned to
 * a calling contract by the {@code call} host function, so they never change.
 */
public enum CallStatus {
    OK(0),
    OUT_OF_GAS(1),
    STACK_OVERFLOW(2),
    TRAP(3),
    ABORTED(4),
    MISSING_FUNCTION(5),
    INSUFFICIENT_CONTRACT_BALANCE(6),
    REENTRANCE(7),
    CALL_DEPTH(8),
    NOT_AUTHORIZED(9),
    LIMIT_EXCEEDED(10),
    INVALID_MODULE(11),
    CODE_EXISTS(12),
    CODE_NOT_FOUND(13),
    CONTRACT_NOT_FOUND(14),
    MODEL_NOT_FOUND(15),
    INVALID_ARGUMENT(16);

    private final int code;

    CallStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static CallStatus ofCode(int code) {
        for (CallStatus s : values()) if (s.code == code) return s;
        throw new IllegalArgumentException("unknown call status " + code);
    }
}
