package io.maaschain.ledger.tx;

import java.util.Arrays;

/**
 * Stores a wasm module on chain, addressed by the SHA-256 of its bytes; it is checked and instrumented at deploy
 * (docs/contracts.md). A module is deployed once and instantiated any number of times.
 */
public record DeployCode(byte[] code, long gasLimit) implements Payload {
    public static final int KIND = 24;
    /** Bounded in practice by the 4096-byte transaction encoding. */
    public static final int MAX_CODE_BYTES = 64 * 1024;

    public DeployCode {
        if (code.length == 0) throw new IllegalArgumentException("code must not be empty");
        if (code.length > MAX_CODE_BYTES) throw new IllegalArgumentException("code is " + code.length + " bytes, limit " + MAX_CODE_BYTES);
        ContractCalls.requireGasLimit(gasLimit);
        code = code.clone();
    }

    @Override
    public byte[] code() {
        return code.clone();
    }

    @Override
    public int kind() {
        return KIND;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeployCode d && Arrays.equals(code, d.code) && gasLimit == d.gasLimit;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(code) * 31 + Long.hashCode(gasLimit);
    }
}
