package io.maaschain.maas.inference;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A named tensor: datatype, shape and row-major flattened data held in the primitive array {@link DataType#arrayClass()}
 * (unsigned types in their signed Java twin, FP16 as raw IEEE half bits, BYTES as one byte[] per element).
 */
public final class Tensor {
    private final String name;
    private final DataType datatype;
    private final long[] shape;
    private final Object data;

    public Tensor(String name, DataType datatype, long[] shape, Object data) {
        this.name = Objects.requireNonNull(name, "name");
        this.datatype = Objects.requireNonNull(datatype, "datatype");
        this.shape = shape.clone();
        this.data = Objects.requireNonNull(data, "data");
        if (!datatype.arrayClass().isInstance(data)) {
            throw new IllegalArgumentException(datatype + " data must be a " + datatype.arrayClass().getSimpleName());
        }
        long count = elementCount(this.shape);
        if (count != Array.getLength(data)) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(shape) + " needs " + count
                    + " elements, has " + Array.getLength(data));
        }
    }

    public static Tensor fp32(String name, long[] shape, float... data) {
        return new Tensor(name, DataType.FP32, shape, data);
    }

    public static Tensor int64(String name, long[] shape, long... data) {
        return new Tensor(name, DataType.INT64, shape, data);
    }

    /** Product of the dimensions; throws on negative dimensions or overflow. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public String name() {
        return name;
    }

    public DataType datatype() {
        return datatype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public List<Long> shapeList() {
        return Arrays.stream(shape).boxed().toList();
    }

    public int rank() {
        return shape.length;
    }

    /** The backing array itself (not a copy): treat it as read-only. */
    public Object data() {
        return data;
    }

    public int size() {
        return Array.getLength(data);
    }

    public float[] floats() {
        return (float[]) data;
    }

    public double[] doubles() {
        return (double[]) data;
    }

    public int[] ints() {
        return (int[]) data;
    }

    public long[] longs() {
        return (long[]) data;
    }

    public Tensor renamed(String newName) {
        return new Tensor(newName, datatype, shape, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && datatype == t.datatype && Arrays.equals(shape, t.shape)
                && Arrays.deepEquals(new Object[] {data}, new Object[] {t.data});
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + ":" + datatype + Arrays.toString(shape);
    }
}
