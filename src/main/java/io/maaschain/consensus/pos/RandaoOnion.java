package io.maaschain.consensus.pos;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A validator's RANDAO hash onion: layer 0 is a secret {@code s}, layer i is SHA-256 of layer i-1, and the top layer
 * {@code H^depth(s)} is the public commitment recorded at stake time. The k-th block a validator proposes reveals layer
 * {@code depth - k}: anyone checks it by hashing once against the previous reveal, nobody can compute it in advance,
 * and there is exactly one valid value, so a proposer cannot grind it (unlike a signature it chooses the nonce of).
 * Layers are recomputed from checkpoints kept every {@link #CHECKPOINT_INTERVAL} layers: memory is depth/1024 hashes and
 * a reveal costs at most 1023 hashes.
 */
public final class RandaoOnion {
    public static final int CHECKPOINT_INTERVAL = 1024;
    private static final byte[] DOMAIN = "maaschain/randao".getBytes(StandardCharsets.US_ASCII);

    private final long depth;
    private final byte[][] checkpoints;
    private final Hash commitment;

    public RandaoOnion(Hash secret, long depth) {
        if (depth < 1 || depth > (1L << 28)) throw new IllegalArgumentException("onion depth must be in 1..2^28, got " + depth);
        this.depth = depth;
        this.checkpoints = new byte[(int) (depth / CHECKPOINT_INTERVAL) + 1][];
        MessageDigest md = Sha256.newDigest();
        byte[] layer = secret.toBytes();
        for (long i = 0; ; i++) {
            if (i % CHECKPOINT_INTERVAL == 0) checkpoints[(int) (i / CHECKPOINT_INTERVAL)] = layer;
            if (i == depth) break;
            layer = md.digest(layer);
        }
        this.commitment = Hash.wrap(layer);
    }

    /** The onion of a validator key: its secret is SHA-256("maaschain/randao" || the key's seed), so only the key holder knows it. */
    public static RandaoOnion forKey(KeyPair key, long depth) {
        return new RandaoOnion(secretOf(key), depth);
    }

    public static Hash secretOf(KeyPair key) {
        byte[] seed = key.seed();
        byte[] msg = new byte[DOMAIN.length + seed.length];
        System.arraycopy(DOMAIN, 0, msg, 0, DOMAIN.length);
        System.arraycopy(seed, 0, msg, DOMAIN.length, seed.length);
        return Sha256.hash(msg);
    }

    /** The public commitment, {@code H^depth(secret)}. */
    public Hash commitment() {
        return commitment;
    }

    public long depth() {
        return depth;
    }

    /** Layer {@code i} (0 is the secret, {@code depth} the commitment). */
    public Hash layer(long i) {
        if (i < 0 || i > depth) throw new IllegalArgumentException("layer " + i + " outside 0.." + depth);
        MessageDigest md = Sha256.newDigest();
        byte[] v = checkpoints[(int) (i / CHECKPOINT_INTERVAL)];
        for (long k = i % CHECKPOINT_INTERVAL; k > 0; k--) v = md.digest(v);
        return Hash.wrap(v);
    }

    /** The reveal after {@code revealed} earlier reveals: layer {@code depth - revealed - 1}; empty once the onion is used up. */
    public java.util.Optional<Hash> reveal(long revealed) {
        if (revealed < 0 || revealed >= depth) return java.util.Optional.empty();
        return java.util.Optional.of(layer(depth - revealed - 1));
    }

    /** True if {@code reveal} is the preimage of {@code previous}: the check every block's reveal must pass. */
    public static boolean follows(Hash reveal, Hash previous) {
        return Sha256.hash(reveal.toBytes()).equals(previous);
    }
}
