package io.maaschain.contracts;

/**
 * Gas prices of wasm instructions, charged per basic block by the injected metering code (docs/contracts.md,
 * "Gas schedule"). The charge is computed from the module's bytes alone, so it does not depend on the engine.
 */
public final class GasSchedule {
    /** Any instruction not listed below. */
    public static final long INSTRUCTION = 1;
    /** call and call_indirect (a host function adds its own price, {@link HostApi}). */
    public static final long CALL = 5;
    /** memory.grow, whatever the page count (the page cap bounds the work). */
    public static final long MEMORY_GROW = 1000;
    /** memory.copy, memory.fill, memory.init: flat, bounded by the page cap. */
    public static final long BULK_MEMORY = 100;
    /** Coins charged for gas: ceil(gasUsed / GAS_PER_COIN). */
    public static final long GAS_PER_COIN = 1000;

    private GasSchedule() {}

    static long cost(int opcode) {
        return switch (opcode) {
            case Instructions.CALL, Instructions.CALL_INDIRECT -> CALL;
            case Instructions.MEMORY_GROW -> MEMORY_GROW;
            case Instructions.MEMORY_INIT, Instructions.MEMORY_COPY, Instructions.MEMORY_FILL -> BULK_MEMORY;
            default -> INSTRUCTION;
        };
    }

    /** The coins that pay for {@code gas}: rounded up, so that no call is free. */
    public static long coins(long gas) {
        return gas / GAS_PER_COIN + (gas % GAS_PER_COIN == 0 ? 0 : 1);
    }
}
