package io.maaschain.bench;

import static io.maaschain.contracts.WasmBuilder.I32;
import static io.maaschain.contracts.WasmBuilder.I64;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.maaschain.contracts.CallOutcome;
import io.maaschain.contracts.CallStatus;
import io.maaschain.contracts.ContractHost;
import io.maaschain.contracts.ContractVm;
import io.maaschain.contracts.HostApi;
import io.maaschain.contracts.MapHost;
import io.maaschain.contracts.PreparedCode;
import io.maaschain.contracts.WasmBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of metering: a contract function run as the chain runs it ({@link PreparedCode}: gas and stack counters
 * injected by {@code GasInstrumenter}, through {@link ContractVm#run} with the host charging gas) against the same
 * module uninstrumented, on the same Chicory interpreter, with the same inputs and the same host functions minus the
 * gas charge. Both create a fresh instance per call, as {@code ContractVm} does.
 *
 * <ul>
 *   <li>{@code compute}: a loop of 10,000 iterations of i64 arithmetic (an LCG step, xor-shift) and i64 loads and
 *       stores over 8 KiB of memory; one host call at the end (set_return). Shows what the injected code costs.</li>
 *   <li>{@code storage}: 64 iterations of storage_read, add one, storage_write on 16 keys (a {@code MapHost}):
 *       the host calls dominate, as in most real contracts.</li>
 * </ul>
 *
 * The set-up checks that both variants return the same bytes and leave the same storage, and that the metered one
 * charges the same gas on every run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class ContractMeteringBench {
    static final long GAS_LIMIT = 50_000_000;
    static final int COMPUTE_ITERATIONS = 10_000;
    static final int STORAGE_ITERATIONS = 64;

    @Param({"compute", "storage"})
    public String workload;

    private PreparedCode metered;
    private WasmModule plain;
    private MapHost meteredHost;
    private MapHost plainHost;

    @Setup
    public void setUp() {
        byte[] code = switch (workload) {
            case "compute" -> compute();
            case "storage" -> storage();
            default -> throw new IllegalArgumentException(workload);
        };
        metered = PreparedCode.of(code);
        plain = Parser.parse(code);
        MapHost a = new MapHost();
        MapHost b = new MapHost();
        CallOutcome first = ContractVm.run(metered, "run", a, GAS_LIMIT);
        CallOutcome again = ContractVm.run(metered, "run", new MapHost(), GAS_LIMIT);
        byte[] unmetered = runPlain(plain, "run", b);
        if (first.status() != CallStatus.OK || !Arrays.equals(first.returnData(), unmetered)
                || !a.storage.keySet().equals(b.storage.keySet())
                || !a.storage.keySet().stream().allMatch(k -> Arrays.equals(a.storage.get(k), b.storage.get(k)))) {
            throw new IllegalStateException("metered and unmetered runs differ: " + first + " vs " + Arrays.toString(unmetered));
        }
        if (again.gasUsed() != first.gasUsed() || !Arrays.equals(again.returnData(), first.returnData())) {
            throw new IllegalStateException("gas differs between runs: " + first.gasUsed() + " and " + again.gasUsed());
        }
        System.out.printf("%nMETERING workload=%s module_bytes=%d instrumented_bytes=%d gas_per_call=%d%n", workload, code.length,
                metered.instrumentedSize(), first.gasUsed());
        meteredHost = new MapHost();
        plainHost = new MapHost();
    }

    @Benchmark
    public CallOutcome metered() {
        return ContractVm.run(metered, "run", meteredHost, GAS_LIMIT);
    }

    @Benchmark
    public byte[] unmetered() {
        return runPlain(plain, "run", plainHost);
    }

    // ------------------------------------------------------------------------------------------------ cross-check

    /**
     * A load-robust cross-check of the JMH figures on a shared machine: JMH measures each variant minutes apart, so a
     * neighbour's build can land on one and not the other. This alternates the two variants in half-second slices,
     * {@code rounds} times per workload, and compares this thread's CPU time per call, summed over the slices.
     * Prints {@code RESULT metering_alternating workload=... metered_us=... unmetered_us=... ratio=...}.
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String w : List.of("compute", "storage")) {
            ContractMeteringBench b = new ContractMeteringBench();
            b.workload = w;
            b.setUp();
            long[] cpu = new long[2];
            long[] calls = new long[2];
            for (int r = 0; r < rounds + 2; r++) { // the first two rounds warm up
                for (int v = 0; v < 2; v++) {
                    long end = System.nanoTime() + 500_000_000L;
                    long c0 = threads.getCurrentThreadCpuTime();
                    long n = 0;
                    do {
                        if (v == 0) b.metered();
                        else b.unmetered();
                        n++;
                    } while (System.nanoTime() < end);
                    if (r >= 2) {
                        cpu[v] += threads.getCurrentThreadCpuTime() - c0;
                        calls[v] += n;
                    }
                }
            }
            double m = cpu[0] / 1e3 / calls[0];
            double u = cpu[1] / 1e3 / calls[1];
            System.out.printf(java.util.Locale.ROOT, "RESULT metering_alternating workload=%s metered_us=%.1f unmetered_us=%.1f ratio=%.3f calls=%d,%d rounds=%d%n",
                    w, m, u, m / u, calls[0], calls[1], rounds);
        }
    }

    // ------------------------------------------------------------------------------------------------ modules

    /** run: acc = LCG and xor-shift steps mixed with loads and stores over mem[0, 8192); returns acc (i64 LE). */
    static byte[] compute() {
        WasmBuilder b = new WasmBuilder();
        int ret = b.importHost(HostApi.SET_RETURN);
        int t = b.type(new int[] {}, new int[] {});
        // locals: 0 i (i32), 1 acc (i64), 2 p (i32)
        WasmBuilder.Code c = new WasmBuilder.Code().i32(COMPUTE_ITERATIONS).localSet(0).i64(0x2545F4914F6CDD1DL).localSet(1)
                .op(0x02, 0x40).op(0x03, 0x40)
                .localGet(0).op(0x45).brIf(1)
                .localGet(0).i32(1).op(0x6B).localSet(0)
                .localGet(0).i32(1023).op(0x71).i32(3).op(0x74).localSet(2) // p = (i & 1023) << 3
                .localGet(1).i64(6364136223846793005L).op(0x7E).i64(1442695040888963407L).op(0x7C).localSet(1) // acc = acc * a + c
                .localGet(2).localGet(2).op(0x29, 3, 0).localGet(1).op(0x85).op(0x37, 3, 0) // mem[p] ^= acc
                .localGet(1).localGet(1).i64(29).op(0x88).op(0x85).localSet(1) // acc ^= acc >>> 29
                .localGet(1).localGet(2).i32(8).op(0x6A).i32(8191).op(0x71).op(0x29, 3, 0).op(0x7C).localSet(1) // acc += mem[(p + 8) & 8191]
                .br(0).op(0x0B).op(0x0B)
                .i32(8192).localGet(1).op(0x37, 3, 0)
                .i32(8192).i32(8).call(ret);
        b.export("run", b.function(t, new int[] {I32, I64, I32}, c.bytes()));
        b.memory(1);
        return b.build();
    }

    /** run: for 64 iterations, storage[i & 15] += 1 (4-byte key at 0, 8-byte value at 16); returns the last value. */
    static byte[] storage() {
        WasmBuilder b = new WasmBuilder();
        int read = b.importHost(HostApi.STORAGE_READ);
        int write = b.importHost(HostApi.STORAGE_WRITE);
        int ret = b.importHost(HostApi.SET_RETURN);
        int t = b.type(new int[] {}, new int[] {});
        WasmBuilder.Code c = new WasmBuilder.Code().i32(STORAGE_ITERATIONS).localSet(0)
                .op(0x02, 0x40).op(0x03, 0x40)
                .localGet(0).op(0x45).brIf(1)
                .localGet(0).i32(1).op(0x6B).localSet(0)
                .i32(0).localGet(0).i32(15).op(0x71).op(0x36, 2, 0) // key = i & 15
                .i32(16).i64(0).op(0x37, 3, 0) // value = 0 unless stored
                .i32(0).i32(4).i32(16).i32(8).call(read).op(0x1A)
                .i32(16).i32(16).op(0x29, 3, 0).i64(1).op(0x7C).op(0x37, 3, 0)
                .i32(0).i32(4).i32(16).i32(8).call(write)
                .br(0).op(0x0B).op(0x0B)
                .i32(16).i32(8).call(ret);
        b.export("run", b.function(t, new int[] {I32}, c.bytes()));
        b.memory(1);
        return b.build();
    }

    // ------------------------------------------------------------------------------------------------ unmetered runner

    /**
     * Runs {@code function} of an uninstrumented module with the host functions these modules import, doing what
     * {@code ContractVm}'s do minus the gas charge; a fresh instance per call.
     */
    static byte[] runPlain(WasmModule module, String function, ContractHost host) {
        byte[][] returned = {new byte[0]};
        List<ImportFunction> fns = new ArrayList<>();
        var imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            HostApi api = HostApi.lookup(imports.getImport(i).module(), imports.getImport(i).name());
            fns.add(new HostFunction(api.module(), api.field(), api.type(), (inst, a) -> {
                Memory m = inst.memory();
                switch (api) {
                    case STORAGE_READ -> {
                        byte[] v = host.storageRead(m.readBytes((int) a[0], (int) a[1]));
                        if (v == null) return new long[] {-1};
                        m.write((int) a[2], v, 0, (int) Math.max(0, Math.min(a[3], v.length)));
                        return new long[] {v.length};
                    }
                    case STORAGE_WRITE -> host.storageWrite(m.readBytes((int) a[0], (int) a[1]), m.readBytes((int) a[2], (int) a[3]));
                    case SET_RETURN -> returned[0] = m.readBytes((int) a[0], (int) a[1]);
                    default -> throw new UnsupportedOperationException(api.field());
                }
                return null;
            }));
        }
        Instance instance = Instance.builder(module).withImportValues(ImportValues.builder().withFunctions(fns).build()).withStart(false).build();
        instance.export(function).apply();
        return returned[0];
    }
}
