package io.maaschain.chain;

import io.maaschain.codec.CodecException;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;

/**
 * Runs chain rules (the engine's seal and block rules, the state transition) so that an unchecked exception they throw
 * on a block (an overflow, a violated precondition, an undecodable state value) becomes a typed {@link Rejection} of
 * that block with the reason, instead of escaping block import. Storage errors are not the block's fault and pass.
 */
final class EngineRules {
    @FunctionalInterface
    interface Rule {
        void run() throws Rejection;
    }

    @FunctionalInterface
    interface Value<T> {
        T get() throws Rejection;
    }

    private EngineRules() {}

    static void run(RejectCode code, String what, Rule rule) throws Rejection {
        apply(code, what, () -> {
            rule.run();
            return null;
        });
    }

    static <T> T apply(RejectCode code, String what, Value<T> rule) throws Rejection {
        try {
            return rule.get();
        } catch (ArithmeticException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                 | CodecException e) {
            throw new Rejection(code, what + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
