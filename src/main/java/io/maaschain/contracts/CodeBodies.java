package io.maaschain.contracts;

/** Walks the function bodies of a module's code section as byte ranges. */
final class CodeBodies {
    /** One body: where its size prefix ends (locals start), where its expression starts, where it ends. */
    record Body(int localsStart, int exprStart, int end) {}

    interface Visitor {
        void visit(int index, Body body);
    }

    private CodeBodies() {}

    static void forEach(byte[] module, Visitor visitor) {
        for (RawSections.Section s : RawSections.split(module)) {
            if (s.id() != RawSections.CODE) continue;
            WasmReader r = new WasmReader(module, s.from(), s.to());
            int count = r.index();
            for (int i = 0; i < count; i++) {
                int size = r.index();
                int localsStart = r.position();
                WasmReader locals = new WasmReader(module, localsStart, localsStart + size);
                long groups = locals.u32();
                for (long g = 0; g < groups; g++) {
                    locals.u32();
                    locals.u8();
                }
                visitor.visit(i, new Body(localsStart, locals.position(), localsStart + size));
                r.skip(size);
            }
        }
    }
}
