package io.maaschain.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.storage.RocksDbStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator commands to a running node over a Unix domain socket in its data directory ({@value #FILE}, owner-only), so
 * that only whoever may read the data directory can use them; nothing is exposed on the network. One request per
 * connection: a JSON line in, a JSON line out. The one command is {@code backup} ({@link NodeBackup}).
 */
public final class AdminSocket implements AutoCloseable {
    public static final String FILE = "admin.sock";
    private static final Logger LOG = LoggerFactory.getLogger(AdminSocket.class);
    private static final int MAX_REQUEST = 64 * 1024;

    private final ServerSocketChannel server;
    private final Path path;
    private final Thread thread;
    private volatile boolean running = true;

    private AdminSocket(ServerSocketChannel server, Path path, RocksDbStore store, Path dataDir) {
        this.server = server;
        this.path = path;
        this.thread = new Thread(() -> serve(store, dataDir), "admin-socket");
        thread.setDaemon(true);
        thread.start();
    }

    /** Listens on {@code dataDir/admin.sock}; returns null (logged) where the platform or path does not allow it. */
    static AdminSocket start(RocksDbStore store, Path dataDir) {
        Path path = dataDir.toAbsolutePath().resolve(FILE);
        try {
            Files.deleteIfExists(path); // left by a node that was killed
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            return new AdminSocket(server, path, store, dataDir);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("no admin socket at {} ({}): back up this node while it is stopped", path, e.getMessage());
            return null;
        }
    }

    private void serve(RocksDbStore store, Path dataDir) {
        while (running) {
            try (SocketChannel client = server.accept()) {
                Map<String, Object> reply;
                try {
                    reply = handle(readRequest(client), store, dataDir);
                } catch (IOException | RuntimeException e) {
                    reply = new LinkedHashMap<>();
                    reply.put("ok", false);
                    reply.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                }
                byte[] out = (Json.MAPPER.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8);
                client.write(ByteBuffer.wrap(out));
            } catch (IOException e) {
                if (running) LOG.info("admin socket connection failed: {}", e.getMessage());
            }
        }
    }

    private static JsonNode readRequest(SocketChannel client) throws IOException {
        InputStream in = Channels.newInputStream(client);
        byte[] line = new byte[MAX_REQUEST];
        int n = 0;
        for (int b; n < MAX_REQUEST && (b = in.read()) >= 0 && b != '\n'; ) line[n++] = (byte) b;
        return Json.MAPPER.readTree(new String(line, 0, n, StandardCharsets.UTF_8));
    }

    private static Map<String, Object> handle(JsonNode request, RocksDbStore store, Path dataDir) throws IOException {
        String command = request.path("command").asText("");
        if (!command.equals("backup")) throw new IllegalArgumentException("unknown admin command '" + command + "'");
        String out = request.path("out").asText("");
        if (out.isEmpty() || !Path.of(out).isAbsolute()) throw new IllegalArgumentException("'out' must be an absolute path");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.putAll(NodeBackup.create(store, dataDir, Path.of(out), request.path("includeKeys").asBoolean(false)));
        LOG.info("backup written to {}", out);
        return m;
    }

    /** Sends one request to the node listening in {@code dataDir}; empty if none listens there. */
    public static java.util.Optional<JsonNode> request(Path dataDir, Map<String, Object> request) throws IOException {
        Path path = dataDir.toAbsolutePath().resolve(FILE);
        if (!Files.exists(path)) return java.util.Optional.empty();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                return java.util.Optional.empty(); // a stale socket file: no node runs there
            }
            ch.write(ByteBuffer.wrap((Json.MAPPER.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8)));
            return java.util.Optional.of(Json.MAPPER.readTree(Channels.newInputStream(ch)));
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        Files.deleteIfExists(path);
        try {
            thread.join(60_000); // a backup in progress finishes before the database closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
