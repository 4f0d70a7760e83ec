package io.maaschain.ledger.tx;

/** Field rules shared by the contract transaction kinds (docs/spec.md, kinds 24-27). */
public final class ContractCalls {
    /** Gas a single contract transaction may ask for. */
    public static final long MAX_GAS_LIMIT = 50_000_000;
    public static final int MAX_ARGS_BYTES = 2048;
    public static final int MAX_FUNCTION_NAME = 64;

    private ContractCalls() {}

    static void requireGasLimit(long gasLimit) {
        if (gasLimit <= 0 || gasLimit > MAX_GAS_LIMIT) throw new IllegalArgumentException("gas limit must be in 1.." + MAX_GAS_LIMIT);
    }

    static void requireFunction(String function) {
        if (function == null || function.isEmpty() || function.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_FUNCTION_NAME) {
            throw new IllegalArgumentException("function name must be 1.." + MAX_FUNCTION_NAME + " bytes");
        }
        for (int i = 0; i < function.length(); i++) {
            char c = function.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '_') throw new IllegalArgumentException("function name may hold only ASCII letters, digits and _");
        }
    }
}
