package io.maaschain.bench;

import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.SignatureBatch;
import io.maaschain.crypto.SignedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 batch verification on one thread, in microseconds per signature (the score is per batch; divide by
 * the batch size, as bench/run.sh does): what the node pays per transaction signature. Distinct keys, as in a
 * pool batch of many senders, whose decoded key tables are warm in the cache, as they are for returning senders.
 * 150-byte messages, as {@link Ed25519VerifyBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class Ed25519BatchVerifyBench {
    @Param({"64"})
    public int size;

    private List<SignedMessage> batch;

    @Setup
    public void setUp() {
        batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            byte[] seed = new byte[KeyPair.SEED_LENGTH];
            seed[0] = (byte) i;
            seed[1] = (byte) (i >>> 8);
            KeyPair key = KeyPair.fromSeed(seed);
            byte[] message = new byte[Ed25519VerifyBench.MESSAGE_LENGTH];
            for (int j = 0; j < message.length; j++) message[j] = (byte) (j * 31 + i);
            batch.add(new SignedMessage(key.publicKey(), message, key.sign(message)));
        }
        for (boolean ok : SignatureBatch.verify(batch)) if (!ok) throw new IllegalStateException("a benchmark signature does not verify");
    }

    @Benchmark
    public boolean[] verifyBatch() {
        return SignatureBatch.verify(batch);
    }
}
