package io.maaschain.simulation;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.consensus.ConsensusDriver;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.txpool.TxPool;

/**
 * One simulated validator. The store and the signing history survive a crash (they are its disk); everything else is
 * rebuilt at each restart, as a restarted process would.
 */
final class SimNode {
    final int id;
    final KeyPair key;
    final boolean byzantine;
    final InMemoryStore store = new InMemoryStore();
    final GuardedSigner.InMemory signingHistory = new GuardedSigner.InMemory();

    /** Bumped at every crash: events addressed to an earlier incarnation are dropped. */
    int incarnation;
    boolean alive;
    Blockchain chain;
    TxPool pool;
    BlockBuilder builder;
    ConsensusDriver driver;
    long wakeScheduled = Long.MAX_VALUE;
    boolean headChangePending;

    SimNode(int id, KeyPair key, boolean byzantine) {
        this.id = id;
        this.key = key;
        this.byzantine = byzantine;
    }

    @Override
    public String toString() {
        return "node " + id + (byzantine ? " (byzantine)" : "");
    }
}
