package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import java.util.Arrays;
import java.util.Objects;

/** Calls {@code function} of a contract with {@code args} as input, attaching {@code value}, with at most {@code gasLimit} gas. */
public record CallContract(Address contract, String function, byte[] args, long value, long gasLimit) implements Payload {
    public static final int KIND = 26;

    public CallContract {
        Objects.requireNonNull(contract, "contract");
        ContractCalls.requireFunction(function);
        if (args.length > ContractCalls.MAX_ARGS_BYTES) throw new IllegalArgumentException("arguments exceed " + ContractCalls.MAX_ARGS_BYTES + " bytes");
        if (value < 0) throw new IllegalArgumentException("value must not be negative");
        ContractCalls.requireGasLimit(gasLimit);
        args = args.clone();
    }

    @Override
    public byte[] args() {
        return args.clone();
    }

    @Override
    public int kind() {
        return KIND;
    }

    @Override
    public long amountSent() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallContract c && contract.equals(c.contract) && function.equals(c.function)
                && Arrays.equals(args, c.args) && value == c.value && gasLimit == c.gasLimit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(contract, function, Arrays.hashCode(args), value, gasLimit);
    }
}
