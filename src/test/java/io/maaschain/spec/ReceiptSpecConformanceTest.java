package io.maaschain.spec;

import static io.maaschain.testing.MarketChain.CALLER;
import static io.maaschain.testing.MarketChain.NODE;
import static io.maaschain.testing.MarketChain.OWNER;
import static io.maaschain.testing.MarketChain.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.maas.receipt.ReceiptBatcher;
import io.maaschain.maas.receipt.ReceiptLog;
import io.maaschain.maas.receipt.ReceiptProofs;
import io.maaschain.maas.receipt.SignedReceipt;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.Prerequisite;
import io.maaschain.testing.MarketChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds settled receipt evidence made by the Java code to the independent verifier (tools/spec_verifier.py, written
 * from docs/receipts.md) and requires it to accept it, and to reject each kind of tampering.
 */
class ReceiptSpecConformanceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path VERIFIER = Path.of("tools", "spec_verifier.py");
    static String python;

    @BeforeAll
    static void findPython() {
        for (String candidate : List.of("python3", "python")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import sys").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    return;
                }
            } catch (Exception e) {
                // not this one
            }
        }
    }

    record Outcome(int exit, String output) {}

    static Outcome run(Path file, String... args) throws Exception {
        Prerequisite.require(python != null ? null : "python3 not installed: the independent verifier was not run");
        List<String> cmd = new ArrayList<>(List.of(python, VERIFIER.toString()));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out);
    }

    /** A settled success and a settled denial, with the verified header of their block. */
    static ObjectNode fixture() {
        MarketChain m = new MarketChain();
        Hash digest = Fixtures.digest("artifact");
        m.apply(OWNER, MarketChain.model("iris", "1.0.0", digest, 10, 5));
        m.apply(NODE, new HostModel("iris", "1.0.0", 2));
        m.apply(CALLER, new Deposit(NODE.address(), 100));
        m.apply(OWNER, new SetVisibility("iris", true));
        ReceiptLog log = ReceiptLog.open(new InMemoryStore(), NODE, Fixtures.CHAIN_ID);
        SignedReceipt ok = null;
        for (int i = 0; i < 5; i++) {
            ok = log.append(new ReceiptLog.Draft(1_800_000_000_000L + i, "iris", "1.0.0", digest, CALLER.address(),
                    Sha256.hash(("q" + i).getBytes()), 200, Sha256.hash(("a" + i).getBytes()), "", null, 7, 1000));
        }
        SignedReceipt denied = log.append(new ReceiptLog.Draft(1_800_000_000_100L, "iris", "1.0.0", digest, STRANGER.address(),
                Sha256.hash("q".getBytes()), 403, null, "ESCROW_INSUFFICIENT", Sha256.hash("ESCROW_INSUFFICIENT: ...".getBytes()), 0, 1000));
        SignedReceipt unknown = log.append(new ReceiptLog.Draft(1_800_000_000_200L, "nothing", "", null, null,
                Sha256.hash("q".getBytes()), 404, null, "NOT_FOUND", Sha256.hash("unknown".getBytes()), 0, 1000));
        ReceiptBatcher batcher = new ReceiptBatcher(m.chain, m.pool, log, new ReceiptBatcher.Config(0, 1, 100, 0, 50), () -> 0);
        batcher.tick();
        Block b = m.mine();
        batcher.onHeadChanged(List.of(), List.of(b));
        ReceiptProofs proofs = new ReceiptProofs(log, m.chain, m.pool);
        ObjectNode f = JSON.createObjectNode();
        ArrayNode receipts = f.putArray("receipts");
        for (SignedReceipt r : List.of(ok, denied, unknown)) {
            ObjectNode ev = JSON.valueToTree(proofs.evidence(r.id()).orElseThrow().toJson());
            ev.set("expect", ev.get("receipt").deepCopy());
            receipts.add(ev);
        }
        f.putArray("blocks").addObject().put("hash", b.hash().toHex()).put("header", Hex.encode(HeaderCodec.encode(b.header())));
        return f;
    }

    @Test
    void theIndependentVerifierAcceptsSettledReceiptsAndRejectsTampering(@TempDir Path dir) throws Exception {
        ObjectNode good = fixture();
        Outcome o = verify(dir, good);
        assertThat(o.exit()).as(o.output()).isZero();
        assertThat(o.output()).contains("3 receipts");

        assertRejected(dir, good, ev -> ev.put("signature", flip(ev.get("signature").asText(), 0)), "signature does not verify");
        assertRejected(dir, good, ev -> {
            ev.remove("id");
            ev.put("encoded", flip(ev.get("encoded").asText(), 100));
        }, "receipt[0]");
        assertRejected(dir, good, ev -> ev.put("id", flip(ev.get("id").asText(), 1)), "id is not H(encoded)");
        assertRejected(dir, good, ev -> ((ObjectNode) ev.get("expect")).put("fee", 8), "field 'fee'");
        assertRejected(dir, good, ev -> ((ObjectNode) ev.get("batch").get("proof")).put("leafIndex", 0), "does not place receipt");
        assertRejected(dir, good, ev -> ((ObjectNode) ev.get("batch")).put("receiptsRoot", flip(ev.get("batch").get("receiptsRoot").asText(), 2)),
                "not proven in the batch root");
        assertRejected(dir, good, ev -> ((ObjectNode) ev.get("settlement")).put("tx", flip(ev.get("settlement").get("tx").asText(), 70)),
                "receipt[0]");
        assertRejected(dir, good, ev -> ((ObjectNode) ev.get("settlement")).put("header", flip(ev.get("settlement").get("header").asText(), 20)),
                "receipt[0]");
        assertRejected(dir, good, ev -> ((ObjectNode) ev.get("settlement").get("txProof")).put("leafIndex", 1), "not proven at index");
        assertRejected(dir, good, ev -> ev.remove("settlement"), "no settlement");
    }

    @Test
    void oneEvidenceFileVerifiesOnItsOwn(@TempDir Path dir) throws Exception {
        JsonNode ev = fixture().get("receipts").get(0);
        Path file = dir.resolve("receipt.json");
        Files.writeString(file, ev.toString());
        Outcome ok = run(file, "--receipt");
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("receipt verified");
        ObjectNode bad = ev.deepCopy();
        ((ObjectNode) bad.get("batch").get("proof")).put("treeSize", 99);
        Files.writeString(file, bad.toString());
        assertThat(run(file, "--receipt").exit()).isEqualTo(1);
    }

    static Outcome verify(Path dir, JsonNode fixture) throws Exception {
        Path file = dir.resolve("fixture.json");
        Files.writeString(file, JSON.writeValueAsString(fixture));
        return run(file);
    }

    static void assertRejected(Path dir, ObjectNode good, Consumer<ObjectNode> edit, String expected) throws Exception {
        ObjectNode copy = good.deepCopy();
        edit.accept((ObjectNode) copy.get("receipts").get(0));
        Outcome o = verify(dir, copy);
        assertThat(o.exit()).as(o.output()).isEqualTo(1);
        assertThat(o.output()).contains(expected);
    }

    static String flip(String hex, int index) {
        byte[] b = Hex.decode(hex);
        b[index % b.length] ^= 0x01;
        return Hex.encode(b);
    }
}
