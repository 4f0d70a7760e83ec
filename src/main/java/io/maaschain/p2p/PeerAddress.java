package io.maaschain.p2p;

import java.net.InetSocketAddress;
import java.util.Objects;

/** Where a peer accepts connections: a host name or IP literal, and a TCP port. */
public record PeerAddress(String host, int port) {
    public static final int MAX_HOST_LENGTH = 255;

    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.length() > MAX_HOST_LENGTH) throw new IllegalArgumentException("host must be 1 to " + MAX_HOST_LENGTH + " characters");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }

    /** Parses {@code host:port}, or {@code [ipv6]:port}. */
    public static PeerAddress parse(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new IllegalArgumentException("write an IPv6 address in brackets: [addr]:port, got '" + text + "'");
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        return new PeerAddress(host, port);
    }

    static PeerAddress of(InetSocketAddress socket) {
        return new PeerAddress(socket.getAddress() != null ? socket.getAddress().getHostAddress() : socket.getHostString(), socket.getPort());
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
