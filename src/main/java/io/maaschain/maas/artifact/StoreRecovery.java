package io.maaschain.maas.artifact;

import io.maaschain.crypto.Hash;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run when the store opens: removes what an interrupted write can leave under {@code sha256/} (temp files, manifests
 * and uploader records without their artifact), rebuilds a missing manifest (or deletes an artifact that does not hash
 * to its name), and counts each stored artifact against the accounts that uploaded it.
 */
final class StoreRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRecovery.class);

    private StoreRecovery() {}

    static void recover(BlobFiles files, AccountUsage usage, int chunkSize) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(files.dir())) {
            for (Path d : dirs) {
                if (!Files.isDirectory(d)) continue;
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
                    for (Path f : entries) {
                        String n = f.getFileName().toString();
                        if (n.endsWith(".tmp")) {
                            Files.deleteIfExists(f);
                        } else if (n.endsWith(".manifest") && !Files.exists(f.resolveSibling(n.substring(0, n.length() - ".manifest".length())))) {
                            Files.deleteIfExists(f);
                        } else if (n.endsWith(AccountUsage.SUFFIX) && !Files.exists(f.resolveSibling(n.substring(0, n.length() - AccountUsage.SUFFIX.length())))) {
                            Files.deleteIfExists(f);
                        } else if (BlobFiles.HEX64.matcher(n).matches() && !Files.exists(f.resolveSibling(n + ".manifest"))) {
                            rebuildManifest(files, Hash.fromHex(n), f, chunkSize);
                        }
                    }
                }
            }
        }
        for (Hash digest : files.list()) {
            try {
                usage.load(digest, files.readManifest(digest).size());
            } catch (IOException | RuntimeException e) {
                usage.load(digest, Files.size(files.blobPath(digest)));
            }
        }
    }

    private static void rebuildManifest(BlobFiles files, Hash digest, Path blob, int chunkSize) throws IOException {
        ChunkManifest m = ArtifactVerifier.manifestOf(blob, chunkSize);
        if (!m.artifactDigest().equals(digest)) {
            LOG.error("ALERT: stored artifact {} hashes to {}; deleting it", digest, m.artifactDigest());
            Files.deleteIfExists(blob);
            return;
        }
        BlobFiles.writeAtomically(files.manifestPath(digest), m.encode());
    }
}
