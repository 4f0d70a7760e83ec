package io.maaschain.contracts;

/**
 * Bounds every module and every call must keep (docs/contracts.md, "Limits"). They are consensus rules: a node
 * that changed one would refuse blocks the others accept.
 */
public final class ContractLimits {
    /** A module's size in bytes. The 4096-byte transaction limit is the tighter bound today (docs/contracts.md). */
    public static final int MAX_CODE_BYTES = 64 * 1024;
    /** Functions defined by the module (imports not counted). */
    public static final int MAX_FUNCTIONS = 1024;
    /** Parameters plus declared locals of one function. */
    public static final int MAX_LOCALS = 256;
    /** Globals defined by the module. */
    public static final int MAX_GLOBALS = 128;
    /** Initial and maximum size of the function table. */
    public static final int MAX_TABLE_ELEMENTS = 1024;
    /** Linear memory, in 64 KiB pages: the initial size may not exceed it and memory.grow fails (returns -1) past it. */
    public static final int MAX_MEMORY_PAGES = 16;
    /**
     * Units of the injected stack-height counter, shared by a transaction's call and all the contract calls it makes
     * (a frame costs {@link #FRAME_BASE} + its parameters + its locals). Chicory's interpreter uses several KiB of JVM
     * stack per wasm call, so this keeps the deepest nesting (64 frames) far inside a default 1 MiB thread stack:
     * the injected limit, never the JVM, decides.
     */
    public static final int MAX_STACK_UNITS = 1024;
    /** Fixed part of a frame's cost: stands for the operand stack and the interpreter's own frame. */
    public static final int FRAME_BASE = 16;
    /** Nested contract-to-contract calls below the transaction's own call. */
    public static final int MAX_CALL_DEPTH = 4;
    /** Bytes of a call's arguments, return data, a storage key, a storage value, an event. */
    public static final int MAX_ARGS_BYTES = 2048;
    public static final int MAX_RETURN_BYTES = 2048;
    public static final int MAX_KEY_BYTES = 128;
    public static final int MAX_VALUE_BYTES = 2048;
    public static final int MAX_EVENT_BYTES = 1024;
    public static final int MAX_EVENTS = 64;
    /** Length of an exported function name a transaction may call. */
    public static final int MAX_FUNCTION_NAME = 64;

    private ContractLimits() {}
}
