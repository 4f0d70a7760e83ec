package io.maaschain.contracts;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.ValType;

/**
 * Deploy-time checks (docs/contracts.md, "Deploy-time checks"): a module is parsed and type-checked by Chicory, then
 * held to the contract rules. The first broken rule is reported as a {@link ModuleRejectedException}.
 */
public final class ModuleValidator {
    /** Export names the instrumentation reserves. */
    static final String RESERVED_PREFIX = "__maas";

    private ModuleValidator() {}

    /** Parses and checks {@code code}; returns the parsed module. */
    public static WasmModule validate(byte[] code) {
        if (code.length > ContractLimits.MAX_CODE_BYTES) {
            throw new ModuleRejectedException(ModuleRejection.TOO_LARGE, "module is " + code.length + " bytes, limit " + ContractLimits.MAX_CODE_BYTES);
        }
        WasmModule m = parse(code);
        checkImports(m);
        if (m.startSection().isPresent()) {
            throw new ModuleRejectedException(ModuleRejection.START_FUNCTION, "a module may not have a start function: nothing may run outside a metered call");
        }
        int functions = m.functionSection().functionCount();
        if (functions > ContractLimits.MAX_FUNCTIONS) {
            throw new ModuleRejectedException(ModuleRejection.TOO_MANY_FUNCTIONS, functions + " functions, limit " + ContractLimits.MAX_FUNCTIONS);
        }
        for (FunctionType t : m.typeSection().types()) {
            for (ValType v : t.params()) requireInteger(v, "a function parameter");
            for (ValType v : t.returns()) requireInteger(v, "a function result");
        }
        for (int i = 0; i < functions; i++) {
            FunctionBody body = m.codeSection().getFunctionBody(i);
            FunctionType type = m.functionSection().getFunctionType(i, m.typeSection());
            int locals = type.params().size() + body.localTypes().size();
            if (locals > ContractLimits.MAX_LOCALS) {
                throw new ModuleRejectedException(ModuleRejection.TOO_MANY_LOCALS, "function " + i + " has " + locals + " parameters and locals, limit " + ContractLimits.MAX_LOCALS);
            }
            for (ValType v : body.localTypes()) requireInteger(v, "a local");
        }
        int globals = m.globalSection().globalCount();
        if (globals > ContractLimits.MAX_GLOBALS) {
            throw new ModuleRejectedException(ModuleRejection.TOO_MANY_GLOBALS, globals + " globals, limit " + ContractLimits.MAX_GLOBALS);
        }
        for (int i = 0; i < globals; i++) requireInteger(m.globalSection().getGlobal(i).valueType(), "a global");
        checkTables(m);
        checkMemory(m);
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            Export e = m.exportSection().getExport(i);
            if (e.name().startsWith(RESERVED_PREFIX)) {
                throw new ModuleRejectedException(ModuleRejection.RESERVED_EXPORT, "export names starting with " + RESERVED_PREFIX + " are reserved");
            }
        }
        // Every instruction must be one contracts may use; the walk throws on the first that is not.
        CodeBodies.forEach(code, (index, body) -> {
            WasmReader r = new WasmReader(code, body.exprStart(), body.end());
            while (!r.atEnd()) Instructions.next(r);
        });
        return m;
    }

    static WasmModule parse(byte[] code) {
        try {
            return Parser.parse(code);
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException | UnsupportedOperationException e) {
            throw new ModuleRejectedException(ModuleRejection.MALFORMED, "not a valid WebAssembly module: " + e.getMessage());
        }
    }

    private static void checkImports(WasmModule m) {
        for (int i = 0; i < m.importSection().importCount(); i++) {
            Import imp = m.importSection().getImport(i);
            if (!(imp instanceof FunctionImport f)) {
                throw new ModuleRejectedException(ModuleRejection.FORBIDDEN_IMPORT, "import " + imp.module() + "." + imp.name() + ": only host functions may be imported");
            }
            HostApi host = HostApi.lookup(f.module(), f.name());
            if (host == null) {
                throw new ModuleRejectedException(ModuleRejection.FORBIDDEN_IMPORT, "import " + f.module() + "." + f.name() + " is not part of the host API");
            }
            if (!m.typeSection().getType(f.typeIndex()).equals(host.type())) {
                throw new ModuleRejectedException(ModuleRejection.FORBIDDEN_IMPORT, "import " + f.module() + "." + f.name() + " has type "
                        + m.typeSection().getType(f.typeIndex()) + ", the host API's is " + host.type());
            }
        }
    }

    private static void checkTables(WasmModule m) {
        int n = m.tableSection().tableCount();
        if (n > 1) throw new ModuleRejectedException(ModuleRejection.TABLE_TOO_LARGE, n + " tables, at most one is allowed");
        if (n == 1) {
            Table t = m.tableSection().getTable(0);
            if (!t.elementType().equals(ValType.FuncRef)) {
                throw new ModuleRejectedException(ModuleRejection.UNSUPPORTED_INSTRUCTION, "only a table of function references is allowed");
            }
            if (t.limits().min() > ContractLimits.MAX_TABLE_ELEMENTS) {
                throw new ModuleRejectedException(ModuleRejection.TABLE_TOO_LARGE, "table of " + t.limits().min() + " elements, limit " + ContractLimits.MAX_TABLE_ELEMENTS);
            }
        }
    }

    private static void checkMemory(WasmModule m) {
        if (m.memorySection().isEmpty()) return;
        var memories = m.memorySection().get();
        if (memories.memoryCount() > 1) throw new ModuleRejectedException(ModuleRejection.MEMORY_TOO_LARGE, "at most one memory is allowed");
        if (memories.memoryCount() == 0) return;
        MemoryLimits limits = memories.getMemory(0).limits();
        if (limits.shared()) throw new ModuleRejectedException(ModuleRejection.UNSUPPORTED_INSTRUCTION, "shared memory is not allowed");
        if (limits.initialPages() > ContractLimits.MAX_MEMORY_PAGES) {
            throw new ModuleRejectedException(ModuleRejection.MEMORY_TOO_LARGE, "memory starts at " + limits.initialPages() + " pages, limit " + ContractLimits.MAX_MEMORY_PAGES);
        }
    }

    private static void requireInteger(ValType v, String what) {
        if (v.equals(ValType.I32) || v.equals(ValType.I64)) return;
        if (v.equals(ValType.F32) || v.equals(ValType.F64)) {
            throw new ModuleRejectedException(ModuleRejection.FLOAT_INSTRUCTION, what + " of type " + v + ": contracts may not use floating point");
        }
        throw new ModuleRejectedException(ModuleRejection.UNSUPPORTED_INSTRUCTION, what + " of type " + v + ": only i32 and i64 are allowed");
    }
}
