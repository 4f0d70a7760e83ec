package io.maaschain.maas.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor's elements as bytes, the layout of the protocol's binary tensor data extension (and of what a receipt's
 * response hash covers): little-endian, row-major; BOOL one byte 0 or 1; BYTES each element as a u32 little-endian
 * length and its bytes.
 */
public final class TensorBytes {
    private TensorBytes() {}

    /** The tensor's elements in the binary layout. */
    public static byte[] encode(Tensor t) {
        Object d = t.data();
        int n = t.size();
        if (t.datatype() == DataType.BYTES) {
            byte[][] a = (byte[][]) d;
            int len = 0;
            for (byte[] e : a) len += 4 + e.length;
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] e : a) b.putInt(e.length).put(e);
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(n * t.datatype().elementSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (d) {
            case boolean[] a -> { for (boolean v : a) b.put((byte) (v ? 1 : 0)); }
            case byte[] a -> b.put(a);
            case short[] a -> b.asShortBuffer().put(a);
            case int[] a -> b.asIntBuffer().put(a);
            case long[] a -> b.asLongBuffer().put(a);
            case float[] a -> b.asFloatBuffer().put(a);
            case double[] a -> b.asDoubleBuffer().put(a);
            default -> throw new IllegalArgumentException("unknown tensor data " + d.getClass());
        }
        return b.array();
    }

    /** Decodes {@code size} bytes at {@code off}: little-endian elements, row-major, exactly {@code count} of them. */
    static Object decode(byte[] b, int off, int size, DataType type, long[] shape, int count, String what) {
        if (type == DataType.BYTES && (long) count * 4 > size) {
            throw InferenceException.badRequest(what + " has " + OipJson.BINARY_DATA_SIZE + " " + size + ", too small for " + count + " BYTES elements (4 bytes of length each)");
        }
        if (type != DataType.BYTES && (long) count * type.elementSize() != size) {
            throw InferenceException.badRequest(what + " has " + OipJson.BINARY_DATA_SIZE + " " + size + ", but " + count + " " + type + " elements of shape "
                    + Arrays.toString(shape) + " take " + (long) count * type.elementSize() + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case BOOL -> {
                boolean[] a = new boolean[count];
                for (int i = 0; i < count; i++) {
                    byte v = buf.get(i);
                    if (v != 0 && v != 1) throw InferenceException.badRequest(what + " is BOOL; byte " + i + " is " + (v & 0xFF) + ", not 0 or 1");
                    a[i] = v == 1;
                }
                return a;
            }
            case INT8, UINT8 -> {
                return Arrays.copyOfRange(b, off, off + size);
            }
            case INT16, UINT16, FP16 -> {
                short[] a = new short[count];
                buf.asShortBuffer().get(a);
                return a;
            }
            case INT32, UINT32 -> {
                int[] a = new int[count];
                buf.asIntBuffer().get(a);
                return a;
            }
            case INT64, UINT64 -> {
                long[] a = new long[count];
                buf.asLongBuffer().get(a);
                return a;
            }
            case FP32 -> {
                float[] a = new float[count];
                buf.asFloatBuffer().get(a);
                return a;
            }
            case FP64 -> {
                double[] a = new double[count];
                buf.asDoubleBuffer().get(a);
                return a;
            }
            case BYTES -> {
                byte[][] a = new byte[count][];
                int pos = 0;
                for (int i = 0; i < count; i++) {
                    if (size - pos < 4) throw InferenceException.badRequest(what + " binary BYTES data ends inside the length of element " + i);
                    long len = Integer.toUnsignedLong(buf.getInt(pos));
                    pos += 4;
                    if (len > size - pos) throw InferenceException.badRequest(what + " binary BYTES element " + i + " of " + len + " bytes runs past its " + OipJson.BINARY_DATA_SIZE);
                    a[i] = Arrays.copyOfRange(b, off + pos, off + pos + (int) len);
                    pos += (int) len;
                }
                if (pos != size) throw InferenceException.badRequest(what + " has " + OipJson.BINARY_DATA_SIZE + " " + size + ", but its " + count + " BYTES elements take " + pos);
                return a;
            }
            default -> throw new IllegalStateException("unknown datatype " + type);
        }
    }
}
