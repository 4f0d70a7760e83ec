package io.maaschain.bench;

import io.maaschain.crypto.Hash;
import io.maaschain.state.smt.SparseMerkleTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One block's state commitment: a batch of 40,000 keys (20,000 transfers, sender and receiver) applied to a tree
 * of 1,000,000 keys. {@code existing} is the share of batch keys already in the tree (balance changes); the rest
 * are new accounts. Each invocation applies a batch to the same base tree, so the tree size stays fixed.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main SparseMerkleTreeBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class SparseMerkleTreeBench {
    private static final int BATCHES = 8;

    @Param("1000000")
    int treeSize;

    @Param("40000")
    int batchSize;

    @Param({"0.0", "0.9"})
    double existing;

    private SparseMerkleTree base;
    private List<Map<Hash, Hash>> batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        Map<Hash, Hash> entries = new HashMap<>(2 * treeSize);
        List<Hash> keys = new ArrayList<>(treeSize);
        while (entries.size() < treeSize) {
            Hash key = randomHash(random);
            if (entries.put(key, randomHash(random)) == null) keys.add(key);
        }
        base = SparseMerkleTree.build(entries);
        batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            Map<Hash, Hash> batch = new HashMap<>(2 * batchSize);
            while (batch.size() < batchSize) {
                Hash key = random.nextDouble() < existing ? keys.get(random.nextInt(keys.size())) : randomHash(random);
                batch.put(key, randomHash(random));
            }
            batches.add(batch);
        }
    }

    @Benchmark
    public Hash updateBatch() {
        Map<Hash, Hash> batch = batches.get(next);
        next = (next + 1) % BATCHES;
        return base.update(batch).root();
    }

    private static Hash randomHash(SplittableRandom random) {
        byte[] b = new byte[Hash.LENGTH];
        for (int i = 0; i < b.length; i += 8) {
            long x = random.nextLong();
            for (int j = 0; j < 8; j++) b[i + j] = (byte) (x >>> (8 * j));
        }
        return Hash.wrap(b);
    }
}
