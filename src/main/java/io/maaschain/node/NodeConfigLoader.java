package io.maaschain.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a node's TOML config (docs/operator-guide.md, "Node config"). Each setting can be overridden by an
 * environment variable {@code MAASCHAIN_<SECTION>_<KEY>} (upper case, '-' as '_'), and flags override both.
 * Relative paths are resolved against the config file's directory. Unknown keys are errors.
 */
public final class NodeConfigLoader {
    private static final Map<String, Set<String>> KEYS = Map.of(
            "", Set.of("data-dir", "genesis", "node-key", "http", "p2p", "mining", "serving", "artifacts"),
            "serving", Set.of("recheck-seconds", "remote"),
            "artifacts", Set.of("account-quota-bytes", "disk-reserve-bytes", "upload-expiry-seconds"),
            "http", Set.of("host", "port"),
            "p2p", Set.of("enabled", "host", "port", "bootnodes", "max-inbound", "max-outbound", "tls"),
            "mining", Set.of("enabled", "threads", "reward-address", "block-interval-ms"));

    /** Ten years: longer would be no expiry at all, and overflows date arithmetic near the end of a long's range. */
    static final long MAX_UPLOAD_EXPIRY_SECONDS = 10L * 365 * 24 * 3600;

    private final JsonNode root;
    private final Map<String, String> env;
    private final Path base;

    private NodeConfigLoader(JsonNode root, Map<String, String> env, Path base) {
        this.root = root;
        this.env = env;
        this.base = base;
    }

    public static NodeConfig load(Path file, Map<String, String> env) throws IOException {
        return parse(Files.readString(file), file, env);
    }

    /** The config in {@code text}, read from {@code file} (paths in it are relative to the file's folder). */
    static NodeConfig parse(String text, Path file, Map<String, String> env) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CodecException("config " + file + " is not valid TOML: " + e.getOriginalMessage());
        }
        checkKeys(root, "");
        for (String section : List.of("http", "p2p", "mining", "serving", "artifacts")) {
            if (root.has(section)) checkKeys(root.get(section), section);
        }
        Path base = file.toAbsolutePath().getParent();
        return new NodeConfigLoader(root, env, base).build();
    }

    private static void checkKeys(JsonNode node, String section) {
        if (!node.isObject()) throw new CodecException("config: [" + section + "] must be a table");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.get(section).contains(k)) {
                throw new CodecException("config: unknown key '" + k + "'" + (section.isEmpty() ? "" : " in [" + section + "]"));
            }
        }
    }

    private NodeConfig build() {
        Path dataDir = path("", "data-dir", "data");
        Path genesis = path("", "genesis", dataDir.resolve("genesis.json").toString());
        Path nodeKey = path("", "node-key", dataDir.resolve("node.key").toString());
        Optional<NodeConfig.Network> network = bool("p2p", "enabled", true)
                ? Optional.of(new NodeConfig.Network(string("p2p", "host", "0.0.0.0"), port("p2p", "port", 30333),
                        list("p2p", "bootnodes"), integer("p2p", "max-inbound", 25), integer("p2p", "max-outbound", 10),
                        bool("p2p", "tls", false)))
                : Optional.empty();
        String reward = string("mining", "reward-address", "");
        NodeConfig.Mining mining = new NodeConfig.Mining(bool("mining", "enabled", true),
                reward.isEmpty() ? Optional.empty() : Optional.of(Address.parse(reward)),
                integer("mining", "threads", 1), integer("mining", "block-interval-ms", 1000));
        int recheck = integer("serving", "recheck-seconds", 300);
        if (recheck < 1) throw new CodecException("config: 'recheck-seconds' must be at least 1");
        List<NodeConfig.RemoteModel> remote;
        try {
            remote = list("serving", "remote").stream().map(NodeConfig.RemoteModel::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new CodecException("config: [serving] " + e.getMessage());
        }
        NodeConfig.Artifacts defaults = NodeConfig.Artifacts.DEFAULT;
        long expiry = longValue("artifacts", "upload-expiry-seconds", defaults.uploadExpiry().toSeconds());
        if (expiry < 1 || expiry > MAX_UPLOAD_EXPIRY_SECONDS) {
            throw new CodecException("config: 'upload-expiry-seconds' must be from 1 to " + MAX_UPLOAD_EXPIRY_SECONDS + " (ten years), got " + expiry);
        }
        NodeConfig.Artifacts artifacts = new NodeConfig.Artifacts(longValue("artifacts", "account-quota-bytes", defaults.accountQuotaBytes()),
                longValue("artifacts", "disk-reserve-bytes", defaults.diskReserveBytes()), java.time.Duration.ofSeconds(expiry));
        return new NodeConfig(dataDir, genesis, nodeKey, string("http", "host", "127.0.0.1"), port("http", "port", 8645), network, mining,
                new NodeConfig.Serving(java.time.Duration.ofSeconds(recheck), remote), artifacts);
    }

    private String raw(String section, String key) {
        String envName = "MAASCHAIN_" + (section.isEmpty() ? "" : section.toUpperCase() + "_") + key.toUpperCase().replace('-', '_');
        String fromEnv = env.get(envName);
        if (fromEnv != null) return fromEnv;
        JsonNode n = section.isEmpty() ? root.get(key) : root.path(section).get(key);
        if (n == null) return null;
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(e.asText()));
            return String.join(",", parts);
        }
        if (n.isContainerNode()) throw new CodecException("config: '" + key + "' must be a value");
        return n.asText();
    }

    private String string(String section, String key, String fallback) {
        String v = raw(section, key);
        return v == null ? fallback : v;
    }

    private Path path(String section, String key, String fallback) {
        Path p = Path.of(string(section, key, fallback));
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }

    private int integer(String section, String key, int fallback) {
        String v = raw(section, key);
        if (v == null) return fallback;
        try {
            int i = Integer.parseInt(v.trim());
            if (i < 0) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new CodecException("config: '" + key + "' must be a non-negative integer, got '" + v + "'");
        }
    }

    private long longValue(String section, String key, long fallback) {
        String v = raw(section, key);
        if (v == null) return fallback;
        try {
            long l = Long.parseLong(v.trim());
            if (l < 0) throw new NumberFormatException();
            return l;
        } catch (NumberFormatException e) {
            throw new CodecException("config: '" + key + "' must be a non-negative integer, got '" + v + "'");
        }
    }

    private int port(String section, String key, int fallback) {
        int p = integer(section, key, fallback);
        if (p > 65535) throw new CodecException("config: '" + key + "' must be a port number, got " + p);
        return p;
    }

    private boolean bool(String section, String key, boolean fallback) {
        String v = raw(section, key);
        if (v == null) return fallback;
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new CodecException("config: '" + key + "' must be true or false, got '" + v + "'");
        };
    }

    private List<String> list(String section, String key) {
        String v = raw(section, key);
        if (v == null || v.isBlank()) return List.of();
        return List.of(v.split("\\s*,\\s*"));
    }
}
