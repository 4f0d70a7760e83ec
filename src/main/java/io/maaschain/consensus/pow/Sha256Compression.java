package io.maaschain.consensus.pow;

/**
 * The SHA-256 compression function (FIPS 180-4, 6.2.2) in plain Java, for when the JDK's intrinsic cannot be
 * reached. Rounds are unrolled by eight with the working variables renamed instead of shifted, so the JIT
 * keeps all of them in registers without moves.
 */
final class Sha256Compression {
    static final int[] IV = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    };

    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    };

    private Sha256Compression() {}

    /**
     * Compresses one block into {@code state}. {@code w} holds the block's 16 big-endian words in {@code w[0..15]}
     * and is scratch for the message schedule in {@code w[16..63]}; the first 16 words are left unchanged.
     */
    static void compress(int[] state, int[] w) {
        for (int t = 16; t < 64; t++) {
            int x = w[t - 15];
            int y = w[t - 2];
            int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
            int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        int a = state[0], b = state[1], c = state[2], d = state[3];
        int e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; i += 8) {
            h += s1(e) + ch(e, f, g) + K[i] + w[i];             d += h; h += s0(a) + maj(a, b, c);
            g += s1(d) + ch(d, e, f) + K[i + 1] + w[i + 1];     c += g; g += s0(h) + maj(h, a, b);
            f += s1(c) + ch(c, d, e) + K[i + 2] + w[i + 2];     b += f; f += s0(g) + maj(g, h, a);
            e += s1(b) + ch(b, c, d) + K[i + 3] + w[i + 3];     a += e; e += s0(f) + maj(f, g, h);
            d += s1(a) + ch(a, b, c) + K[i + 4] + w[i + 4];     h += d; d += s0(e) + maj(e, f, g);
            c += s1(h) + ch(h, a, b) + K[i + 5] + w[i + 5];     g += c; c += s0(d) + maj(d, e, f);
            b += s1(g) + ch(g, h, a) + K[i + 6] + w[i + 6];     f += b; b += s0(c) + maj(c, d, e);
            a += s1(f) + ch(f, g, h) + K[i + 7] + w[i + 7];     e += a; a += s0(b) + maj(b, c, d);
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    private static int s0(int x) {
        return Integer.rotateRight(x, 2) ^ Integer.rotateRight(x, 13) ^ Integer.rotateRight(x, 22);
    }

    private static int s1(int x) {
        return Integer.rotateRight(x, 6) ^ Integer.rotateRight(x, 11) ^ Integer.rotateRight(x, 25);
    }

    private static int ch(int x, int y, int z) {
        return z ^ (x & (y ^ z));
    }

    private static int maj(int x, int y, int z) {
        return (x & y) ^ ((x ^ y) & z);
    }
}
