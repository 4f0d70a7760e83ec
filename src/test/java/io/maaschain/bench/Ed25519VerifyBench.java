package io.maaschain.bench;

import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 verifications per second on one thread: the ceiling on how fast a node can check transaction
 * signatures. 150 bytes is about the size of a signed transfer.
 *
 * <p>{@code verify} is BouncyCastle's plain verification from the key bytes, which decompresses the key point
 * every time, as openssl does: the figure compared with openssl. {@code verifyCachedKey} is what the node does,
 * {@link PublicKey#verify}, whose decoded key point comes from the bounded cache (a sender's key is decoded once).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class Ed25519VerifyBench {
    static final int MESSAGE_LENGTH = 150;

    private PublicKey publicKey;
    private byte[] publicKeyBytes;
    private byte[] signatureBytes;
    private byte[] message;
    private Signature signature;

    @Setup
    public void setUp() {
        // Fixed key and message so runs are comparable; verification time does not depend on their values.
        byte[] seed = new byte[KeyPair.SEED_LENGTH];
        for (int i = 0; i < seed.length; i++) seed[i] = (byte) (i * 7 + 1);
        KeyPair key = KeyPair.fromSeed(seed);
        message = new byte[MESSAGE_LENGTH];
        for (int i = 0; i < message.length; i++) message[i] = (byte) (i * 31 + 5);
        publicKey = key.publicKey();
        signature = key.sign(message);
        publicKeyBytes = publicKey.toBytes();
        signatureBytes = signature.toBytes();
        if (!publicKey.verify(message, signature) || !verify()) {
            throw new IllegalStateException("the benchmark's own signature does not verify");
        }
    }

    /** Plain BouncyCastle, key decoded on every call. Returns the result so the JIT cannot drop it as dead code. */
    @Benchmark
    public boolean verify() {
        return Ed25519.verify(signatureBytes, 0, publicKeyBytes, 0, message, 0, message.length);
    }

    /** The node's path: {@code PublicKey.verify} with the key point from the decoded-key cache. */
    @Benchmark
    public boolean verifyCachedKey() {
        return publicKey.verify(message, signature);
    }
}
