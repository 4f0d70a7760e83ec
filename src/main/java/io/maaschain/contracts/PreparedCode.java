package io.maaschain.contracts;

import com.dylibso.chicory.wasm.WasmModule;

/** A validated module, instrumented and parsed once, ready to be instantiated for each call. */
public record PreparedCode(WasmModule module, int gasGlobal, int stackGlobal, int instrumentedSize) {
    /** Validates, instruments and parses {@code code}; throws {@link ModuleRejectedException} if it may not run. */
    public static PreparedCode of(byte[] code) {
        WasmModule original = ModuleValidator.validate(code);
        GasInstrumenter.Instrumented inst = GasInstrumenter.instrument(code, original);
        WasmModule module;
        try {
            module = ModuleValidator.parse(inst.code());
        } catch (ModuleRejectedException e) {
            // The instrumenter must keep every valid module valid; if not, refuse rather than run something unmetered.
            throw new ModuleRejectedException(ModuleRejection.MALFORMED, "instrumentation produced an invalid module: " + e.getMessage());
        }
        return new PreparedCode(module, inst.gasGlobal(), inst.stackGlobal(), inst.code().length);
    }
}
