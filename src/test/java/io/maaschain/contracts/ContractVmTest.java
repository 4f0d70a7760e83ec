package io.maaschain.contracts;

import static io.maaschain.contracts.WasmBuilder.I32;
import static io.maaschain.contracts.WasmBuilder.I64;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ContractVmTest {
    static final int[] NONE = {};

    /** increment(): n = storage["c"] (i64 LE, 0 if absent) + 1; store it; return it. Memory: key at 0, value at 8. */
    static byte[] counter() {
        WasmBuilder b = new WasmBuilder();
        int read = b.importHost(HostApi.STORAGE_READ);
        int write = b.importHost(HostApi.STORAGE_WRITE);
        int ret = b.importHost(HostApi.SET_RETURN);
        int t = b.type(NONE, NONE);
        byte[] body = new WasmBuilder.Code()
                .i32(0).i32(1).i32(8).i32(8).call(read).op(0x1A) // drop length
                .i32(8).op(0x29, 3, 0) // i64.load
                .i64(1).op(0x7C) // i64.add
                .localSet(0)
                .i32(8).localGet(0).op(0x37, 3, 0) // i64.store
                .i32(0).i32(1).i32(8).i32(8).call(write)
                .i32(8).i32(8).call(ret)
                .bytes();
        b.export("increment", b.function(t, new int[] {I64}, body));
        b.memory(1).data(0, new byte[] {'c'});
        return b.build();
    }

    static long le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aCounterStoresAndReturnsItsValueAndChargesTheSameGasEachTime() {
        PreparedCode code = PreparedCode.of(counter());
        MapHost host = new MapHost();
        CallOutcome first = ContractVm.run(code, "increment", host, 100_000);
        CallOutcome second = ContractVm.run(code, "increment", host, 100_000);
        assertThat(first.status()).isEqualTo(CallStatus.OK);
        assertThat(le(first.returnData())).isEqualTo(1);
        assertThat(le(second.returnData())).isEqualTo(2);
        assertThat(le(host.storage.get("63"))).isEqualTo(2);
        // host prices: read(1 key byte, +8 value bytes the second time), write (1+8 bytes), set_return (8)
        long instructions = first.gasUsed() - HostApi.STORAGE_READ.price(1) - HostApi.STORAGE_WRITE.price(9) - HostApi.SET_RETURN.price(8);
        assertThat(instructions).isPositive().isLessThan(60);
        assertThat(second.gasUsed()).isEqualTo(first.gasUsed() + 8);
        PreparedCode again = PreparedCode.of(counter());
        MapHost fresh = new MapHost();
        assertThat(ContractVm.run(again, "increment", fresh, 100_000).gasUsed()).isEqualTo(first.gasUsed());
    }

    @Test
    void anInfiniteLoopRunsOutOfGasAndUsesTheWholeLimit() {
        WasmBuilder b = new WasmBuilder();
        int t = b.type(NONE, NONE);
        b.export("spin", b.function(t, NONE, new WasmBuilder.Code().op(0x03, 0x40).br(0).op(0x0B).bytes()));
        CallOutcome out = ContractVm.run(PreparedCode.of(b.build()), "spin", new MapHost(), 50_000);
        assertThat(out.status()).isEqualTo(CallStatus.OUT_OF_GAS);
        assertThat(out.gasUsed()).isEqualTo(50_000);
    }

    @Test
    void unboundedRecursionHitsTheInjectedStackLimitNotTheJvms() {
        WasmBuilder b = new WasmBuilder();
        int t = b.type(NONE, NONE);
        int self = b.function(t, new int[] {I64, I64, I64}, new WasmBuilder.Code().call(0).bytes());
        b.export("recurse", self);
        CallOutcome out = ContractVm.run(PreparedCode.of(b.build()), "recurse", new MapHost(), 10_000_000);
        assertThat(out.status()).isEqualTo(CallStatus.STACK_OVERFLOW);
        assertThat(out.gasUsed()).isLessThan(10_000_000);
        // The smallest frame (cost 1) allows the deepest recursion: it must also stop at our limit.
        WasmBuilder thin = new WasmBuilder();
        int t2 = thin.type(NONE, NONE);
        thin.export("recurse", thin.function(t2, NONE, new WasmBuilder.Code().call(0).bytes()));
        CallOutcome deep = ContractVm.run(PreparedCode.of(thin.build()), "recurse", new MapHost(), 10_000_000);
        assertThat(deep.status()).isEqualTo(CallStatus.STACK_OVERFLOW);
        assertThat(deep.message()).contains("stack limit");
        // The margin: the deepest nesting the limit allows fits in half a default thread stack.
        CallOutcome[] onSmallStack = new CallOutcome[1];
        Thread t3 = new Thread(null, () -> onSmallStack[0] = ContractVm.run(PreparedCode.of(thin.build()), "recurse", new MapHost(), 10_000_000), "small", 512 * 1024);
        t3.start();
        try {
            t3.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(onSmallStack[0].status()).isEqualTo(CallStatus.STACK_OVERFLOW);
        assertThat(onSmallStack[0].message()).contains("stack limit");
    }

    @Test
    void memoryCannotGrowPastTheCap() {
        // result stored to storage: memory.grow(MAX) from 1 page returns -1
        WasmBuilder b = new WasmBuilder();
        int ret = b.importHost(HostApi.SET_RETURN);
        int t = b.type(NONE, NONE);
        byte[] body = new WasmBuilder.Code().i32(0).i32(ContractLimits.MAX_MEMORY_PAGES).op(0x40, 0).op(0x36, 2, 0)
                .i32(4).i32(ContractLimits.MAX_MEMORY_PAGES - 1).op(0x40, 0).op(0x36, 2, 0)
                .i32(0).i32(8).call(ret).bytes();
        b.export("grow", b.function(t, NONE, body));
        b.memory(1);
        CallOutcome out = ContractVm.run(PreparedCode.of(b.build()), "grow", new MapHost(), 100_000);
        assertThat(out.status()).isEqualTo(CallStatus.OK);
        ByteBuffer r = ByteBuffer.wrap(out.returnData()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(r.getInt()).isEqualTo(-1);
        assertThat(r.getInt()).isEqualTo(1); // the old size: growing to exactly the cap works
    }

    @Test
    void revertUnreachableAndMissingFunctionsEndWithTheirOwnStatus() {
        WasmBuilder b = new WasmBuilder();
        int revert = b.importHost(HostApi.REVERT);
        int t = b.type(NONE, NONE);
        b.export("no", b.function(t, NONE, new WasmBuilder.Code().i32(0).i32(4).call(revert).bytes()));
        b.export("boom", b.function(t, NONE, new WasmBuilder.Code().op(0x00).bytes()));
        int withParam = b.type(new int[] {I32}, NONE);
        b.export("param", b.function(withParam, NONE, new byte[0]));
        b.memory(1).data(0, "nope".getBytes());
        PreparedCode code = PreparedCode.of(b.build());
        CallOutcome no = ContractVm.run(code, "no", new MapHost(), 10_000);
        assertThat(no.status()).isEqualTo(CallStatus.ABORTED);
        assertThat(no.message()).isEqualTo("reverted: nope");
        assertThat(ContractVm.run(code, "boom", new MapHost(), 10_000).status()).isEqualTo(CallStatus.TRAP);
        assertThat(ContractVm.run(code, "absent", new MapHost(), 10_000).status()).isEqualTo(CallStatus.MISSING_FUNCTION);
        assertThat(ContractVm.run(code, "param", new MapHost(), 10_000).status()).isEqualTo(CallStatus.MISSING_FUNCTION);
        assertThat(ContractVm.run(code, "memory", new MapHost(), 10_000).status()).isEqualTo(CallStatus.MISSING_FUNCTION);
    }

    @Test
    void aHostCallBeyondTheGasLeftIsOutOfGas() {
        PreparedCode code = PreparedCode.of(counter());
        MapHost host = new MapHost();
        CallOutcome out = ContractVm.run(code, "increment", host, HostApi.STORAGE_READ.price(1) + 100);
        assertThat(out.status()).isEqualTo(CallStatus.OUT_OF_GAS);
        assertThat(host.storage).isEmpty();
    }
}
