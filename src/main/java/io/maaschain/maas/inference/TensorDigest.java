package io.maaschain.maas.inference;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The response hash a call record and a receipt carry (docs/inference.md, "Response hash"): SHA-256 over a canonical
 * binary encoding of the output tensors, so it does not depend on JSON formatting and stays the same when receipt
 * fields are added to the response's {@code parameters}. Framing is big-endian like the rest of maaschain; tensor
 * elements are little-endian as in the protocol's binary tensor data extension.
 *
 * <pre>
 *   "MCIO" || u8 1 || u32 n || n × ( u32 len || name utf-8 || u8 len || datatype ascii || u8 rank || rank × u64 dim || data )
 *   data: each element little-endian in its datatype's width (BOOL one byte 0/1, FP16 the IEEE half bits);
 *         BYTES: each element u32 little-endian length || bytes
 * </pre>
 */
public final class TensorDigest {
    private static final byte[] MAGIC = {'M', 'C', 'I', 'O'};

    private TensorDigest() {}

    public static Hash of(List<Tensor> outputs) {
        return of(outputs, null);
    }

    /** The same, with each output's {@link #data} already computed (in output order), or null to compute it here. */
    public static Hash of(List<Tensor> outputs, List<byte[]> data) {
        MessageDigest md = Sha256.newDigest();
        md.update(MAGIC);
        md.update((byte) 1);
        md.update(ByteBuffer.allocate(4).putInt(outputs.size()).array());
        for (int i = 0; i < outputs.size(); i++) {
            Tensor t = outputs.get(i);
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            byte[] dt = t.datatype().name().getBytes(StandardCharsets.US_ASCII);
            ByteBuffer head = ByteBuffer.allocate(4 + name.length + 1 + dt.length + 1 + 8 * t.rank());
            head.putInt(name.length).put(name).put((byte) dt.length).put(dt).put((byte) t.rank());
            for (long d : t.shape()) head.putLong(d);
            md.update(head.array());
            md.update(data == null ? TensorBytes.encode(t) : data.get(i));
        }
        return Hash.wrap(md.digest());
    }
}
