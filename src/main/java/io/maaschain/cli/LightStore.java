package io.maaschain.cli;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.consensus.light.LightChain;
import io.maaschain.consensus.light.SetChange;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The light client's header store: one directory per chain, named by its genesis hash, under {@code ~/.maaschain/light}
 * (or {@code --light-dir} / {@code MAASCHAIN_LIGHT_DIR}), holding {@code headers.bin}, the {@link LightChain} verified so
 * far; and one pin file per chain id naming the genesis trusted for it (docs/light-client.md). Writes go to a temporary
 * file that is synced and then renamed over the old one, so a crash leaves the old store or the new one. A checksum
 * detects a damaged file.
 *
 * <p>{@code headers.bin}: ASCII {@code MCLIGHT1}, {@code raw[32]} genesis hash, {@code u32 n} and n {@code bytes} header
 * encodings (anchor first), {@code u16 m} and m validator-set changes ({@code u63} from height, {@code bytes} set
 * encoding), {@code u16 k} and k votes (the tip's commit), then {@code raw[32]} SHA-256 of everything before it.
 */
final class LightStore {
    static final String ENV = "MAASCHAIN_LIGHT_DIR";
    private static final byte[] MAGIC = "MCLIGHT1".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_HEADERS = 50_000_000;

    private final Path root;

    LightStore(Path root) {
        this.root = root;
    }

    /** {@code --light-dir} if given, else {@code $MAASCHAIN_LIGHT_DIR}, else {@code ~/.maaschain/light}. */
    static LightStore resolve(Path option) {
        if (option != null) return new LightStore(option);
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return new LightStore(Path.of(env));
        return new LightStore(Path.of(System.getProperty("user.home"), ".maaschain", "light"));
    }

    Path root() {
        return root;
    }

    Path file(Hash genesis) {
        return root.resolve(genesis.toHex()).resolve("headers.bin");
    }

    private Path pinFile(long chainId) {
        return root.resolve("chain-" + Long.toUnsignedString(chainId) + ".pin");
    }

    /** The genesis hash pinned for {@code chainId}, if any. */
    Optional<Hash> pinned(long chainId) {
        Path f = pinFile(chainId);
        try {
            String text = Files.readString(f, StandardCharsets.US_ASCII).strip();
            return Optional.of(Hash.fromHex(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | CodecException e) {
            throw new CliException("the light client's pin file " + f + " cannot be read (" + ErrorText.describe(e)
                    + "); delete it, or pass --genesis-hash to choose the chain");
        }
    }

    void pin(long chainId, Hash genesis) {
        write(pinFile(chainId), (genesis.toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** The stored chain for {@code genesis}, or empty if none was stored yet; a damaged file is a {@link CliException}. */
    Optional<LightChain> load(Hash genesis) {
        Path f = file(genesis);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CliException("the light client's header store " + f + " cannot be read: " + ErrorText.describe(e));
        }
        try {
            return Optional.of(decode(bytes, genesis));
        } catch (CodecException | IllegalArgumentException e) {
            throw new CliException("the light client's header store " + f + " is corrupted (" + e.getMessage() + "); delete "
                    + f.getParent() + " to verify the chain again from genesis");
        }
    }

    void save(Hash genesis, LightChain chain) {
        write(file(genesis), encode(genesis, chain));
    }

    static byte[] encode(Hash genesis, LightChain chain) {
        ByteWriter w = new ByteWriter(64 + chain.headers().size() * 200).raw(MAGIC).raw(genesis.toBytes()).u32(chain.headers().size());
        for (Header h : chain.headers()) w.bytes(HeaderCodec.encode(h));
        w.u16(chain.validatorSets().size());
        for (SetChange c : chain.validatorSets()) w.u64(c.fromHeight()).bytes(c.set().encode());
        w.u16(chain.tipCommit().size());
        for (Vote v : chain.tipCommit()) VoteCodec.write(w, v);
        byte[] body = w.toByteArray();
        return new ByteWriter(body.length + 32).raw(body).raw(Sha256.hash(body).toBytes()).toByteArray();
    }

    static LightChain decode(byte[] bytes, Hash genesis) {
        if (bytes.length < MAGIC.length + 32 + 32) throw new CodecException("the file is too short (" + bytes.length + " bytes)");
        byte[] body = Arrays.copyOf(bytes, bytes.length - 32);
        if (!Sha256.hash(body).equals(Hash.wrap(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)))) {
            throw new CodecException("its checksum does not match its contents");
        }
        ByteReader r = new ByteReader(body);
        if (!Arrays.equals(r.raw(MAGIC.length, "magic"), MAGIC)) throw new CodecException("it is not a maaschain light-client store");
        Hash stored = Hash.wrap(r.raw(32, "genesis hash"));
        if (!stored.equals(genesis)) throw new CodecException("it belongs to genesis " + stored + ", not " + genesis);
        long n = r.u32("header count");
        if (n < 1 || n > MAX_HEADERS) throw new CodecException(n + " headers");
        List<Header> headers = new ArrayList<>();
        for (long i = 0; i < n; i++) headers.add(HeaderCodec.decode(r.bytes(HeaderCodec.MAX_HEADER_BYTES, "header")));
        int m = r.u16("validator set changes");
        List<SetChange> sets = new ArrayList<>();
        for (int i = 0; i < m; i++) sets.add(new SetChange(r.u63("from height"), ValidatorSet.decode(r.bytes(2 + 256 * 40, "validator set"))));
        int k = r.u16("tip commit votes");
        List<Vote> votes = new ArrayList<>();
        for (int i = 0; i < k; i++) votes.add(VoteCodec.read(r));
        r.expectEnd();
        return new LightChain(headers, sets, votes);
    }

    /** Atomic replace: temporary file in the same directory, fsync, rename over the target. */
    private static void write(Path target, byte[] bytes) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException("cannot write the light client's store " + target + ": " + ErrorText.describe(e)
                    + "; pass --light-dir DIR or set " + ENV + " to a writable directory");
        }
    }
}
