package io.maaschain.chain;

import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.state.smt.SparseMerkleTree;
import java.math.BigInteger;

/** The canonical tip, swapped atomically on every commit, with the state tree that matches it. */
public record Head(Hash hash, Header header, BigInteger totalWork, SparseMerkleTree stateTree) {
    public long height() {
        return header.height();
    }
}
