package io.maaschain.p2p;

/** Who opened a connection: {@code OUTBOUND} if this node dialed the peer. */
public enum Direction {
    INBOUND,
    OUTBOUND
}
