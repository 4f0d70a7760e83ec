package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `chain verify --data-dir` on real RocksDB files: it changes no file (bytes, modification times, the set of files),
 * finds a flipped byte in a table file of any column family, and says so when a cut-off write-ahead log lost blocks.
 */
class ChainVerifyDamageTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);
    static final int FLUSHED = 8;
    static final int IN_WAL_ONLY = 6;

    @TempDir Path dir;
    Path dataDir;
    Path db;

    /** Blocks 1..8 flushed to table files (every column family has some), 9..14 only in the write-ahead log. */
    @BeforeEach
    void buildChain() throws Exception {
        dataDir = dir.resolve("data");
        db = dataDir.resolve("db");
        String genesisJson = ChainVerifyTamperTest.genesisJson();
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve("genesis.json"), genesisJson);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        Genesis genesis = GenesisParser.parse(genesisJson);
        try (RocksDbStore store = RocksDbStore.open(db)) {
            Blockchain chain = TestChain.open(store, genesis);
            for (int i = 0; i < FLUSHED + IN_WAL_ONLY; i++) {
                List<Transaction> txs = List.of(Fixtures.transfer(ALICE, BOB.address(), 10 + i, i, 1),
                        Fixtures.register(BOB, Fixtures.model("m" + i, "1", "w" + i), i));
                Block b = TestChain.next(chain, txs, Fixtures.key(9).address());
                chain.importBlock(b, Long.MAX_VALUE / 2);
                if (i == FLUSHED - 1) store.flush();
            }
        }
    }

    CliRun.Result verify() {
        return CliRun.run("chain", "verify", "--data-dir", dataDir.toString(), "--json");
    }

    /** Every file under the database: its size, modification time and SHA-256. */
    static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                files.put(root.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis() + " " + sha);
            }
        }
        return files;
    }

    List<Path> files(String suffix) throws IOException {
        try (Stream<Path> all = Files.list(db)) {
            return all.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void aWholeDatabaseVerifiesAndNoFileIsTouched() throws Exception {
        Map<String, String> before = snapshot(db);
        CliRun.Result r = verify();
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"ok\" : true").contains("\"blocksVerified\" : " + (FLUSHED + IN_WAL_ONLY));
        assertThat(snapshot(db)).isEqualTo(before);
    }

    @Test
    void aFlippedByteInAnyTableFileIsFoundAndNamed() throws Exception {
        List<Path> tables = files(".sst");
        // One table file per column family that holds data (blocks, headers, state, indexes, meta...).
        assertThat(tables).hasSizeGreaterThanOrEqualTo(6);
        for (Path table : tables) {
            Path damaged = db.resolve(table.getFileName());
            byte[] original = Files.readAllBytes(damaged);
            flip(damaged, 20);
            try {
                Map<String, String> before = snapshot(db);
                CliRun.Result r = verify();
                assertThat(r.exit()).as("%s: %s", table.getFileName(), r.out()).isEqualTo(1);
                assertThat(r.out()).contains("\"ok\" : false").contains(table.getFileName().toString());
                assertThat(snapshot(db)).as("files after verifying %s", table.getFileName()).isEqualTo(before);
            } finally {
                Files.write(damaged, original);
            }
        }
    }

    @Test
    void aCutOffWriteAheadLogIsReportedAsLostBlocks() throws Exception {
        Path wal = files(".log").stream().filter(p -> size(p) > 0).reduce((a, b) -> b).orElseThrow();
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        Map<String, String> before = snapshot(db);
        CliRun.Result r = verify();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("\"ok\" : false").contains("blocks were lost").contains("recovers only up to height ");
        assertThat(snapshot(db)).isEqualTo(before);
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static void flip(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
