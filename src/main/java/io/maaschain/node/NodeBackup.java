package io.maaschain.node;

import io.maaschain.maas.access.ApiKeys;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.storage.RocksDbStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A full backup of a node data directory, and its restore (docs/operator-guide.md, "Backup and restore"). The database
 * (chain, state, receipts and receipt indexes) is a RocksDB checkpoint, consistent at one instant even while the node
 * runs; beside it the genesis, the API keys, the stored artifacts and, only if asked, the key files and the validator's
 * signing history (slashing protection).
 */
public final class NodeBackup {
    /** Files in a data directory that hold secrets: copied only with {@code includeKeys}. */
    static final List<String> KEY_FILES = List.of("node.key", DevSetup.DEV_KEY, SigningHistoryFile.FILE);
    /** Other small files copied as they are. */
    static final List<String> PLAIN_FILES = List.of(DevSetup.GENESIS, ApiKeys.FILE, ApiKeys.DEV_KEY_FILE);
    public static final String MANIFEST = "backup.json";

    private NodeBackup() {}

    /** Backs up {@code dataDir}, whose database is open as {@code store}, into {@code out} (created; must not exist). */
    public static Map<String, Object> create(RocksDbStore store, Path dataDir, Path out, boolean includeKeys) throws IOException {
        if (Files.exists(out)) throw new FileAlreadyExistsException(out + " exists; a backup goes into a new directory");
        Files.createDirectories(out);
        store.checkpoint(out.resolve("db"));
        List<String> files = new ArrayList<>();
        files.add("db/");
        for (String name : PLAIN_FILES) if (copyIfPresent(dataDir.resolve(name), out.resolve(name))) files.add(name);
        if (includeKeys) {
            for (String name : KEY_FILES) if (copyIfPresent(dataDir.resolve(name), out.resolve(name))) files.add(name);
        }
        long artifacts = copyArtifacts(ArtifactStore.defaultRoot(dataDir), ArtifactStore.defaultRoot(out));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backup", out.toString());
        m.put("files", files);
        m.put("artifactFiles", artifacts);
        m.put("keys", includeKeys);
        Files.writeString(out.resolve(MANIFEST), io.maaschain.api.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m));
        return m;
    }

    /** Brings a backup back into {@code dataDir}, which must hold no database yet. */
    public static Map<String, Object> restore(Path backup, Path dataDir) throws IOException {
        if (!Files.isRegularFile(backup.resolve(MANIFEST)) || !Files.isDirectory(backup.resolve("db"))) {
            throw new IllegalArgumentException(backup + " is not a node backup (no " + MANIFEST + " and db/)");
        }
        if (Files.exists(dataDir.resolve("db"))) {
            throw new IllegalArgumentException(dataDir + " already holds a database; restore into an empty data directory");
        }
        Files.createDirectories(dataDir);
        long files = copyTree(backup, dataDir, p -> !p.getFileName().toString().equals(MANIFEST));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("restored", dataDir.toString());
        m.put("files", files);
        return m;
    }

    private static boolean copyIfPresent(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) return false;
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        return true;
    }

    /** Complete artifacts only: an upload in progress is resumable on the node, not part of a backup. */
    private static long copyArtifacts(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return 0;
        return copyTree(from, to, p -> !p.toString().contains("/uploads/") && !p.getFileName().toString().endsWith(".tmp"));
    }

    private static long copyTree(Path from, Path to, java.util.function.Predicate<Path> include) throws IOException {
        long n = 0;
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (include.test(p)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    n++;
                }
            }
        }
        return n;
    }
}
