package io.maaschain.contracts;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rewrites a validated module so that it meters itself (docs/contracts.md, "Metering"), in the manner of Parity's
 * wasm-instrument:
 * <ul>
 *   <li>two globals are appended: a gas counter (i64) and a stack-height counter (i32); appending keeps every
 *       existing index valid;</li>
 *   <li>each metered block (a run of instructions that starts at a function entry or after a control instruction)
 *       begins by subtracting the block's price from the gas counter and trapping if it went below zero;</li>
 *   <li>each call to a defined function adds the callee's frame cost ({@link ContractLimits#FRAME_BASE} + parameters + locals; the largest of all
 *       frames for call_indirect) to the stack counter before the call, traps past
 *       {@link ContractLimits#MAX_STACK_UNITS}, and subtracts it after;</li>
 *   <li>the memory gets a maximum of {@link ContractLimits#MAX_MEMORY_PAGES} pages; custom sections are dropped.</li>
 * </ul>
 * When a counter trips, the injected code first leaves a mark the runtime reads to tell why the call trapped: the gas
 * counter is below zero, or the stack counter is -1.
 */
public final class GasInstrumenter {
    private GasInstrumenter() {}

    /** The instrumented module and the indices of its two counters. */
    public record Instrumented(byte[] code, int gasGlobal, int stackGlobal) {}

    public static Instrumented instrument(byte[] code, WasmModule m) {
        int imported = m.importSection().importCount();
        int defined = m.functionSection().functionCount();
        int[] frame = new int[defined];
        int maxFrame = ContractLimits.FRAME_BASE;
        for (int i = 0; i < defined; i++) {
            FunctionType t = m.functionSection().getFunctionType(i, m.typeSection());
            frame[i] = ContractLimits.FRAME_BASE + t.params().size() + m.codeSection().getFunctionBody(i).localTypes().size();
            maxFrame = Math.max(maxFrame, frame[i]);
        }
        int gasGlobal = m.globalSection().globalCount();
        int stackGlobal = gasGlobal + 1;
        Injector injector = new Injector(gasGlobal, stackGlobal, imported, frame, maxFrame);

        record Out(int id, byte[] payload) {}
        List<Out> sections = new ArrayList<>();
        boolean hasGlobals = false;
        for (RawSections.Section s : RawSections.split(code)) {
            switch (s.id()) {
                case RawSections.CUSTOM -> { }
                case RawSections.GLOBAL -> {
                    hasGlobals = true;
                    sections.add(new Out(s.id(), appendGlobals(code, s)));
                }
                case RawSections.MEMORY -> sections.add(new Out(s.id(), capMemory(m)));
                case RawSections.CODE -> sections.add(new Out(s.id(), injector.rewriteCode(code, s)));
                default -> sections.add(new Out(s.id(), java.util.Arrays.copyOfRange(code, s.from(), s.to())));
            }
        }
        if (!hasGlobals) sections.add(new Out(RawSections.GLOBAL, new WasmWriter().u32(2).raw(counterGlobals()).toByteArray()));
        sections.sort(Comparator.comparingInt(o -> RawSections.rank(o.id())));
        WasmWriter w = new WasmWriter().raw(java.util.Arrays.copyOfRange(code, 0, 8));
        for (Out o : sections) w.section(o.id(), o.payload());
        return new Instrumented(w.toByteArray(), gasGlobal, stackGlobal);
    }

    /** i64 mutable = 0 (gas), i32 mutable = 0 (stack height). */
    private static byte[] counterGlobals() {
        return new byte[] {0x7E, 0x01, 0x42, 0x00, 0x0B, 0x7F, 0x01, 0x41, 0x00, 0x0B};
    }

    private static byte[] appendGlobals(byte[] code, RawSections.Section s) {
        WasmReader r = new WasmReader(code, s.from(), s.to());
        long count = r.u32();
        return new WasmWriter().u32(count + 2).raw(code, r.position(), s.to()).raw(counterGlobals()).toByteArray();
    }

    private static byte[] capMemory(WasmModule m) {
        var limits = m.memorySection().orElseThrow().getMemory(0).limits();
        int max = Math.min(limits.maximumPages(), ContractLimits.MAX_MEMORY_PAGES);
        return new WasmWriter().u32(1).u8(0x01).u32(limits.initialPages()).u32(Math.max(max, limits.initialPages())).toByteArray();
    }

    /** Rewrites function bodies: gas charge at each metered block, stack accounting around calls. */
    private static final class Injector {
        private final int gas;
        private final int stack;
        private final int imported;
        private final int[] frame;
        private final int maxFrame;

        Injector(int gas, int stack, int imported, int[] frame, int maxFrame) {
            this.gas = gas;
            this.stack = stack;
            this.imported = imported;
            this.frame = frame;
            this.maxFrame = maxFrame;
        }

        byte[] rewriteCode(byte[] code, RawSections.Section s) {
            WasmWriter section = new WasmWriter();
            int[] count = {0};
            List<byte[]> bodies = new ArrayList<>();
            CodeBodies.forEach(code, (index, body) -> {
                bodies.add(rewriteBody(code, body));
                count[0]++;
            });
            section.u32(count[0]);
            for (byte[] b : bodies) section.u32(b.length).raw(b);
            return section.toByteArray();
        }

        private byte[] rewriteBody(byte[] code, CodeBodies.Body body) {
            WasmWriter w = new WasmWriter().raw(code, body.localsStart(), body.exprStart());
            WasmReader r = new WasmReader(code, body.exprStart(), body.end());
            List<Instructions.Op> block = new ArrayList<>();
            while (!r.atEnd()) {
                Instructions.Op op = Instructions.next(r);
                block.add(op);
                if (op.endsBlock() || r.atEnd()) {
                    emitBlock(code, block, w);
                    block.clear();
                }
            }
            return w.toByteArray();
        }

        private void emitBlock(byte[] code, List<Instructions.Op> block, WasmWriter w) {
            long price = 0;
            for (Instructions.Op op : block) price += GasSchedule.cost(op.opcode());
            // gas -= price; if (gas < 0) unreachable
            w.u8(0x23).u32(gas).u8(0x42).s64(price).u8(0x7D).u8(0x24).u32(gas);
            w.u8(0x23).u32(gas).u8(0x42).s64(0).u8(0x53).u8(0x04).u8(0x40).u8(0x00).u8(0x0B);
            for (Instructions.Op op : block) {
                int cost = switch (op.opcode()) {
                    case Instructions.CALL -> op.callee() >= imported ? frame[op.callee() - imported] : 0;
                    case Instructions.CALL_INDIRECT -> maxFrame;
                    default -> 0;
                };
                if (cost == 0) {
                    w.raw(code, op.start(), op.end());
                    continue;
                }
                // stack += cost; if (stack > MAX) { stack = -1; unreachable }; call; stack -= cost
                w.u8(0x23).u32(stack).u8(0x41).s64(cost).u8(0x6A).u8(0x24).u32(stack);
                w.u8(0x23).u32(stack).u8(0x41).s64(ContractLimits.MAX_STACK_UNITS).u8(0x4B)
                        .u8(0x04).u8(0x40).u8(0x41).s64(-1).u8(0x24).u32(stack).u8(0x00).u8(0x0B);
                w.raw(code, op.start(), op.end());
                w.u8(0x23).u32(stack).u8(0x41).s64(cost).u8(0x6B).u8(0x24).u32(stack);
            }
        }
    }
}
