package io.maaschain.p2p;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.math.BigInteger;

/**
 * A connected, authenticated peer as this node sees it. {@code address} is the remote socket for inbound peers
 * and the dialed address for outbound ones; the head fields are what the peer last reported in a Status frame.
 */
public record PeerInfo(
        PublicKey id,
        PeerAddress address,
        Direction direction,
        String client,
        long headHeight,
        Hash headHash,
        BigInteger totalWork,
        int score,
        long connectedSinceMillis) {}
