package io.maaschain.p2p;

import io.maaschain.crypto.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Peer-to-peer settings.
 *
 * @param listenHost      interface to accept peers on ("0.0.0.0" for all)
 * @param listenPort      TCP port to accept peers on; 0 picks a free one ({@link P2pService#port()} tells which)
 * @param bootnodes       peers to dial at start and keep redialing; more are learned by peer exchange
 * @param maxInbound      most authenticated peers that dialed us
 * @param maxOutbound     most peers we dial
 * @param tls             encrypt all peer traffic with TLS (every node of a network must agree)
 * @param admission       decides at the handshake which node keys may connect; a permissioned network passes its list
 * @param maxMessageBytes largest frame accepted or sent; 0 derives it from the chain's block size limit
 * @param banMillis       how long a peer whose score fell below the threshold is refused
 * @param timing          intervals and timeouts
 */
public record P2pConfig(
        String listenHost,
        int listenPort,
        List<PeerAddress> bootnodes,
        int maxInbound,
        int maxOutbound,
        boolean tls,
        Predicate<PublicKey> admission,
        int maxMessageBytes,
        long banMillis,
        Timing timing) {

    /**
     * @param handshakeTimeoutMillis a connection that has not authenticated by then is closed
     * @param requestTimeoutMillis   a header, block or peer request unanswered by then fails (and costs the peer score)
     * @param dialIntervalMillis     how often the dialer looks for more outbound peers
     * @param backoffBaseMillis      first delay before redialing an address that failed; doubles per failure
     * @param backoffMaxMillis       longest delay between redials
     * @param peerExchangeMillis     how often each peer is asked for its known peers
     * @param statusIntervalMillis   how often the local head is re-sent to every peer even when unchanged
     */
    public record Timing(
            long handshakeTimeoutMillis,
            long requestTimeoutMillis,
            long dialIntervalMillis,
            long backoffBaseMillis,
            long backoffMaxMillis,
            long peerExchangeMillis,
            long statusIntervalMillis) {
        public static final Timing DEFAULT = new Timing(10_000, 15_000, 1_000, 1_000, 300_000, 60_000, 15_000);
        /** Short intervals for tests on loopback. */
        public static final Timing FAST = new Timing(3_000, 5_000, 100, 100, 2_000, 1_000, 1_000);

        public Timing {
            if (handshakeTimeoutMillis <= 0 || requestTimeoutMillis <= 0 || dialIntervalMillis <= 0 || backoffBaseMillis <= 0
                    || backoffMaxMillis < backoffBaseMillis || peerExchangeMillis <= 0 || statusIntervalMillis <= 0) {
                throw new IllegalArgumentException("timing values must be positive, and backoffMax at least backoffBase");
            }
        }
    }

    public static final int DEFAULT_PORT = 30_333;
    public static final long DEFAULT_BAN_MILLIS = 3_600_000;

    public P2pConfig {
        Objects.requireNonNull(listenHost, "listenHost");
        bootnodes = List.copyOf(bootnodes);
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(timing, "timing");
        if (listenPort < 0 || listenPort > 65535) throw new IllegalArgumentException("listen port " + listenPort + " is not in 0..65535");
        if (maxInbound < 0 || maxOutbound < 0) throw new IllegalArgumentException("peer limits must not be negative");
        if (maxMessageBytes < 0) throw new IllegalArgumentException("maxMessageBytes must not be negative");
        if (banMillis <= 0) throw new IllegalArgumentException("banMillis must be positive");
    }

    /** Defaults: no bootnodes, 25 inbound and 10 outbound peers, no TLS, every key admitted. */
    public static P2pConfig of(String listenHost, int listenPort) {
        return new P2pConfig(listenHost, listenPort, List.of(), 25, 10, false, key -> true, 0, DEFAULT_BAN_MILLIS, Timing.DEFAULT);
    }

    public P2pConfig withListen(String host, int port) {
        return new P2pConfig(host, port, bootnodes, maxInbound, maxOutbound, tls, admission, maxMessageBytes, banMillis, timing);
    }

    public P2pConfig withBootnodes(List<PeerAddress> nodes) {
        return new P2pConfig(listenHost, listenPort, nodes, maxInbound, maxOutbound, tls, admission, maxMessageBytes, banMillis, timing);
    }

    public P2pConfig withPeerLimits(int inbound, int outbound) {
        return new P2pConfig(listenHost, listenPort, bootnodes, inbound, outbound, tls, admission, maxMessageBytes, banMillis, timing);
    }

    public P2pConfig withTls(boolean on) {
        return new P2pConfig(listenHost, listenPort, bootnodes, maxInbound, maxOutbound, on, admission, maxMessageBytes, banMillis, timing);
    }

    public P2pConfig withAdmission(Predicate<PublicKey> rule) {
        return new P2pConfig(listenHost, listenPort, bootnodes, maxInbound, maxOutbound, tls, rule, maxMessageBytes, banMillis, timing);
    }

    public P2pConfig withMaxMessageBytes(int bytes) {
        return new P2pConfig(listenHost, listenPort, bootnodes, maxInbound, maxOutbound, tls, admission, bytes, banMillis, timing);
    }

    public P2pConfig withBanMillis(long millis) {
        return new P2pConfig(listenHost, listenPort, bootnodes, maxInbound, maxOutbound, tls, admission, maxMessageBytes, millis, timing);
    }

    public P2pConfig withTiming(Timing t) {
        return new P2pConfig(listenHost, listenPort, bootnodes, maxInbound, maxOutbound, tls, admission, maxMessageBytes, banMillis, t);
    }
}
