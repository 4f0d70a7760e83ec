package io.maaschain.maas.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How many bytes the file system holding a directory still lets this process write. Injectable so tests can fake a full disk. */
@FunctionalInterface
public interface FreeSpaceProbe {
    /** The real file system's usable space ({@link java.nio.file.FileStore#getUsableSpace}). */
    FreeSpaceProbe FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();

    long usableBytes(Path dir) throws IOException;
}
