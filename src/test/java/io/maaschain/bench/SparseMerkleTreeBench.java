package io.maaschain.bench;

import io.maaschain.crypto.Hash;
import io.maaschain.state.smt.SparseMerkleTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
        Hash[] sortedBase = keys.stream().sorted().toArray(Hash[]::new);
        long hashes = 0;
        for (Map<Hash, Hash> batch : batches) hashes += minimalHashes(sortedBase, batch);
        // bench/run.sh reads this line to compute the hashing-only reference time from openssl's SHA-256 rate.
        System.out.printf(Locale.ROOT, "SMT-REFERENCE existing=%s minimal-node-hashes-per-batch=%.1f%n", existing, hashes / (double) BATCHES);
    }

    /**
     * The fewest SHA-256 digests (65-byte inputs, two compressions each) any implementation of docs/spec-smt.md must
     * compute to apply {@code batch} (all keys get new values) to the tree holding {@code base}: one leaf per changed
     * key, plus every branch on a changed key's path in the new tree, each counted once. A changed key's leaf sits one
     * level below its longest common prefix with any other key, and all shallower nodes on its path are branches; with
     * the changed keys in order, the branches not already counted for the previous one are those below their common prefix.
     */
    static long minimalHashes(Hash[] sortedBase, Map<Hash, Hash> batch) {
        Hash[] changed = batch.keySet().stream().sorted().toArray(Hash[]::new);
        long total = changed.length;
        for (int i = 0; i < changed.length; i++) {
            Hash k = changed[i];
            int longest = -1;
            int at = Arrays.binarySearch(sortedBase, k);
            int below = at >= 0 ? at - 1 : -at - 2;
            int above = at >= 0 ? at + 1 : -at - 1;
            if (below >= 0) longest = Math.max(longest, commonPrefix(k, sortedBase[below]));
            if (above < sortedBase.length) longest = Math.max(longest, commonPrefix(k, sortedBase[above]));
            if (i > 0) longest = Math.max(longest, commonPrefix(k, changed[i - 1]));
            if (i + 1 < changed.length) longest = Math.max(longest, commonPrefix(k, changed[i + 1]));
            int depth = longest + 1; // longest == -1 only for a one-entry tree, whose leaf is the root
            total += i == 0 ? depth : depth - (commonPrefix(k, changed[i - 1]) + 1);
        }
        return total;
    }

    private static int commonPrefix(Hash a, Hash b) {
        for (int i = 0; i < Hash.LENGTH; i++) {
            int x = (a.byteAt(i) ^ b.byteAt(i)) & 0xff;
            if (x != 0) return 8 * i + Integer.numberOfLeadingZeros(x) - 24;
        }
        return 8 * Hash.LENGTH;
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
