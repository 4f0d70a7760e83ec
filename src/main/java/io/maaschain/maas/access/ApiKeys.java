package io.maaschain.maas.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.storage.SecretFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys bound to accounts, for callers that do not sign requests ({@code Authorization: Bearer mck_...}). The
 * node-local file ({@code <data-dir>/apikeys.json}) stores only SHA-256 of each key, so reading it does not reveal
 * keys. The node re-reads the file when it changes, so keys created while it runs work at once.
 *
 * <pre>
 * {"version": 1, "keys": [{"id": "1a2b3c4d", "sha256": hex, "account": "mc...", "label": "...", "createdMillis": n}]}
 * </pre>
 */
public final class ApiKeys {
    public static final String FILE = "apikeys.json";
    public static final String DEV_KEY_FILE = "dev.apikey";
    public static final String PREFIX = "mck_";
    public static final long MAX_FILE_BYTES = 16L << 20;
    private static final Pattern KEY = Pattern.compile("mck_[0-9a-f]{64}");
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One key as the file holds it. */
    public record Entry(String id, Hash sha256, Address account, String label, long createdMillis) {}

    private final Path file;
    private volatile Map<Hash, Entry> byHash = Map.of();
    private volatile FileTime loadedModified;
    private volatile long loadedSize = -1;

    private ApiKeys(Path file) {
        this.file = file;
    }

    /** Opens the key file (absent means no keys yet); it is re-read whenever it changes. */
    public static ApiKeys open(Path file) {
        ApiKeys k = new ApiKeys(file);
        k.reloadIfChanged();
        return k;
    }

    /** The account the presented key belongs to, or empty. */
    public Optional<Address> account(String presentedKey) {
        return entry(presentedKey).map(Entry::account);
    }

    /** The presented key's entry (its account and SHA-256, which names it in an allowance), or empty. */
    public Optional<Entry> entry(String presentedKey) {
        if (presentedKey == null || !KEY.matcher(presentedKey).matches()) return Optional.empty();
        reloadIfChanged();
        return Optional.ofNullable(byHash.get(hash(presentedKey)));
    }

    public List<Entry> entries() {
        reloadIfChanged();
        return List.copyOf(byHash.values());
    }

    /** SHA-256 of the key's UTF-8 text: how the file and an on-chain allowance name a key. */
    public static Hash hash(String key) {
        return Sha256.hash(key.getBytes(StandardCharsets.UTF_8));
    }

    private void reloadIfChanged() {
        try {
            FileTime modified;
            long size;
            try {
                // One stat per call (both fields at once): a key added or revoked takes effect on the next call.
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                modified = attributes.lastModifiedTime();
                size = attributes.size();
            } catch (NoSuchFileException e) {
                byHash = Map.of();
                loadedModified = null;
                loadedSize = -1;
                return;
            }
            if (modified.equals(loadedModified) && size == loadedSize) return;
            synchronized (this) {
                if (modified.equals(loadedModified) && size == loadedSize) return;
                Map<Hash, Entry> m = new HashMap<>();
                for (Entry e : read(file)) m.put(e.sha256(), e);
                byHash = Map.copyOf(m);
                loadedModified = modified;
                loadedSize = size;
            }
        } catch (IOException | CodecException e) {
            LOG.error("cannot read the API key file {}: {}; keeping the keys loaded before", file, e.getMessage());
        }
    }

    /** Reads and checks a key file strictly. */
    public static List<Entry> read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) throw new CodecException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CodecException(file + " is not valid JSON");
        }
        if (root == null || !root.isObject() || root.path("version").asInt(-1) != 1 || !root.path("keys").isArray()) {
            throw new CodecException(file + " must be {\"version\": 1, \"keys\": [...]}");
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode k : root.get("keys")) {
            try {
                out.add(new Entry(k.path("id").asText(), Hash.wrap(Hex.decode(k.path("sha256").asText())), Address.parse(k.path("account").asText()),
                        k.path("label").asText(""), k.path("createdMillis").asLong(0)));
            } catch (CodecException e) {
                throw new CodecException(file + ": bad key entry: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Creates a key for {@code account}, adds its hash to {@code file} (created owner-only if missing) and returns the
     * key itself, which is shown once and stored nowhere.
     */
    public static synchronized String create(Path file, Address account, String label, SecureRandom random, long nowMillis) throws IOException {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = PREFIX + Hex.encode(secret);
        Hash h = hash(key);
        List<Entry> entries = Files.exists(file) ? new ArrayList<>(read(file)) : new ArrayList<>();
        entries.add(new Entry(h.toHex().substring(0, 8), h, account, label == null ? "" : label, nowMillis));
        write(file, entries);
        return key;
    }

    /** Removes the key with this id (the first 8 hex digits of its hash); returns whether one was removed. */
    public static synchronized boolean revoke(Path file, String id) throws IOException {
        if (!Files.exists(file)) return false;
        List<Entry> entries = new ArrayList<>(read(file));
        boolean removed = entries.removeIf(e -> e.id().equals(id));
        if (removed) write(file, entries);
        return removed;
    }

    /**
     * For the devnet: makes sure {@code <dataDir>/dev.apikey} holds a key for {@code dev} registered in
     * {@code <dataDir>/apikeys.json}, and returns it.
     */
    public static String ensureDevKey(Path dataDir, Address dev, SecureRandom random, long nowMillis) throws IOException {
        Path keyFile = dataDir.resolve(DEV_KEY_FILE);
        Path keys = dataDir.resolve(FILE);
        if (Files.exists(keyFile)) {
            String existing = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            if (Files.exists(keys) && read(keys).stream().anyMatch(e -> e.sha256().equals(hash(existing)) && e.account().equals(dev))) return existing;
        }
        String key = create(keys, dev, "dev account", random, nowMillis);
        SecretFiles.writeOwnerOnly(keyFile, key + "\n");
        return key;
    }

    private static void write(Path file, List<Entry> entries) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", 1);
        ArrayNode arr = root.putArray("keys");
        for (Entry e : entries) {
            ObjectNode k = arr.addObject();
            k.put("id", e.id());
            k.put("sha256", e.sha256().toHex());
            k.put("account", e.account().toString());
            k.put("label", e.label());
            k.put("createdMillis", e.createdMillis());
        }
        SecretFiles.writeOwnerOnly(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
}
