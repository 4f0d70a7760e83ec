package io.maaschain.contracts;

import static io.maaschain.contracts.WasmBuilder.F64;
import static io.maaschain.contracts.WasmBuilder.I32;
import static io.maaschain.contracts.WasmBuilder.I64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModuleValidatorTest {
    static final int[] NONE = {};

    static WasmBuilder withEntry(byte[] body, int... locals) {
        WasmBuilder b = new WasmBuilder();
        int t = b.type(NONE, NONE);
        b.export("run", b.function(t, locals, body));
        return b;
    }

    static ModuleRejection rejection(byte[] module) {
        try {
            ModuleValidator.validate(module);
        } catch (ModuleRejectedException e) {
            return e.reason();
        }
        return null;
    }

    @Test
    void acceptsAnIntegerModuleThatImportsOnlyTheHostApi() {
        WasmBuilder b = new WasmBuilder();
        b.importHost(HostApi.STORAGE_WRITE);
        int t = b.type(NONE, NONE);
        b.export("run", b.function(t, new int[] {I64}, new WasmBuilder.Code().i64(2).i64(3).op(0x7C).localSet(0).bytes()));
        b.memory(1);
        assertThat(rejection(b.build())).isNull();
    }

    @Test
    void refusesFloatInstructionsTypesLocalsAndGlobals() {
        byte[] f64Add = new WasmBuilder.Code().op(0x44, 0, 0, 0, 0, 0, 0, 0, 0).op(0x44, 0, 0, 0, 0, 0, 0, 0, 0).op(0xA0).op(0x1A).bytes();
        assertThat(rejection(withEntry(f64Add).build())).isEqualTo(ModuleRejection.FLOAT_INSTRUCTION);
        assertThat(rejection(withEntry(new byte[0], F64).build())).isEqualTo(ModuleRejection.FLOAT_INSTRUCTION);
        // i32 -> f32 conversion then i32.reinterpret: no float constant, still a float instruction
        byte[] convert = new WasmBuilder.Code().i32(1).op(0xB2).op(0xBC).op(0x1A).bytes();
        assertThat(rejection(withEntry(convert).build())).isEqualTo(ModuleRejection.FLOAT_INSTRUCTION);
        assertThat(rejection(withEntry(new byte[0]).globalF64().build())).isEqualTo(ModuleRejection.FLOAT_INSTRUCTION);
        WasmBuilder b = new WasmBuilder();
        int t = b.type(new int[] {F64}, NONE);
        b.function(t, NONE, new byte[0]);
        assertThat(rejection(b.build())).isEqualTo(ModuleRejection.FLOAT_INSTRUCTION);
    }

    @Test
    void refusesImportsOutsideTheHostApiAndWrongSignatures() {
        WasmBuilder b = new WasmBuilder();
        b.importFunction("wasi_snapshot_preview1", "fd_write", b.type(new int[] {I32, I32, I32, I32}, new int[] {I32}));
        assertThat(rejection(b.build())).isEqualTo(ModuleRejection.FORBIDDEN_IMPORT);
        WasmBuilder wrong = new WasmBuilder();
        wrong.importFunction("maas", "storage_write", wrong.type(new int[] {I32}, NONE));
        assertThat(rejection(wrong.build())).isEqualTo(ModuleRejection.FORBIDDEN_IMPORT);
    }

    @Test
    void refusesAStartFunction() {
        WasmBuilder b = new WasmBuilder();
        int t = b.type(NONE, NONE);
        b.start(b.function(t, NONE, new byte[0]));
        assertThat(rejection(b.build())).isEqualTo(ModuleRejection.START_FUNCTION);
    }

    @Test
    void refusesModulesPastTheLimits() {
        assertThat(rejection(withEntry(new byte[0]).memory(ContractLimits.MAX_MEMORY_PAGES + 1).build())).isEqualTo(ModuleRejection.MEMORY_TOO_LARGE);
        assertThat(rejection(withEntry(new byte[0]).memory(ContractLimits.MAX_MEMORY_PAGES).build())).isNull();
        assertThat(rejection(withEntry(new byte[0]).table(ContractLimits.MAX_TABLE_ELEMENTS + 1).build())).isEqualTo(ModuleRejection.TABLE_TOO_LARGE);
        int[] locals = new int[ContractLimits.MAX_LOCALS + 1];
        java.util.Arrays.fill(locals, I32);
        assertThat(rejection(withEntry(new byte[0], locals).build())).isEqualTo(ModuleRejection.TOO_MANY_LOCALS);
        WasmBuilder many = new WasmBuilder();
        int t = many.type(NONE, NONE);
        for (int i = 0; i <= ContractLimits.MAX_FUNCTIONS; i++) many.function(t, NONE, new byte[0]);
        assertThat(rejection(many.build())).isEqualTo(ModuleRejection.TOO_MANY_FUNCTIONS);
        WasmBuilder big = withEntry(new byte[0]).memory(1).data(0, new byte[ContractLimits.MAX_CODE_BYTES]);
        assertThat(rejection(big.build())).isEqualTo(ModuleRejection.TOO_LARGE);
    }

    @Test
    void refusesMalformedBytesAndReservedExports() {
        assertThat(rejection(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 0})).isEqualTo(ModuleRejection.MALFORMED);
        assertThat(rejection(new byte[] {1, 2, 3})).isEqualTo(ModuleRejection.MALFORMED);
        // type-incorrect body: i32.add on an empty stack
        assertThat(rejection(withEntry(new byte[] {0x6A}).build())).isEqualTo(ModuleRejection.MALFORMED);
        WasmBuilder b = new WasmBuilder();
        int t = b.type(NONE, NONE);
        b.export("__maas_gas", b.function(t, NONE, new byte[0]));
        assertThat(rejection(b.build())).isEqualTo(ModuleRejection.RESERVED_EXPORT);
    }

    @Test
    void refusesPostMvpInstructionsOutsideTheAllowedSet() {
        // ref.null func; drop
        assertThatThrownBy(() -> ModuleValidator.validate(withEntry(new byte[] {(byte) 0xD0, 0x70, 0x1A}).build()))
                .isInstanceOf(ModuleRejectedException.class)
                .satisfies(e -> assertThat(((ModuleRejectedException) e).reason()).isEqualTo(ModuleRejection.UNSUPPORTED_INSTRUCTION));
    }
}
