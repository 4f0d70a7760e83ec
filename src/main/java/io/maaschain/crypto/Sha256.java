package io.maaschain.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 from the JDK, whose intrinsics use the CPU's SHA extensions. One digest instance per thread. */
public final class Sha256 {
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static Hash hash(byte[] data) {
        MessageDigest md = DIGEST.get();
        return Hash.adopt(md.digest(data));
    }

    public static Hash hash(byte[] data, int offset, int length) {
        MessageDigest md = DIGEST.get();
        md.update(data, offset, length);
        return Hash.adopt(md.digest());
    }

    /** SHA-256 of a one-byte domain tag followed by the given parts, as the Merkle trees use it. */
    public static Hash tagged(int tag, byte[]... parts) {
        MessageDigest md = DIGEST.get();
        md.update((byte) tag);
        for (byte[] p : parts) md.update(p);
        return Hash.adopt(md.digest());
    }

    public static Hash tagged(int tag, Hash a, Hash b) {
        byte[] buf = new byte[1 + 2 * Hash.LENGTH];
        buf[0] = (byte) tag;
        a.copyTo(buf, 1);
        b.copyTo(buf, 1 + Hash.LENGTH);
        return Hash.adopt(DIGEST.get().digest(buf));
    }

    /** SHA-256(SHA-256(data)), the block hash and proof-of-work hash. */
    public static Hash doubleHash(byte[] data) {
        MessageDigest md = DIGEST.get();
        byte[] first = md.digest(data);
        return Hash.adopt(md.digest(first));
    }
}
