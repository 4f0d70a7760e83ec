package io.maaschain.contracts;

import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The only imports a contract may have (docs/contracts.md, "Host API"): name, signature and gas price. A call costs
 * {@code base} plus {@code perByte} for each byte it reads or writes (keys, values, arguments, names, event data).
 */
public enum HostApi {
    INPUT_SIZE("input_size", List.of(), List.of(I32), 10, 0),
    INPUT_READ("input_read", List.of(I32), List.of(), 10, 1),
    SET_RETURN("set_return", List.of(I32, I32), List.of(), 10, 1),
    REVERT("revert", List.of(I32, I32), List.of(), 10, 1),
    GAS_LEFT("gas_left", List.of(), List.of(I64), 10, 0),
    STORAGE_READ("storage_read", List.of(I32, I32, I32, I32), List.of(I32), 200, 1),
    STORAGE_WRITE("storage_write", List.of(I32, I32, I32, I32), List.of(), 1000, 20),
    STORAGE_DELETE("storage_delete", List.of(I32, I32), List.of(), 500, 1),
    CALLER("caller", List.of(I32), List.of(), 10, 0),
    SELF_ADDRESS("self_address", List.of(I32), List.of(), 10, 0),
    VALUE("value", List.of(), List.of(I64), 10, 0),
    BLOCK_HEIGHT("block_height", List.of(), List.of(I64), 10, 0),
    BLOCK_TIME("block_time", List.of(), List.of(I64), 10, 0),
    BALANCE("balance", List.of(I32), List.of(I64), 200, 0),
    TRANSFER("transfer", List.of(I32, I64), List.of(), 500, 0),
    EMIT("emit", List.of(I32, I32, I32, I32), List.of(), 300, 5),
    CALL("call", List.of(I32, I32, I32, I32, I32, I64, I64), List.of(I32), 2000, 1),
    RETURN_DATA_SIZE("return_data_size", List.of(), List.of(I32), 10, 0),
    RETURN_DATA_READ("return_data_read", List.of(I32), List.of(), 10, 1),
    MODEL_READ("model_read", List.of(I32, I32, I32, I32), List.of(I32), 300, 1),
    MODEL_HOSTED("model_hosted", List.of(I32, I32, I32, I32, I32), List.of(I32), 300, 1),
    GRANT_ACCESS("grant_access", List.of(I32, I32, I32, I64, I64), List.of(), 1000, 1),
    REVOKE_ACCESS("revoke_access", List.of(I32, I32, I32), List.of(), 1000, 1),
    /** AssemblyScript's abort(message, file, line, column): ends the call as {@code ABORTED}. */
    AS_ABORT("env", "abort", List.of(I32, I32, I32, I32), List.of(), 10, 0);

    public static final String MODULE = "maas";
    private static final Map<String, HostApi> BY_NAME = Stream.of(values())
            .collect(Collectors.toMap(h -> h.module + "." + h.field, Function.identity()));

    private final String module;
    private final String field;
    private final FunctionType type;
    private final long base;
    private final long perByte;

    HostApi(String field, List<ValType> params, List<ValType> results, long base, long perByte) {
        this(MODULE, field, params, results, base, perByte);
    }

    HostApi(String module, String field, List<ValType> params, List<ValType> results, long base, long perByte) {
        this.module = module;
        this.field = field;
        this.type = FunctionType.of(params, results);
        this.base = base;
        this.perByte = perByte;
    }

    public String module() {
        return module;
    }

    public String field() {
        return field;
    }

    public FunctionType type() {
        return type;
    }

    public long base() {
        return base;
    }

    public long perByte() {
        return perByte;
    }

    /** The price of one call touching {@code bytes} bytes. */
    public long price(long bytes) {
        return base + perByte * bytes;
    }

    /** The host function imported as {@code module.field}, or null if the host offers none by that name. */
    public static HostApi lookup(String module, String field) {
        return BY_NAME.get(module + "." + field);
    }
}
