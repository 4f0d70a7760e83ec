package io.maaschain.node;

import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.consensus.protocol.SigningHistory;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The validator's slashing protection on disk: what it last signed, kept in one small file in the data directory
 * apart from the chain database (deleting the chain must not reset it). Each save writes a temporary file, syncs it,
 * renames it over the old one and syncs the directory, so after a crash the file holds either the old or the new
 * history, never a mix. A file that is present but damaged stops the node: signing on from an unknown history could
 * sign something slashable.
 *
 * <p>Layout: magic "MCSH", the {@link SigningHistory} encoding, then the SHA-256 of both.
 */
public final class SigningHistoryFile implements GuardedSigner.HistoryStore {
    public static final String FILE = "signing-history.bin";
    private static final byte[] MAGIC = {'M', 'C', 'S', 'H'};

    private final Path file;

    public SigningHistoryFile(Path file) {
        this.file = file;
    }

    public static SigningHistoryFile in(Path dataDir) {
        return new SigningHistoryFile(dataDir.resolve(FILE));
    }

    public Path path() {
        return file;
    }

    /** The saved history; empty if this validator has never signed here. */
    @Override
    public SigningHistory load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return SigningHistory.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing history " + file, e);
        }
        try {
            return decode(bytes);
        } catch (CodecException e) {
            throw new StorageException("the signing history " + file + " is corrupted (" + e.getMessage() + "). The validator will not sign "
                    + "without knowing what it signed before. Restore the file from a backup, or, if this key has never signed "
                    + "on this chain elsewhere and you accept the risk of being slashed, delete it.");
        }
    }

    static SigningHistory decode(byte[] bytes) {
        if (bytes.length < MAGIC.length + Hash.LENGTH) throw new CodecException("only " + bytes.length + " bytes");
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) throw new CodecException("not a signing history file");
        int bodyEnd = bytes.length - Hash.LENGTH;
        Hash expected = Sha256.hash(bytes, 0, bodyEnd);
        Hash stored = Hash.wrap(Arrays.copyOfRange(bytes, bodyEnd, bytes.length));
        if (!expected.equals(stored)) throw new CodecException("checksum mismatch");
        return SigningHistory.decode(Arrays.copyOfRange(bytes, MAGIC.length, bodyEnd));
    }

    static byte[] encode(SigningHistory history) {
        byte[] body = history.encode();
        byte[] head = new ByteWriter(MAGIC.length + body.length).raw(MAGIC).raw(body).toByteArray();
        return new ByteWriter(head.length + Hash.LENGTH).raw(head).raw(Sha256.hash(head).toBytes()).toByteArray();
    }

    /** Durable when it returns: the caller signs only after this. */
    @Override
    public void save(SigningHistory history) {
        byte[] bytes = encode(history);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            // Refuse to sign: the signer gets no signature when save throws.
            throw new StorageException("cannot save the signing history " + file + ": " + e.getMessage(), e);
        }
    }
}
