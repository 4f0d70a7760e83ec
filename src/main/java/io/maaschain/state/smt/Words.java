package io.maaschain.state.smt;

import io.maaschain.crypto.Hash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * 256-bit keys and hashes as four big-endian 64-bit words. Nodes keep them inline as primitive fields instead of
 * as {@link Hash} objects (72 bytes each with their arrays), which takes memory per entry from about 340 to about
 * 190 bytes and keeps a node on one or two cache lines.
 */
final class Words {
    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Words() {}

    static long get(byte[] bytes, int offset) {
        return (long) BIG_ENDIAN.get(bytes, offset);
    }

    static void put(byte[] bytes, int offset, long word) {
        BIG_ENDIAN.set(bytes, offset, word);
    }

    /**
     * Stores the words of {@code h} as entry {@code i} of column-wise arrays ({@code columns[w][i]} is word
     * {@code w}); {@code scratch} holds at least 32 bytes.
     */
    static void split(Hash h, long[][] columns, int i, byte[] scratch) {
        h.copyTo(scratch, 0);
        for (int w = 0; w < 4; w++) columns[w][i] = get(scratch, 8 * w);
    }

    /** One key as column-wise words, for the single-key walks of get and prove. */
    static long[][] of(Hash h) {
        long[][] columns = new long[4][1];
        split(h, columns, 0, new byte[Hash.LENGTH]);
        return columns;
    }

    static Hash toHash(long w0, long w1, long w2, long w3) {
        byte[] b = new byte[Hash.LENGTH];
        put(b, 0, w0);
        put(b, 8, w1);
        put(b, 16, w2);
        put(b, 24, w3);
        return Hash.wrap(b);
    }

    /** Same bit order as {@link Hash#bit}: bit 0 is the most significant bit of the first word. */
    static int bit(long word, int i) {
        return (int) (word >>> (63 - (i & 63))) & 1;
    }

    static int bit(long[][] columns, int row, int i) {
        return bit(columns[i >>> 6][row], i);
    }
}
