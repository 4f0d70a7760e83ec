package io.maaschain.bench;

import io.maaschain.crypto.Hash;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.ChunkManifest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Artifact hashing throughput beside `sha256sum` (and `openssl dgst -sha256`) on the same file, in the same run
 * (BENCHMARKS.md, target 80% of sha256sum).
 * Measures the whole-file digest (what RegisterModel carries) and the one-pass chunk manifest. Each figure is the
 * best of three passes over a file that is in the page cache, as sha256sum's is.
 * Run: bench/run.sh artifact [size-MiB]
 */
public final class ArtifactHashBench {
    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        Path file = Files.createTempFile("maaschain-artifact", ".bin");
        try {
            byte[] block = new byte[1 << 20];
            new Random(7).nextBytes(block);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long i = 0; i < mib; i++) {
                    block[0] = (byte) i;
                    out.write(block);
                }
            }
            double sha256sum = best(() -> {
                Process p = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) throw new IllegalStateException("sha256sum failed");
            });
            double openssl = best(() -> {
                Process p = new ProcessBuilder("openssl", "dgst", "-sha256", file.toString()).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) throw new IllegalStateException("openssl failed");
            });
            double whole = best(() -> ArtifactStore.wholeDigest(file));
            double manifest = best(() -> ArtifactStore.manifestOf(file, ChunkManifest.DEFAULT_CHUNK_SIZE));
            Hash check = ArtifactStore.wholeDigest(file);
            System.out.printf("RESULT artifact_hash size_mib=%d sha256sum_mib_s=%.0f openssl_dgst_mib_s=%.0f digest_mib_s=%.0f manifest_mib_s=%.0f "
                            + "digest_vs_sha256sum=%.2f manifest_vs_sha256sum=%.2f digest_vs_openssl=%.2f digest=%s%n",
                    mib, mib / sha256sum, mib / openssl, mib / whole, mib / manifest, sha256sum / whole, sha256sum / manifest, openssl / whole, check);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    static double best(Work w) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            w.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }
}
