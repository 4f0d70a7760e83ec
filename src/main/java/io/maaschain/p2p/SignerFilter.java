package io.maaschain.p2p;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Whether a consensus message's signer may sign on this node's head ({@link io.maaschain.consensus.ConsensusEngine#maySign}),
 * remembered per head: every validator signs several messages per height, and the engine's answer decodes validator sets
 * from the state. The memory is dropped when the head changes and bounded by {@link #MAX_KEYS}.
 */
final class SignerFilter implements Predicate<PublicKey> {
    static final int MAX_KEYS = 4_096;

    private final Blockchain chain;
    private final Map<PublicKey, Boolean> answers = new HashMap<>();
    private Hash head;

    SignerFilter(Blockchain chain) {
        this.chain = chain;
    }

    @Override
    public synchronized boolean test(PublicKey key) {
        Hash now = chain.head().hash();
        if (!now.equals(head) || answers.size() >= MAX_KEYS) {
            answers.clear();
            head = now;
        }
        return answers.computeIfAbsent(key, k -> chain.engine().maySign(chain.headState(), k));
    }
}
