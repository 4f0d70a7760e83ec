package io.maaschain.maas.artifact;

import io.maaschain.crypto.Hash;
import java.util.List;

/**
 * The outcome of checking a stored artifact. {@code actualDigest} is the whole-file SHA-256 when it was computed
 * (a full check), else null. {@code badChunks} names every chunk whose bytes no longer hash to the manifest.
 */
public record VerifyResult(Hash expected, boolean ok, Hash actualDigest, List<ChunkFailure> badChunks, String problem) {

    /** One chunk that failed: where it is, what the manifest says and what the bytes hash to now. */
    public record ChunkFailure(int index, long offset, int length, Hash expected, Hash actual) {
        @Override
        public String toString() {
            return "chunk " + index + " (bytes " + offset + ".." + (offset + length - 1) + ") hashes to " + actual
                    + ", manifest says " + expected;
        }
    }

    public VerifyResult {
        badChunks = List.copyOf(badChunks);
    }

    static VerifyResult passed(Hash expected, Hash actualDigest) {
        return new VerifyResult(expected, true, actualDigest, List.of(), null);
    }

    static VerifyResult failed(Hash expected, Hash actualDigest, List<ChunkFailure> bad, String problem) {
        return new VerifyResult(expected, false, actualDigest, bad, problem);
    }

    /** A one-line reason fit for a log alert or an error message. */
    public String describe() {
        if (ok) return "artifact " + expected + " verified";
        StringBuilder sb = new StringBuilder("artifact ").append(expected).append(" failed verification: ").append(problem);
        int shown = 0;
        for (ChunkFailure f : badChunks) {
            if (shown++ == 4) {
                sb.append("; and ").append(badChunks.size() - 4).append(" more chunks");
                break;
            }
            sb.append("; ").append(f);
        }
        return sb.toString();
    }
}
