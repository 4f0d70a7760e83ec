package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.Head;
import io.maaschain.consensus.BlockRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/v1/events}: server-sent events, one {@code head} event at connect and one each time the canonical
 * head changes: {@code {"height", "hash", "timestamp", "txCount", "finalizedHeight", "finalizedHash"}}. Events are
 * coalesced (a client that falls behind gets the newest head, not every block) and sent from a thread of their own,
 * so a slow client never holds up block import.
 */
public final class HeadEvents implements AutoCloseable {
    private final Blockchain chain;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "head-events");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();

    public HeadEvents(Blockchain chain) {
        this.chain = chain;
        chain.addListener((removed, added, head) -> {
            if (!clients.isEmpty() && queued.compareAndSet(false, true)) sender.execute(this::broadcast);
        });
    }

    public void register(Javalin app) {
        app.sse("/api/v1/events", client -> {
            client.keepAlive();
            client.onClose(() -> clients.remove(client));
            client.sendEvent("head", json(event()));
            clients.add(client);
        });
    }

    private void broadcast() {
        queued.set(false);
        String data = json(event());
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
                continue;
            }
            try {
                c.sendEvent("head", data);
            } catch (RuntimeException e) {
                clients.remove(c);
            }
        }
    }

    private static String json(Map<String, Object> m) {
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> event() {
        Head head = chain.head();
        BlockRef f = chain.finalized();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", head.height());
        m.put("hash", head.hash().toHex());
        m.put("timestamp", head.header().timestampMillis());
        m.put("txCount", head.header().txCount());
        m.put("finalizedHeight", f.height());
        m.put("finalizedHash", f.hash().toHex());
        return m;
    }

    @Override
    public void close() {
        sender.shutdownNow();
        clients.forEach(SseClient::close);
    }
}
