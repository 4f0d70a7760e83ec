package io.maaschain.consensus.pow;

import static io.maaschain.consensus.pow.Sha256dNonceSearch.NOT_FOUND;
import static io.maaschain.consensus.pow.Sha256dNonceSearch.STOP_POLL_INTERVAL;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/** Plain-Java SHA-256d; works on any JVM without extra flags, at a fraction of the intrinsic's speed. */
final class PortableEngine implements NonceSearchEngine {
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int TAIL = 128;
    /** Bit lengths of the two messages: the 150-byte header and the 32-byte first digest. */
    private static final int HEADER_BITS = Sha256dNonceSearch.HEADER_LENGTH * 8;
    private static final int DIGEST_BITS = 256;

    private final int[] midstate = new int[8];
    private final int[] state = new int[8];
    private final int[] w = new int[64];
    /** Words 0..2 of the third block (header bytes 128..139), and the bits' low half that shares word 3 with the nonce. */
    private int tail0, tail1, tail2, tail3High;

    @Override
    public Sha256dNonceSearch.Implementation implementation() {
        return Sha256dNonceSearch.Implementation.PORTABLE_JAVA;
    }

    @Override
    public long search(byte[] header, int[] target, long startNonce, long count, BooleanSupplier stop) {
        prepare(header);
        int[] st = state;
        int t0 = target[0];
        long nonce = startNonce;
        long remaining = count;
        while (remaining > 0) {
            if (stop.getAsBoolean()) return NOT_FOUND;
            int batch = (int) Math.min(remaining, STOP_POLL_INTERVAL);
            for (int i = 0; i < batch; i++, nonce++) {
                hashNonce(nonce);
                if (Integer.compareUnsigned(st[0], t0) <= 0 && Sha256dNonceSearch.atMost(st, target)) return nonce;
            }
            remaining -= batch;
        }
        return NOT_FOUND;
    }

    @Override
    public void sha256d(byte[] header, long nonce, int[] out) {
        prepare(header);
        hashNonce(nonce);
        System.arraycopy(state, 0, out, 0, 8);
    }

    /** Hashes the two nonce-free blocks once; every nonce then starts from this midstate. */
    private void prepare(byte[] header) {
        System.arraycopy(Sha256Compression.IV, 0, midstate, 0, 8);
        for (int block = 0; block < TAIL; block += 64) {
            for (int i = 0; i < 16; i++) w[i] = (int) INT_BE.get(header, block + 4 * i);
            Sha256Compression.compress(midstate, w);
        }
        tail0 = (int) INT_BE.get(header, TAIL);
        tail1 = (int) INT_BE.get(header, TAIL + 4);
        tail2 = (int) INT_BE.get(header, TAIL + 8);
        tail3High = (int) INT_BE.get(header, TAIL + 12) & 0xFFFF_0000;
    }

    private void hashNonce(long nonce) {
        int[] w = this.w;
        int[] st = state;
        // Third block: header bytes 128..149 (the nonce is bytes 14..21 of it), then padding and the length.
        w[0] = tail0;
        w[1] = tail1;
        w[2] = tail2;
        w[3] = tail3High | (int) (nonce >>> 48);
        w[4] = (int) (nonce >>> 16);
        w[5] = ((int) nonce << 16) | 0x8000;
        for (int i = 6; i < 15; i++) w[i] = 0;
        w[15] = HEADER_BITS;
        System.arraycopy(midstate, 0, st, 0, 8);
        Sha256Compression.compress(st, w);
        // Second hash: the 32-byte digest, padding and length fill exactly one block.
        System.arraycopy(st, 0, w, 0, 8);
        w[8] = 0x8000_0000;
        for (int i = 9; i < 15; i++) w[i] = 0;
        w[15] = DIGEST_BITS;
        System.arraycopy(Sha256Compression.IV, 0, st, 0, 8);
        Sha256Compression.compress(st, w);
    }
}
