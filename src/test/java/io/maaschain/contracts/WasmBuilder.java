package io.maaschain.contracts;

import java.util.ArrayList;
import java.util.List;

/** Assembles small wasm modules for tests, section by section (only what the tests need). */
public final class WasmBuilder {
    public static final int I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C;

    private final List<byte[]> types = new ArrayList<>();
    private final List<byte[]> imports = new ArrayList<>();
    private final List<Integer> functionTypes = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    private final List<byte[]> exports = new ArrayList<>();
    private final List<byte[]> globals = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();
    private byte[] memory;
    private byte[] table;
    private Integer start;
    private int importCount;

    /** Adds a function type; returns its index. */
    public int type(int[] params, int[] results) {
        WasmWriter w = new WasmWriter().u8(0x60).u32(params.length);
        for (int p : params) w.u8(p);
        w.u32(results.length);
        for (int r : results) w.u8(r);
        types.add(w.toByteArray());
        return types.size() - 1;
    }

    /** Imports a function; returns its function index (imports come first: add them before functions). */
    public int importFunction(String module, String name, int type) {
        imports.add(new WasmWriter().u32(module.length()).raw(module.getBytes()).u32(name.length()).raw(name.getBytes()).u8(0).u32(type).toByteArray());
        return importCount++;
    }

    /** Imports a host API function with its own signature. */
    public int importHost(HostApi api) {
        int[] p = api.type().params().stream().mapToInt(v -> v.opcode()).toArray();
        int[] r = api.type().returns().stream().mapToInt(v -> v.opcode()).toArray();
        return importFunction(api.module(), api.field(), type(p, r));
    }

    /** Defines a function with the given locals (one entry per local) and body (without the final end). */
    public int function(int type, int[] locals, byte[] body) {
        functionTypes.add(type);
        WasmWriter w = new WasmWriter().u32(locals.length);
        for (int l : locals) w.u32(1).u8(l);
        w.raw(body).u8(0x0B);
        bodies.add(w.toByteArray());
        return importCount + functionTypes.size() - 1;
    }

    public WasmBuilder export(String name, int function) {
        exports.add(new WasmWriter().u32(name.length()).raw(name.getBytes()).u8(0).u32(function).toByteArray());
        return this;
    }

    public WasmBuilder memory(int min) {
        memory = new WasmWriter().u32(1).u8(0).u32(min).toByteArray();
        exports.add(new WasmWriter().u32(6).raw("memory".getBytes()).u8(2).u32(0).toByteArray());
        return this;
    }

    public WasmBuilder table(int min) {
        table = new WasmWriter().u32(1).u8(0x70).u8(0).u32(min).toByteArray();
        return this;
    }

    public WasmBuilder globalI64(long init) {
        globals.add(new WasmWriter().u8(I64).u8(1).u8(0x42).s64(init).u8(0x0B).toByteArray());
        return this;
    }

    public WasmBuilder globalF64() {
        globals.add(new WasmWriter().u8(F64).u8(0).u8(0x44).raw(new byte[8]).u8(0x0B).toByteArray());
        return this;
    }

    public WasmBuilder data(int offset, byte[] bytes) {
        data.add(new WasmWriter().u8(0).u8(0x41).s64(offset).u8(0x0B).u32(bytes.length).raw(bytes).toByteArray());
        return this;
    }

    public WasmBuilder start(int function) {
        start = function;
        return this;
    }

    public byte[] build() {
        WasmWriter w = new WasmWriter().raw(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        section(w, 1, types);
        section(w, 2, imports);
        List<byte[]> fs = new ArrayList<>();
        for (int t : functionTypes) fs.add(new WasmWriter().u32(t).toByteArray());
        section(w, 3, fs);
        if (table != null) w.section(4, table);
        if (memory != null) w.section(5, memory);
        section(w, 6, globals);
        section(w, 7, exports);
        if (start != null) w.section(8, new WasmWriter().u32(start).toByteArray());
        section(w, 10, bodies);
        section(w, 11, data);
        return w.toByteArray();
    }

    private static void section(WasmWriter w, int id, List<byte[]> entries) {
        if (entries.isEmpty()) return;
        WasmWriter s = new WasmWriter().u32(entries.size());
        for (byte[] e : entries) {
            if (id == 10) s.u32(e.length);
            s.raw(e);
        }
        w.section(id, s.toByteArray());
    }

    /** Instruction bytes: a fluent sequence. */
    public static final class Code {
        private final WasmWriter w = new WasmWriter();

        public Code op(int... bytes) {
            for (int b : bytes) w.u8(b);
            return this;
        }

        public Code i32(long v) {
            w.u8(0x41).s64(v);
            return this;
        }

        public Code i64(long v) {
            w.u8(0x42).s64(v);
            return this;
        }

        public Code localGet(int i) {
            w.u8(0x20).u32(i);
            return this;
        }

        public Code localSet(int i) {
            w.u8(0x21).u32(i);
            return this;
        }

        public Code globalGet(int i) {
            w.u8(0x23).u32(i);
            return this;
        }

        public Code globalSet(int i) {
            w.u8(0x24).u32(i);
            return this;
        }

        public Code call(int f) {
            w.u8(0x10).u32(f);
            return this;
        }

        public Code br(int depth) {
            w.u8(0x0C).u32(depth);
            return this;
        }

        public Code brIf(int depth) {
            w.u8(0x0D).u32(depth);
            return this;
        }

        public byte[] bytes() {
            return w.toByteArray();
        }
    }
}
