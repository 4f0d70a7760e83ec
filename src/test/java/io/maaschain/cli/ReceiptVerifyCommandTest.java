package io.maaschain.cli;

import static io.maaschain.testing.MarketChain.CALLER;
import static io.maaschain.testing.MarketChain.NODE;
import static io.maaschain.testing.MarketChain.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maaschain.api.ApiServer;
import io.maaschain.api.Json;
import io.maaschain.api.ReceiptRoutes;
import io.maaschain.chain.ChainArchive;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.maas.receipt.ReceiptBatcher;
import io.maaschain.maas.receipt.ReceiptLog;
import io.maaschain.maas.receipt.ReceiptProofs;
import io.maaschain.maas.receipt.SignedReceipt;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.MarketChain;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptVerifyCommandTest {
    static final Hash DIGEST = Fixtures.digest("artifact");

    @TempDir Path dir;
    MarketChain m;
    ReceiptLog log;
    ApiServer server;
    String url;
    SignedReceipt paid;
    SignedReceipt later;

    @BeforeEach
    void settleSomeReceipts() throws Exception {
        m = new MarketChain();
        m.apply(OWNER, MarketChain.model("iris", "1.0.0", DIGEST, 10, 5));
        m.apply(NODE, new HostModel("iris", "1.0.0", 2));
        m.apply(CALLER, new Deposit(NODE.address(), 100));
        m.apply(OWNER, new io.maaschain.ledger.tx.SetVisibility("iris", true));
        log = ReceiptLog.open(new InMemoryStore(), NODE, Fixtures.CHAIN_ID);
        for (int i = 0; i < 5; i++) {
            SignedReceipt r = log.append(new ReceiptLog.Draft(1_800_000_000_000L + i, "iris", "1.0.0", DIGEST, CALLER.address(),
                    Sha256.hash(("q" + i).getBytes()), 200, Sha256.hash(("a" + i).getBytes()), "", null, 7, 1000));
            if (i == 2) paid = r;
        }
        ReceiptBatcher batcher = new ReceiptBatcher(m.chain, m.pool, log, new ReceiptBatcher.Config(0, 1, 100, 0, 50), () -> 0);
        batcher.tick();
        Block b = m.mine();
        batcher.onHeadChanged(List.of(), List.of(b));
        m.mine();
        later = log.append(new ReceiptLog.Draft(1_800_000_001_000L, "iris", "1.0.0", DIGEST, CALLER.address(), Hash.ZERO, 200, Hash.ZERO, "", null, 7, 1));
        server = new ApiServer(m.chain, m.pool);
        new ReceiptRoutes(new ReceiptProofs(log, m.chain, m.pool), null).register(server.javalin());
        server.start("127.0.0.1", 0);
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Path export() throws Exception {
        Path file = dir.resolve("chain.export");
        try (OutputStream out = Files.newOutputStream(file); ChainArchive.Writer w = new ChainArchive.Writer(out, m.genesisJson)) {
            for (long h = 1; h <= m.chain.head().height(); h++) w.writeBlock(BlockCodec.encode(m.chain.index().canonicalBlock(h)));
        }
        return file;
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CliRun.Result r = CliRun.run(CliRun.with(new String[] {"receipt"}, args));
        return new Run(r.exit(), r.out(), r.err());
    }

    Path saved(SignedReceipt r) {
        Path file = dir.resolve(r.id().toHex().substring(0, 8) + ".json");
        Run get = run("get", r.id().toHex(), "--node", url, "--out", file.toString());
        assertThat(get.exit()).as(get.err()).isZero();
        return file;
    }

    @Test
    void aGoodReceiptVerifiesOfflineAgainstAChainExportAndAgainstANode() throws Exception {
        Path file = saved(paid);
        Path export = export();
        Run offline = run("verify", file.toString(), "--chain-file", export.toString());
        assertThat(offline.exit()).as(offline.out() + offline.err()).isZero();
        assertThat(offline.out()).contains("ok   node signature", "ok   batch inclusion", "ok   tx inclusion", "ok   block header", "ok   chain",
                "verified: seq 2");
        Run online = run("verify", file.toString(), "--node", url, "--json");
        assertThat(online.exit()).as(online.out() + online.err()).isZero();
        assertThat(Json.MAPPER.readTree(online.out()).path("ok").asBoolean()).isTrue();
        Run alone = run("verify", file.toString());
        assertThat(alone.exit()).isZero();
        assertThat(alone.out()).contains("not checked");
    }

    @Test
    void tamperedReceiptsAreRejectedWithAReason() throws Exception {
        Path file = saved(paid);
        Path export = export();
        JsonNode good = Json.MAPPER.readTree(Files.readString(file));

        ObjectNode fee = good.deepCopy();
        byte[] enc = Hex.decode(fee.get("encoded").asText());
        enc[enc.length - 1] ^= 0x01;
        fee.put("encoded", Hex.encode(enc));
        fee.remove("id");
        assertRejected(fee, export, "node signature");

        ObjectNode path = good.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) path.get("batch").get("proof").get("path")).set(0,
                Json.MAPPER.getNodeFactory().textNode("00".repeat(32)));
        assertRejected(path, export, "batch inclusion");

        ObjectNode header = good.deepCopy();
        byte[] h = Hex.decode(header.get("settlement").get("header").asText());
        h[50] ^= 0x01;
        ((ObjectNode) header.get("settlement")).put("header", Hex.encode(h));
        assertRejected(header, export, "block header");

        ObjectNode wrongBlock = good.deepCopy();
        ((ObjectNode) wrongBlock.get("settlement")).put("blockHeight", 1);
        assertRejected(wrongBlock, export, "block header");

        ObjectNode garbage = good.deepCopy();
        garbage.put("signature", "zz");
        Files.writeString(dir.resolve("garbage.json"), garbage.toString());
        Run g = run("verify", dir.resolve("garbage.json").toString(), "--chain-file", export.toString());
        assertThat(g.exit()).isEqualTo(1);
        assertThat(g.err()).contains("malformed");
    }

    @Test
    void aBlockNotOnTheChainIsRejected() throws Exception {
        Path file = saved(paid);
        // An export that stops before the block holding the batch.
        Path shortExport = dir.resolve("short.export");
        try (OutputStream out = Files.newOutputStream(shortExport); ChainArchive.Writer w = new ChainArchive.Writer(out, m.genesisJson)) {
            for (long hgt = 1; hgt <= 3; hgt++) w.writeBlock(BlockCodec.encode(m.chain.index().canonicalBlock(hgt)));
        }
        Run r = run("verify", file.toString(), "--chain-file", shortExport.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("chain: the export ends at height 3");
    }

    @Test
    void anUnsettledReceiptCannotBeVerifiedYet() throws Exception {
        Path file = saved(later);
        Run r = run("verify", file.toString(), "--node", url);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("batch: the receipt is unsettled");
    }

    void assertRejected(JsonNode evidence, Path export, String check) throws Exception {
        Path f = dir.resolve("tampered.json");
        Files.writeString(f, evidence.toString());
        Run r = run("verify", f.toString(), "--chain-file", export.toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.err()).contains("receipt verification failed: " + check);
    }
}
