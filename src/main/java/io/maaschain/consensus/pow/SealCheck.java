package io.maaschain.consensus.pow;

import io.maaschain.crypto.Hash;

/** The outcome of checking a header's proof of work. */
public sealed interface SealCheck {

    /** Why a seal was rejected; {@link Invalid#message()} carries the values involved. */
    enum Reason {
        NOT_POW_SEAL,
        BITS_MISMATCH,
        INVALID_BITS,
        ABOVE_POW_LIMIT,
        HASH_ABOVE_TARGET
    }

    record Valid(Hash blockHash) implements SealCheck {}

    record Invalid(Reason reason, String message) implements SealCheck {}

    default boolean isValid() {
        return this instanceof Valid;
    }
}
