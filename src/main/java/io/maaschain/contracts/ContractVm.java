package io.maaschain.contracts;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import io.maaschain.crypto.Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one exported function of a prepared module on Chicory's interpreter, with the host API bound to a
 * {@link ContractHost}. A fresh instance per call: contracts keep nothing between calls but their storage.
 * The gas counter starts at the call's limit; what is left decides the gas used, so the charge is a function of the
 * module and the call alone.
 */
public final class ContractVm {
    /** Exported set-up function run before every entry point, if the module has one. */
    public static final String INITIALIZE = "_initialize";

    private ContractVm() {}

    public static CallOutcome run(PreparedCode code, String function, ContractHost host, long gasLimit) {
        return run(code, function, host, gasLimit, 0);
    }

    /** As above for a call made by another contract, whose frames already use {@code stackUsed} units. */
    public static CallOutcome run(PreparedCode code, String function, ContractHost host, long gasLimit, int stackUsed) {
        if (gasLimit <= 0) return CallOutcome.failed(CallStatus.OUT_OF_GAS, 0, "gas limit must be positive");
        Session session = new Session(host, code.gasGlobal(), code.stackGlobal());
        Instance instance;
        try {
            instance = Instance.builder(code.module()).withImportValues(session.imports(code)).withStart(false).build();
        } catch (ChicoryException e) {
            return CallOutcome.failed(CallStatus.TRAP, 0, "instantiation failed");
        }
        session.instance = instance;
        instance.global(code.gasGlobal()).setValue(gasLimit);
        instance.global(code.stackGlobal()).setValue(stackUsed);
        FunctionType type = exportedFunction(code, function);
        if (type == null) {
            return CallOutcome.failed(CallStatus.MISSING_FUNCTION, 0, "the contract exports no function '" + function + "'");
        }
        if (!type.params().isEmpty() || !type.returns().isEmpty()) {
            return CallOutcome.failed(CallStatus.MISSING_FUNCTION, 0, "'" + function + "' is not callable: an entry point takes no parameters and returns nothing (arguments come from input_read)");
        }
        try {
            // The reactor convention (AssemblyScript's --exportStart, WASI's _initialize): set-up code that would
            // have been a start function runs first, inside the same metered call.
            FunctionType init = exportedFunction(code, INITIALIZE);
            if (init != null && init.params().isEmpty() && init.returns().isEmpty() && !function.equals(INITIALIZE)) {
                instance.export(INITIALIZE).apply();
            }
            ExportFunction f = instance.export(function);
            f.apply();
        } catch (RuntimeException | StackOverflowError e) {
            long left = instance.global(code.gasGlobal()).getValue();
            HostTrap trap = hostTrap(e);
            if (trap != null && trap.status() != CallStatus.OUT_OF_GAS) {
                return CallOutcome.failed(trap.status(), used(gasLimit, left), trap.getMessage());
            }
            if (left < 0 || trap != null) return CallOutcome.failed(CallStatus.OUT_OF_GAS, gasLimit, "out of gas");
            if ((int) instance.global(code.stackGlobal()).getValue() == -1 || e instanceof StackOverflowError) {
                return CallOutcome.failed(CallStatus.STACK_OVERFLOW, used(gasLimit, left), "call stack limit of " + ContractLimits.MAX_STACK_UNITS + " units exceeded");
            }
            // Chicory's own wording is not a consensus rule: the stored reason is fixed.
            return CallOutcome.failed(CallStatus.TRAP, used(gasLimit, left), "wasm trap");
        }
        long left = instance.global(code.gasGlobal()).getValue();
        return new CallOutcome(CallStatus.OK, used(gasLimit, left), session.returnData, "");
    }

    private static long used(long limit, long left) {
        return left < 0 ? limit : limit - left;
    }

