package io.maaschain.maas.inference;

import java.util.Optional;

/** The tensor data types of the Open Inference Protocol v2, with their element size in bytes (0 for BYTES). */
public enum DataType {
    BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8), INT8(1), INT16(2), INT32(4), INT64(8), FP16(2), FP32(4), FP64(8), BYTES(0);

    private final int elementSize;

    DataType(int elementSize) {
        this.elementSize = elementSize;
    }

    public int elementSize() {
        return elementSize;
    }

    /** Exact, case-sensitive protocol name (OIP says "FP32", not "fp32"). BF16 is valid in the protocol but unsupported here. */
    public static Optional<DataType> parse(String name) {
        for (DataType t : values()) if (t.name().equals(name)) return Optional.of(t);
        return Optional.empty();
    }

    /** The Java array type that holds a tensor of this type, row-major and flattened. */
    public Class<?> arrayClass() {
        return switch (this) {
            case BOOL -> boolean[].class;
            case UINT8, INT8 -> byte[].class;
            case UINT16, INT16, FP16 -> short[].class;
            case UINT32, INT32 -> int[].class;
            case UINT64, INT64 -> long[].class;
            case FP32 -> float[].class;
            case FP64 -> double[].class;
            case BYTES -> byte[][].class;
        };
    }
}
