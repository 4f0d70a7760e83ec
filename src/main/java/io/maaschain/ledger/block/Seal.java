package io.maaschain.ledger.block;

/** The consensus engine's fields in a header. Sealed: each engine adds its own record with its own kind byte. */
public sealed interface Seal permits PowSeal, ValidatorSeal {
    int kind();
}
