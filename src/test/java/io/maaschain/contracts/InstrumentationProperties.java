package io.maaschain.contracts;

import static io.maaschain.contracts.WasmBuilder.I32;
import static io.maaschain.contracts.WasmBuilder.I64;
import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The instrumented module computes what the original does, and charges the same gas every run: random integer
 * programs with loops, branches and calls, run on Chicory with and without instrumentation.
 */
class InstrumentationProperties {
    /** acc = acc OP c; or an if/else on acc's low bit; or a call to a helper that mixes its argument. */
    record Step(int kind, long constant) {}

    record Program(long seed, int iterations, List<Step> steps) {}

    @Provide
    Arbitrary<Program> programs() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.longs()).as(Step::new);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 40), step.list().ofMaxSize(12)).as(Program::new);
    }

    static byte[] module(Program p) {
        WasmBuilder b = new WasmBuilder();
        int mixType = b.type(new int[] {I64}, new int[] {I64});
        int mix = b.function(mixType, new int[] {}, new WasmBuilder.Code().localGet(0).i64(13).op(0x89).localGet(0).op(0x85).bytes());
        int t = b.type(new int[] {}, new int[] {I64});
        // locals: 0 acc (i64), 1 i (i32)
        WasmBuilder.Code c = new WasmBuilder.Code().i64(p.seed()).localSet(0).i32(p.iterations()).localSet(1)
                .op(0x02, 0x40).op(0x03, 0x40) // block, loop
                .localGet(1).op(0x45).brIf(1) // i == 0 -> exit
                .localGet(1).i32(1).op(0x6B).localSet(1);
        for (Step s : p.steps()) {
            switch (s.kind()) {
                case 0 -> c.localGet(0).i64(s.constant()).op(0x7C).localSet(0);
                case 1 -> c.localGet(0).i64(s.constant()).op(0x7D).localSet(0);
                case 2 -> c.localGet(0).i64(s.constant()).op(0x7E).localSet(0);
                case 3 -> c.localGet(0).i64(s.constant()).op(0x85).localSet(0);
                case 4 -> c.localGet(0).i64(s.constant()).op(0x89).localSet(0);
                case 5 -> c.localGet(0).i64(s.constant()).op(0x88).localSet(0);
                case 6 -> c.localGet(0).i64(s.constant() | 1).op(0x82).localSet(0); // rem_u by an odd, non-zero divisor
                case 7 -> c.localGet(0).i64(1).op(0x83).op(0xA7) // (i32.wrap (acc & 1))
                        .op(0x04, 0x40).localGet(0).i64(s.constant()).op(0x7C).localSet(0)
                        .op(0x05).localGet(0).i64(s.constant()).op(0x85).localSet(0).op(0x0B);
                case 8 -> c.localGet(0).call(mix).localSet(0);
                default -> c.op(0x02, I64).localGet(0).localGet(0).op(0x50).brIf(0).i64(s.constant()).op(0x7C).op(0x0B).localSet(0);
            }
        }
        c.br(0).op(0x0B).op(0x0B).localGet(0);
        b.export("f", b.function(t, new int[] {I64, I32}, c.bytes()));
        return b.build();
    }

    record Run(long result, long gasLeft, boolean outOfGas) {}

    static Run instrumented(PreparedCode code, long gas) {
        Instance i = Instance.builder(code.module()).withStart(false).build();
        i.global(code.gasGlobal()).setValue(gas);
        try {
            long r = i.export("f").apply()[0];
            return new Run(r, i.global(code.gasGlobal()).getValue(), false);
        } catch (ChicoryException e) {
            assertThat(i.global(code.gasGlobal()).getValue()).isNegative();
            return new Run(0, 0, true);
        }
    }

    @Property(tries = 200)
    void instrumentedModulesComputeWhatTheOriginalDoesAndChargeTheSameEachRun(@ForAll("programs") Program p) {
        byte[] original = module(p);
        long expected = Instance.builder(Parser.parse(original)).build().export("f").apply()[0];
        PreparedCode code = PreparedCode.of(original);
        long limit = 10_000_000;
        Run first = instrumented(code, limit);
        Run second = instrumented(PreparedCode.of(original), limit);
        assertThat(first.result()).isEqualTo(expected);
        assertThat(second).isEqualTo(first);
        long used = limit - first.gasLeft();
        assertThat(used).isPositive();
        // Exactly the gas used is enough; one less is not.
        assertThat(instrumented(code, used)).isEqualTo(new Run(expected, 0, false));
        assertThat(instrumented(code, used - 1).outOfGas()).isTrue();
    }
}
