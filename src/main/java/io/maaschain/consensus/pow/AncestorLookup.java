package io.maaschain.consensus.pow;

import io.maaschain.ledger.block.Header;

/**
 * Read access to the branch being extended: the header at a given height on that branch, for heights from 0 up to
 * the parent of the block being checked. Callers guarantee those heights exist; consensus code asks for no others.
 */
@FunctionalInterface
public interface AncestorLookup {
    Header headerAt(long height);
}
