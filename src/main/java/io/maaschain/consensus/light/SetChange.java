package io.maaschain.consensus.light;

import io.maaschain.consensus.bft.ValidatorSet;

/** The bft validator set in force from {@code fromHeight} until the next change. */
public record SetChange(long fromHeight, ValidatorSet set) {}