    private static FunctionType exportedFunction(PreparedCode code, String name) {
        var exports = code.module().exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export e = exports.getExport(i);
            if (e.name().equals(name) && e.exportType() == ExternalType.FUNCTION) {
                int imported = code.module().importSection().importCount();
                if (e.index() < imported) return null;
                return code.module().functionSection().getFunctionType(e.index() - imported, code.module().typeSection());
            }
        }
        return null;
    }

    private static HostTrap hostTrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HostTrap h) return h;
            if (t.getCause() == t) break;
        }
        return null;
    }

    /** The state of one call as the host functions see it. */
    private static final class Session {
        final ContractHost host;
        final int gasGlobal;
        final int stackGlobal;
        Instance instance;
        byte[] returnData = new byte[0];
        byte[] lastCallReturn = new byte[0];

        Session(ContractHost host, int gasGlobal, int stackGlobal) {
            this.host = host;
            this.gasGlobal = gasGlobal;
            this.stackGlobal = stackGlobal;
        }

        ImportValues imports(PreparedCode code) {
            List<ImportFunction> fns = new ArrayList<>();
            var section = code.module().importSection();
            for (int i = 0; i < section.importCount(); i++) {
                var imp = section.getImport(i);
                HostApi api = HostApi.lookup(imp.module(), imp.name());
                fns.add(new HostFunction(api.module(), api.field(), api.type(), (inst, args) -> invoke(api, args)));
            }
            return ImportValues.builder().withFunctions(fns).build();
        }

        void charge(long gas) {
            var g = instance.global(gasGlobal);
            long left = g.getValue() - gas;
            g.setValue(left);
            if (left < 0) throw new HostTrap(CallStatus.OUT_OF_GAS, "out of gas");
        }

        Memory memory() {
            Memory m = instance.memory();
            if (m == null) throw new HostTrap(CallStatus.TRAP, "the contract has no memory to exchange data through");
            return m;
        }

        byte[] read(long ptr, long len, int limit, String what) {
            if (len < 0 || len > limit) throw new HostTrap(CallStatus.LIMIT_EXCEEDED, what + " of " + len + " bytes, limit " + limit);
            return memory().readBytes((int) ptr, (int) len);
        }

        Address address(long ptr) {
            return Address.wrap(memory().readBytes((int) ptr, Address.LENGTH));
        }

        String string(long ptr, long len, int limit, String what) {
            return new String(read(ptr, len, limit, what), StandardCharsets.UTF_8);
        }

        long[] invoke(HostApi api, long[] a) {
            long[] none = null;
            switch (api) {
                case INPUT_SIZE -> {
                    charge(api.price(0));
                    return new long[] {host.input().length};
                }
                case INPUT_READ -> {
                    byte[] in = host.input();
                    charge(api.price(in.length));
                    memory().write((int) a[0], in);
                }
                case SET_RETURN -> {
                    charge(api.price(Math.max(0, a[1])));
                    returnData = read(a[0], a[1], ContractLimits.MAX_RETURN_BYTES, "return data");
                }
                case REVERT -> {
                    charge(api.price(Math.max(0, a[1])));
                    throw new HostTrap(CallStatus.ABORTED, "reverted: " + string(a[0], Math.min(a[1], 256), 256, "message"));
                }
                case AS_ABORT -> {
                    charge(api.price(0));
                    throw new HostTrap(CallStatus.ABORTED, "aborted: " + assemblyScriptString(a[0]));
                }
                case GAS_LEFT -> {
                    charge(api.price(0));
                    return new long[] {instance.global(gasGlobal).getValue()};
                }
                case STORAGE_READ -> {
                    byte[] key = read(a[0], a[1], ContractLimits.MAX_KEY_BYTES, "storage key");
                    byte[] v = host.storageRead(key);
                    charge(api.price(key.length + (v == null ? 0 : v.length)));
                    if (v == null) return new long[] {-1};
                    int cap = (int) Math.max(0, Math.min(a[3], v.length));
                    memory().write((int) a[2], v, 0, cap);
                    return new long[] {v.length};
                }
                case STORAGE_WRITE -> {
                    charge(api.price(Math.max(0, a[1]) + Math.max(0, a[3])));
                    host.storageWrite(read(a[0], a[1], ContractLimits.MAX_KEY_BYTES, "storage key"),
                            read(a[2], a[3], ContractLimits.MAX_VALUE_BYTES, "storage value"));
                }
                case STORAGE_DELETE -> {
                    charge(api.price(Math.max(0, a[1])));
                    host.storageDelete(read(a[0], a[1], ContractLimits.MAX_KEY_BYTES, "storage key"));
                }
                case CALLER -> {
                    charge(api.price(0));
                    memory().write((int) a[0], host.caller().toBytes());
                }
                case SELF_ADDRESS -> {
                    charge(api.price(0));
                    memory().write((int) a[0], host.self().toBytes());
                }
                case VALUE -> {
                    charge(api.price(0));
                    return new long[] {host.value()};
                }
                case BLOCK_HEIGHT -> {
                    charge(api.price(0));
                    return new long[] {host.blockHeight()};
                }
                case BLOCK_TIME -> {
                    charge(api.price(0));
                    return new long[] {host.blockTimeMillis()};
                }
                case BALANCE -> {
                    charge(api.price(0));
                    return new long[] {host.balance(address(a[0]))};
                }
                case TRANSFER -> {
                    charge(api.price(0));
                    if (a[1] < 0) throw new HostTrap(CallStatus.INVALID_ARGUMENT, "transfer of a negative amount");
                    host.transfer(address(a[0]), a[1]);
                }
                case EMIT -> {
                    charge(api.price(Math.max(0, a[1]) + Math.max(0, a[3])));
                    host.emit(read(a[0], a[1], ContractLimits.MAX_KEY_BYTES, "event topic"),
                            read(a[2], a[3], ContractLimits.MAX_EVENT_BYTES, "event data"));
                }
                case CALL -> {
                    charge(api.price(Math.max(0, a[2]) + Math.max(0, a[4])));
                    Address target = address(a[0]);
                    String fn = string(a[1], a[2], ContractLimits.MAX_FUNCTION_NAME, "function name");
                    byte[] args = read(a[3], a[4], ContractLimits.MAX_ARGS_BYTES, "call arguments");
                    if (a[5] < 0) throw new HostTrap(CallStatus.INVALID_ARGUMENT, "call with a negative value");
                    long left = instance.global(gasGlobal).getValue();
                    long limit = Math.max(0, Math.min(a[6], left));
                    int stack = (int) instance.global(stackGlobal).getValue() + ContractLimits.FRAME_BASE;
                    CallOutcome sub = host.call(target, fn, args, a[5], limit, stack);
                    charge(sub.gasUsed());
                    lastCallReturn = sub.returnData();
                    return new long[] {sub.status().code()};
                }
                case RETURN_DATA_SIZE -> {
                    charge(api.price(0));
                    return new long[] {lastCallReturn.length};
                }
                case RETURN_DATA_READ -> {
                    charge(api.price(lastCallReturn.length));
                    memory().write((int) a[0], lastCallReturn);
                }
                case MODEL_READ -> {
                    String name = string(a[0], a[1], 64, "model name");
                    byte[] rec = host.modelRecord(name);
                    charge(api.price(a[1] + (rec == null ? 0 : rec.length)));
                    if (rec == null) return new long[] {-1};
                    memory().write((int) a[2], rec, 0, (int) Math.max(0, Math.min(a[3], rec.length)));
                    return new long[] {rec.length};
                }
                case MODEL_HOSTED -> {
                    charge(api.price(Math.max(0, a[1]) + Math.max(0, a[3])));
                    boolean hosted = host.modelHosted(string(a[0], a[1], 64, "model name"), string(a[2], a[3], 32, "model version"), address(a[4]));
                    return new long[] {hosted ? 1 : 0};
                }
                case GRANT_ACCESS -> {
                    charge(api.price(Math.max(0, a[1])));
                    host.grantAccess(string(a[0], a[1], 64, "model name"), address(a[2]), a[3], a[4]);
                }
                case REVOKE_ACCESS -> {
                    charge(api.price(Math.max(0, a[1])));
                    host.revokeAccess(string(a[0], a[1], 64, "model name"), address(a[2]));
                }
            }
            return none;
        }

        /** An AssemblyScript string: UTF-16LE, its byte length in the 4 bytes before it; at most 256 bytes are read. */
        private String assemblyScriptString(long ptr) {
            try {
                if (ptr < 4) return "";
                int len = Math.min(256, Math.max(0, memory().readInt((int) ptr - 4)));
                return new String(memory().readBytes((int) ptr, len & ~1), StandardCharsets.UTF_16LE);
            } catch (ChicoryException e) {
                return "";
            }
        }
    }
}
