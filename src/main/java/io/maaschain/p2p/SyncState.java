package io.maaschain.p2p;

import io.maaschain.crypto.PublicKey;

/**
 * Whether the node is catching up. {@code bestPeerHeight} is the height of the heaviest head any peer reported
 * (-1 with no peers); {@code syncPeer} is the peer headers come from while syncing, else null.
 */
public record SyncState(Phase phase, long localHeight, long bestPeerHeight, PublicKey syncPeer, long blocksImported) {
    public enum Phase {
        /** No peer reports more work than the local head. */
        IN_SYNC,
        /** Fetching headers and blocks from a peer that reports more work. */
        SYNCING
    }

    public boolean syncing() {
        return phase == Phase.SYNCING;
    }
}
