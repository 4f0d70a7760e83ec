package io.maaschain.ledger.tx;

import io.maaschain.crypto.Hash;
import java.util.Arrays;
import java.util.Objects;

/**
 * Creates a contract from deployed code: a new address with its own storage and balance. The contract's {@code init}
 * export, if it has one, runs with {@code initArgs} as input; {@code value} moves from the sender to the contract.
 */
public record Instantiate(Hash codeHash, byte[] initArgs, long value, long gasLimit) implements Payload {
    public static final int KIND = 25;

    public Instantiate {
        Objects.requireNonNull(codeHash, "codeHash");
        if (initArgs.length > ContractCalls.MAX_ARGS_BYTES) throw new IllegalArgumentException("init arguments exceed " + ContractCalls.MAX_ARGS_BYTES + " bytes");
        if (value < 0) throw new IllegalArgumentException("value must not be negative");
        ContractCalls.requireGasLimit(gasLimit);
        initArgs = initArgs.clone();
    }

    @Override
    public byte[] initArgs() {
        return initArgs.clone();
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
        return o instanceof Instantiate i && codeHash.equals(i.codeHash) && Arrays.equals(initArgs, i.initArgs)
                && value == i.value && gasLimit == i.gasLimit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(codeHash, Arrays.hashCode(initArgs), value, gasLimit);
    }
}
