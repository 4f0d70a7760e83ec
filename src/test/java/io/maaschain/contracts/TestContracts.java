package io.maaschain.contracts;

import static io.maaschain.contracts.WasmBuilder.I32;
import static io.maaschain.contracts.WasmBuilder.I64;

/** Hand-assembled contracts for chain-level tests (memory: 0..31 scratch, 32.. constants). */
public final class TestContracts {
    private TestContracts() {}

    /**
     * increment: counter in storage "c", returned (i64 LE); pay: transfers the u64 LE input to the caller;
     * spin: loops forever; fail: writes storage, emits, then reverts; note: emits topic "t" with data "d";
     * callself: calls its own "increment" (re-entrance) and returns the status as i32 LE; withdraw_all: sends its balance to the caller.
     */
    public static byte[] multi() {
        WasmBuilder b = new WasmBuilder();
        int read = b.importHost(HostApi.STORAGE_READ);
        int write = b.importHost(HostApi.STORAGE_WRITE);
        int ret = b.importHost(HostApi.SET_RETURN);
        int caller = b.importHost(HostApi.CALLER);
        int transfer = b.importHost(HostApi.TRANSFER);
        int inputRead = b.importHost(HostApi.INPUT_READ);
        int emit = b.importHost(HostApi.EMIT);
        int revert = b.importHost(HostApi.REVERT);
        int self = b.importHost(HostApi.SELF_ADDRESS);
        int call = b.importHost(HostApi.CALL);
        int balance = b.importHost(HostApi.BALANCE);
        int t = b.type(new int[] {}, new int[] {});
        // constants at 32: "c" 32, "t" 33, "d" 34, "no" 35..36, "increment" 40..48
        b.export("increment", b.function(t, new int[] {I64}, new WasmBuilder.Code()
                .i32(32).i32(1).i32(8).i32(8).call(read).op(0x1A)
                .i32(8).op(0x29, 3, 0).i64(1).op(0x7C).localSet(0)
                .i32(8).localGet(0).op(0x37, 3, 0)
                .i32(32).i32(1).i32(8).i32(8).call(write)
                .i32(8).i32(8).call(ret).bytes()));
        b.export("pay", b.function(t, new int[] {}, new WasmBuilder.Code()
                .i32(0).call(caller).i32(24).call(inputRead)
                .i32(0).i32(24).op(0x29, 3, 0).call(transfer).bytes()));
        b.export("spin", b.function(t, new int[] {}, new WasmBuilder.Code().op(0x03, 0x40).br(0).op(0x0B).bytes()));
        b.export("fail", b.function(t, new int[] {}, new WasmBuilder.Code()
                .i32(32).i32(1).i32(33).i32(1).call(write)
                .i32(33).i32(1).i32(34).i32(1).call(emit)
                .i32(35).i32(2).call(revert).bytes()));
        b.export("note", b.function(t, new int[] {}, new WasmBuilder.Code()
                .i32(33).i32(1).i32(34).i32(1).call(emit).bytes()));
        b.export("callself", b.function(t, new int[] {}, new WasmBuilder.Code()
                .i32(0).call(self)
                .i32(24).i32(0).i32(40).i32(9).i32(0).i32(0).i64(0).i64(100_000).call(call).op(0x36, 2, 0)
                .i32(24).i32(4).call(ret).bytes()));
        b.export("withdraw_all", b.function(t, new int[] {}, new WasmBuilder.Code()
                .i32(0).call(caller).i32(100).call(self)
                .i32(0).i32(100).call(balance).call(transfer).bytes()));
        b.memory(1).data(32, "ctdno\0\0\0increment".getBytes());
        return b.build();
    }

    /**
     * A model policy whose answer is set by a call: set stores its 9-byte input under "a"; authorize returns what is
     * stored (9 zero bytes, a denial, until set).
     */
    public static byte[] policy() {
        WasmBuilder b = new WasmBuilder();
        int read = b.importHost(HostApi.STORAGE_READ);
        int write = b.importHost(HostApi.STORAGE_WRITE);
        int ret = b.importHost(HostApi.SET_RETURN);
        int inputRead = b.importHost(HostApi.INPUT_READ);
        int t = b.type(new int[] {}, new int[] {});
        b.export("set", b.function(t, new int[] {}, new WasmBuilder.Code()
                .i32(0).call(inputRead).i32(32).i32(1).i32(0).i32(9).call(write).bytes()));
        b.export("authorize", b.function(t, new int[] {}, new WasmBuilder.Code()
                .i32(32).i32(1).i32(0).i32(9).call(read).op(0x1A).i32(0).i32(9).call(ret).bytes()));
        b.memory(1).data(32, "a".getBytes());
        return b.build();
    }

    /** A model policy whose authorize never ends (it runs out of gas). */
    public static byte[] spinningPolicy() {
        WasmBuilder b = new WasmBuilder();
        int t = b.type(new int[] {}, new int[] {});
        b.export("authorize", b.function(t, new int[] {}, new WasmBuilder.Code().op(0x03, 0x40).br(0).op(0x0B).bytes()));
        b.memory(1);
        return b.build();
    }

    /** forward: calls "increment" on the contract whose 20-byte address is the input; returns the status (i32 LE) then the callee's return data. */
    public static byte[] forwarder() {
        WasmBuilder b = new WasmBuilder();
        int inputRead = b.importHost(HostApi.INPUT_READ);
        int call = b.importHost(HostApi.CALL);
        int rsize = b.importHost(HostApi.RETURN_DATA_SIZE);
        int rread = b.importHost(HostApi.RETURN_DATA_READ);
        int ret = b.importHost(HostApi.SET_RETURN);
        int t = b.type(new int[] {}, new int[] {});
        b.export("forward", b.function(t, new int[] {I32}, new WasmBuilder.Code()
                .i32(0).call(inputRead)
                .i32(64).i32(0).i32(40).i32(9).i32(0).i32(0).i64(0).i64(1_000_000).call(call).op(0x36, 2, 0)
                .i32(68).call(rread)
                .i32(64).call(rsize).i32(4).op(0x6A).call(ret).bytes()));
        b.memory(1).data(40, "increment".getBytes());
        return b.build();
    }
}
