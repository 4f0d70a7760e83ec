package io.maaschain.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.maaschain.api.Json;
import io.maaschain.codec.Hex;
import io.maaschain.consensus.light.BftTestChain;
import io.maaschain.consensus.light.ServedHeader;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.vote.VoteCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP server that answers the light client's routes as a node would, from a {@link BftTestChain} it serves as its
 * chain: honest or forged, the client cannot tell by asking, only by verifying.
 */
public final class FakeLightNode implements AutoCloseable {
    private final HttpServer server;
    private final String genesisJson;
    private final Hash genesisHash;
    private final BftTestChain chain;
    /** If set, /status claims this head (height, hash) and genesis as the final block. */
    private volatile Header claimedHead;

    public FakeLightNode(String genesisJson, Hash genesisHash, BftTestChain chain) throws IOException {
        this.genesisJson = genesisJson;
        this.genesisHash = genesisHash;
        this.chain = chain;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/genesis", ex -> send(ex, 200, genesisJson));
        server.createContext("/api/v1/light/headers", this::headers);
        server.createContext("/api/v1/status", this::status);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create(url() + "/");
    }

    private long head() {
        return chain.headers.size() - 1;
    }

    /** From now on /status claims {@code head} as the head, with genesis as the final block. */
    public void claimHead(Header head) {
        claimedHead = head;
    }

    private void status(HttpExchange ex) throws IOException {
        Header head = claimedHead != null ? claimedHead : chain.headers.getLast();
        Header fin = claimedHead != null ? chain.headers.getFirst() : head;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainId", BftTestChain.CHAIN);
        m.put("genesisHash", genesisHash.toHex());
        m.put("consensus", "bft");
        m.put("height", head.height());
        m.put("headHash", head.hash().toHex());
        m.put("finalizedHeight", fin.height());
        m.put("finalizedHash", fin.hash().toHex());
        send(ex, 200, Json.MAPPER.writeValueAsString(m));
    }

    private void headers(HttpExchange ex) throws IOException {
        Map<String, String> q = new LinkedHashMap<>();
        for (String kv : ex.getRequestURI().getQuery().split("&")) q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        long from = Long.parseLong(q.get("from"));
        long to = Math.min(head(), from + Long.parseLong(q.get("limit")) - 1);
        List<Map<String, Object>> out = new ArrayList<>();
        for (long h = from; h <= to; h++) {
            ServedHeader s = chain.served.get((int) h);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("height", h);
            m.put("hash", s.header().hash().toHex());
            m.put("encoded", Hex.encode(HeaderCodec.encode(s.header())));
            m.put("nextValidators", Map.of("stateKey", "30", "value", Hex.encode(s.nextValidators()), "proof", Hex.encode(s.nextValidatorsProof().encode())));
            out.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("genesisHash", genesisHash.toHex());
        m.put("consensus", "bft");
        m.put("from", from);
        m.put("head", head());
        m.put("headers", out);
        m.put("headCommit", to == head() && from <= to ? Map.of("height", to, "hash", chain.headers.getLast().hash().toHex(),
                "votes", chain.commits.get((int) to).stream().map(v -> Hex.encode(VoteCodec.encode(v))).toList()) : null);
        send(ex, 200, Json.MAPPER.writeValueAsString(m));
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    String genesisJson() {
        return genesisJson;
    }

    /** The header this node serves at {@code height}. */
    public Header chainHeader(long height) {
        return chain.headers.get((int) height);
    }
}
