package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.state.Account;
import io.maaschain.state.StateKeys;
import io.maaschain.storage.Column;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alters stored bytes, in a database and in an export file, and checks that `chain verify` finds every change. */
class ChainVerifyTamperTest {
    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);
    static final int BLOCKS = 12;

    @TempDir Path dir;
    Path dataDir;
    List<Block> blocks = new ArrayList<>();

    /** A chain with a real-size target (1 in 65,536 hashes), so an altered nonce cannot pass by luck. */
    static String genesisJson() {
        return TestChain.genesisJson(ALICE, BOB).replace("\"initialBits\": \"0x207fffff\"", "\"initialBits\": \"0x1f00ffff\"");
    }

    @BeforeEach
    void buildChain() throws Exception {
        dataDir = dir.resolve("data");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("genesis.json"), genesisJson());
        Genesis genesis = GenesisParser.parse(genesisJson());
        try (RocksDbStore store = RocksDbStore.open(dataDir.resolve("db"))) {
            Blockchain chain = TestChain.open(store, genesis);
            for (int i = 0; i < BLOCKS; i++) {
                List<Transaction> txs = List.of(Fixtures.transfer(ALICE, BOB.address(), 10 + i, i, 1),
                        Fixtures.register(BOB, Fixtures.model("m" + i, "1", "w" + i), i));
                Block b = TestChain.next(chain, txs, Fixtures.key(9).address());
                chain.importBlock(b, Long.MAX_VALUE / 2);
                blocks.add(b);
            }
        }
    }

    record Run(int exit, String out) {}

    static Run cli(String... args) {
        CliRun.Result r = CliRun.run(args);
        return new Run(r.exit(), r.out());
    }

    Run verifyDb() {
        return cli("chain", "verify", "--data-dir", dataDir.toString(), "--json");
    }

    void alter(Column column, byte[] key, java.util.function.UnaryOperator<byte[]> change) {
        try (RocksDbStore store = RocksDbStore.open(dataDir.resolve("db")); var batch = store.newBatch()) {
            batch.put(column, key, change.apply(store.get(column, key)));
            batch.commit();
        }
    }

    static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x01;
        return c;
    }

    @Test
    void untouchedDatabaseVerifies() {
        Run r = verifyDb();
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("\"blocksVerified\" : " + BLOCKS);
    }

    @Test
    void everyAlteredByteOfAStoredBlockIsFoundAndNamed() {
        Block target = blocks.get(4);
        byte[] key = target.hash().toBytes();
        int length = io.maaschain.ledger.block.BlockCodec.encode(target).length;
        Random random = new Random(7);
        for (int i = 0; i < 12; i++) {
            int at = random.nextInt(length);
            alter(Column.BLOCKS, key, b -> flip(b, at));
            Run r = verifyDb();
            assertThat(r.exit()).as("byte %d: %s", at, r.out()).isEqualTo(1);
            assertThat(r.out()).contains("\"firstBadBlock\" : 5");
            alter(Column.BLOCKS, key, b -> flip(b, at));
        }
        assertThat(verifyDb().exit()).isZero();
    }

    @Test
    void alteredStateHeadPointerOrIndexIsFound() {
        byte[] bobKey = StateKeys.account(BOB.address()).toArray();
        alter(Column.STATE, bobKey, v -> new Account(Account.decode(v).balance() + 1, Account.decode(v).nonce()).encode());
        Run r = verifyDb();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("stored state");
        alter(Column.STATE, bobKey, v -> new Account(Account.decode(v).balance() - 1, Account.decode(v).nonce()).encode());
        assertThat(verifyDb().exit()).isZero();

        byte[] height7 = new io.maaschain.codec.ByteWriter().u64(7).toByteArray();
        alter(Column.CANONICAL, height7, h -> blocks.get(2).hash().toBytes());
        Run index = verifyDb();
        assertThat(index.exit()).isEqualTo(1);
        assertThat(index.out()).contains("\"firstBadBlock\" : 7");
    }

    @Test
    void everyAlteredByteOfAnExportIsFound() throws Exception {
        Path export = dir.resolve("chain.bin");
        assertThat(cli("chain", "export", "--data-dir", dataDir.toString(), "--out", export.toString()).exit()).isZero();
        assertThat(cli("chain", "verify", "--file", export.toString()).exit()).isZero();
        byte[] bytes = Files.readAllBytes(export);
        Random random = new Random(11);
        Path bad = dir.resolve("bad.bin");
        for (int i = 0; i < 40; i++) {
            int at = random.nextInt(bytes.length);
            Files.write(bad, flip(bytes, at));
            Run r = cli("chain", "verify", "--file", bad.toString());
            assertThat(r.exit()).as("export byte %d of %d: %s", at, bytes.length, r.out()).isNotZero();
        }
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThat(cli("chain", "verify", "--file", bad.toString()).exit()).isNotZero();

        Path restored = dir.resolve("restored");
        Run imported = cli("chain", "import", "--data-dir", restored.toString(), "--file", export.toString(), "--json");
        assertThat(imported.exit()).as(imported.out()).isZero();
        assertThat(imported.out()).contains("\"headHash\" : \"" + blocks.getLast().hash().toHex() + "\"");
        assertThat(cli("chain", "verify", "--data-dir", restored.toString()).exit()).isZero();
    }
}
