package io.maaschain.contracts;

/**
 * Decodes one instruction of a function body at a time: its opcode and the extent of its immediates. It accepts the
 * integer subset contracts may use (MVP integer instructions, sign extension, multi-value blocks, bulk memory) and
 * refuses the rest: every float instruction ({@link ModuleRejection#FLOAT_INSTRUCTION}), and reference types, tables
 * ops, SIMD, threads, exceptions and tail calls ({@link ModuleRejection#UNSUPPORTED_INSTRUCTION}).
 */
final class Instructions {
    static final int UNREACHABLE = 0x00;
    static final int BLOCK = 0x02;
    static final int LOOP = 0x03;
    static final int IF = 0x04;
    static final int ELSE = 0x05;
    static final int END = 0x0B;
    static final int BR = 0x0C;
    static final int BR_IF = 0x0D;
    static final int BR_TABLE = 0x0E;
    static final int RETURN = 0x0F;
    static final int CALL = 0x10;
    static final int CALL_INDIRECT = 0x11;
    static final int MEMORY_GROW = 0x40;
    static final int PREFIX_FC = 0xFC;
    static final int MEMORY_INIT = 0xFC08;
    static final int DATA_DROP = 0xFC09;
    static final int MEMORY_COPY = 0xFC0A;
    static final int MEMORY_FILL = 0xFC0B;

    /** One decoded instruction: opcode (0xFCnn for prefixed ones), byte range, and the callee of a call. */
    record Op(int opcode, int start, int end, int callee) {
        /** Instructions after which a new metered block starts. */
        boolean endsBlock() {
            return switch (opcode) {
                case BLOCK, LOOP, IF, ELSE, END, BR, BR_IF, BR_TABLE, RETURN, UNREACHABLE -> true;
                default -> false;
            };
        }
    }

    private Instructions() {}

    static Op next(WasmReader r) {
        int start = r.position();
        int op = r.u8();
        int callee = -1;
        switch (op) {
            case UNREACHABLE, 0x01, ELSE, END, RETURN, 0x1A, 0x1B -> { }
            case BLOCK, LOOP, IF -> blockType(r);
            case BR, BR_IF -> r.u32();
            case BR_TABLE -> {
                long n = r.u32();
                for (long i = 0; i <= n; i++) r.u32();
            }
            case CALL -> callee = r.index();
            case CALL_INDIRECT -> {
                r.u32();
                if (r.u32() != 0) throw unsupported("call_indirect on a table other than 0");
            }
            case 0x1C -> throw unsupported("typed select (reference types)");
            case 0x20, 0x21, 0x22, 0x23, 0x24 -> r.u32();
            case 0x2A, 0x2B, 0x38, 0x39 -> throw floats(op);
            case 0x3F, MEMORY_GROW -> {
                if (r.u8() != 0) throw unsupported("multiple memories");
            }
            case 0x41 -> r.signed(32);
            case 0x42 -> r.signed(64);
            case 0x43, 0x44 -> throw floats(op);
            case PREFIX_FC -> {
                long sub = r.u32();
                op = PREFIX_FC << 8 | (int) Math.min(sub, 0xFF);
                switch (op) {
                    case MEMORY_INIT -> {
                        r.u32();
                        if (r.u8() != 0) throw unsupported("multiple memories");
                    }
                    case DATA_DROP -> r.u32();
                    case MEMORY_COPY -> {
                        if (r.u8() != 0 || r.u8() != 0) throw unsupported("multiple memories");
                    }
                    case MEMORY_FILL -> {
                        if (r.u8() != 0) throw unsupported("multiple memories");
                    }
                    default -> {
                        if (sub <= 7) throw floats(op);
                        throw unsupported("0xFC " + sub + " (table or other post-MVP instruction)");
                    }
                }
            }
            default -> {
                if (op >= 0x28 && op <= 0x3E) {
                    r.u32();
                    r.u32();
                } else if (isFloat(op)) {
                    throw floats(op);
                } else if (!(op >= 0x45 && op <= 0xC4)) {
                    throw unsupported(String.format("opcode 0x%02X", op));
                }
            }
        }
        return new Op(op, start, r.position(), callee);
    }

    /** Float comparisons, arithmetic and conversions among the numeric opcodes 0x45..0xC4. */
    static boolean isFloat(int op) {
        if (op >= 0x5B && op <= 0x66) return true;
        if (op >= 0x8B && op <= 0xA6) return true;
        if (op >= 0xA7 && op <= 0xBF) return op != 0xA7 && op != 0xAC && op != 0xAD;
        return false;
    }

    private static void blockType(WasmReader r) {
        // 0x40 (empty) or a value type is one byte; otherwise a non-negative s33 type index.
        int b = r.u8();
        if (b == 0x40 || b == 0x7F || b == 0x7E) return;
        if (b == 0x7D || b == 0x7C) throw new ModuleRejectedException(ModuleRejection.FLOAT_INSTRUCTION, "block of float type");
        if ((b & 0x80) == 0) {
            if ((b & 0x40) != 0) throw unsupported(String.format("block of type 0x%02X (vector or reference)", b));
            return;
        }
        int n = 1;
        do {
            b = r.u8();
            n++;
        } while ((b & 0x80) != 0 && n < 5);
        if ((b & 0x80) != 0) throw WasmReader.malformed("block type index longer than 5 bytes");
    }

    private static ModuleRejectedException floats(int op) {
        return new ModuleRejectedException(ModuleRejection.FLOAT_INSTRUCTION,
                String.format("float instruction 0x%X: contracts may not use floating point", op));
    }

    private static ModuleRejectedException unsupported(String what) {
        return new ModuleRejectedException(ModuleRejection.UNSUPPORTED_INSTRUCTION, "unsupported instruction: " + what);
    }
}
