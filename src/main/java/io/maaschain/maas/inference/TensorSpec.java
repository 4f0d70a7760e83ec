package io.maaschain.maas.inference;

import java.util.List;

/** What a model takes or gives: name, datatype and shape, where -1 is a dimension of any size. */
public record TensorSpec(String name, DataType datatype, List<Long> shape) {
    public TensorSpec {
        shape = List.copyOf(shape);
    }

    /** Null if {@code t} fits this spec, else why not. */
    public String mismatch(Tensor t) {
        if (t.datatype() != datatype) {
            return "input '" + name + "' has datatype " + t.datatype() + ", the model takes " + datatype;
        }
        long[] s = t.shape();
        boolean ok = s.length == shape.size();
        for (int i = 0; ok && i < s.length; i++) ok = shape.get(i) < 0 || shape.get(i) == s[i];
        return ok ? null : "input '" + name + "' has shape " + t.shapeList() + ", the model takes " + shape;
    }
}
