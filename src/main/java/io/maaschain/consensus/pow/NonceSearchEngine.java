package io.maaschain.consensus.pow;

import java.util.function.BooleanSupplier;

/**
 * One way of computing SHA-256d over a 150-byte header for many nonces. Each engine owns its hot loop, so the JIT
 * profiles and compiles each loop for exactly one compression function. Instances hold scratch state and are
 * confined to one thread.
 */
sealed interface NonceSearchEngine permits JdkSha2Engine, PortableEngine {

    Sha256dNonceSearch.Implementation implementation();

    /** Arguments are already validated by {@link Sha256dNonceSearch}. */
    long search(byte[] header, int[] target, long startNonce, long count, BooleanSupplier stop);

    /** SHA-256d of {@code header} with {@code nonce} in place, as eight big-endian words into {@code out}. */
    void sha256d(byte[] header, long nonce, int[] out);
}
