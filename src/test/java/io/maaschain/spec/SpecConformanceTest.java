package io.maaschain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.maaschain.api.Views;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.GenesisBlock;
import io.maaschain.chain.ImportResult;
import io.maaschain.chain.StateCommitment;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.PowSeal;
import io.maaschain.ledger.block.Seal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.merkle.InclusionProof;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.state.Account;
import io.maaschain.state.ModelName;
import io.maaschain.state.ModelVersion;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateKeys;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import io.maaschain.state.smt.SmtProof;
import io.maaschain.state.smt.SparseMerkleTree;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows that docs/spec.md is enough to check maaschain's data without its code: real transactions, headers and
 * proofs made by the Java implementation are handed to tools/spec_verifier.py, an independent verifier written
 * from the specification alone (Python standard library only), which must accept them and reject each tampered
 * variant. Also checks that the worked example in the specification is what the code produces.
 *
 * <p>Run with {@code -Dspec.printExample=true} to print the worked example for docs/spec.md, and with
 * {@code -Dspec.fixtureOut=FILE} to keep the fixture (e.g. to run the verifier by hand).
 */
class SpecConformanceTest {
    static final Path VERIFIER = Path.of("tools", "spec_verifier.py");
    static final Path SPEC = Path.of("docs", "spec.md");
    static final ObjectMapper JSON = new ObjectMapper();

    static final KeyPair ALICE = Fixtures.key(1);
    static final KeyPair BOB = Fixtures.key(2);
    static final KeyPair MINER = Fixtures.key(3);
    static final Address NOBODY = Fixtures.key(99).address();

    static final String GENESIS_JSON = """
            {
              "chainId": 1337,
              "timestamp": 1700000000000,
              "minTxFee": 1,
              "maxBlockTransactions": 1000,
              "maxBlockBytes": 1048576,
              "consensus": {"kind": "pow", "powLimitBits": "0x207fffff", "initialBits": "0x207fffff",
                            "targetBlockTimeMillis": 1000, "retargetInterval": 10, "noRetargeting": false,
                            "blockReward": 1000},
              "alloc": {"%s": "1000000", "%s": 0}
            }
            """.formatted(ALICE.address(), Fixtures.key(5).address());

    /** Everything the fixture is made from, built once with the Java implementation. */
    record Chain(Genesis genesisFile, Header genesis, Map<Bytes, byte[]> genesisState, SparseMerkleTree genesisTree,
                 Block block, Map<Bytes, byte[]> state, SparseMerkleTree tree) {}

    static Chain chain;

    @BeforeAll
    static void buildChain() throws Rejection {
        chain = build();
    }

    /**
     * Genesis from the genesis file as every node derives it; block 1 executed with the state transition and
     * committed with StateCommitment, then sealed by trying nonces. Finally a node imports the block, which
     * shows the fixture's block is valid by every rule, and serves the same state proofs.
     */
    static Chain build() throws Rejection {
        Genesis genesisFile = GenesisParser.parse(GENESIS_JSON);
        ConsensusEngine engine = ConsensusFactory.create(genesisFile);
        GenesisBlock g = GenesisBlock.of(genesisFile, engine);
        Header genesis = g.block().header();
        Map<Bytes, byte[]> genesisState = new TreeMap<>(g.state());

        RegisterModel base = new RegisterModel("llama-mini", "1.0.0", Fixtures.digest("llama-mini weights"), 4_000_000_000L,
                "safetensors", "apache-2.0", 25, List.of(), List.of());
        RegisterModel tuned = new RegisterModel("llama-mini-chat", "0.1.0+rc1", Fixtures.digest("chat weights"), 4_100_000_000L,
                "gguf", "CC-BY-4.0 — attribution", 40, List.of(base.artifactDigest()),
                List.of(Fixtures.digest("dataset A"), Fixtures.digest("dataset B")));
        List<Transaction> txs = List.of(
                workedExampleTransfer(),
                new UnsignedTransaction(Fixtures.CHAIN_ID, ALICE.publicKey(), 1, 3, base).sign(ALICE),
                Fixtures.transfer(BOB, MINER.address(), 1_234, 0, 2),
                new UnsignedTransaction(Fixtures.CHAIN_ID, BOB.publicKey(), 1, 7, tuned).sign(BOB),
                Fixtures.transfer(ALICE, BOB.address(), 1, 2, 1));

        long time = genesis.timestampMillis() + 1_000;
        Seal template = engine.templateSeal(height -> genesis, 1);
        Header unsealed = new Header(1, genesis.hash(), time, MerkleTree.root(txs.stream().map(Transaction::hash).toList()),
                Hash.ZERO, MINER.address(), txs.size(), template);
        Map<Bytes, byte[]> flat = new HashMap<>(genesisState);
        WorldState state = new WorldState(flat::get).child();
        new StateTransition(genesisFile.params())
                .applyBlock(state, new Block(unsealed, txs), engine.blockReward(1), SignatureCheck.VERIFY);
        SparseMerkleTree tree = StateCommitment.apply(g.stateTree(), state.writes());
        state.writes().forEach((k, v) -> {
            if (v == null) flat.remove(k);
            else flat.put(k, v);
        });
        Header header = seal(new Header(1, genesis.hash(), time, unsealed.txRoot(), tree.root(), MINER.address(),
                txs.size(), template));
        Chain c = new Chain(genesisFile, genesis, genesisState, g.stateTree(), new Block(header, txs), new TreeMap<>(flat), tree);

        try (Blockchain node = Blockchain.open(new InMemoryStore(), genesisFile, engine, SignatureCheck.VERIFY)) {
            assertThat(node.genesisHash()).isEqualTo(genesis.hash());
            assertThat(node.importBlock(c.block(), time)).isEqualTo(ImportResult.EXTENDED_HEAD);
            for (Bytes key : c.state().keySet()) {
                Blockchain.ProvenValue pv = node.prove(key);
                assertThat(pv.value()).isEqualTo(c.state().get(key));
                assertThat(pv.proof()).isEqualTo(tree.prove(StateCommitment.treeKey(key)));
            }
        }
        return c;
    }

    /** The transfer of the specification's worked example: deterministic key, fields and (RFC 8032) signature. */
    static Transaction workedExampleTransfer() {
        return new UnsignedTransaction(Fixtures.CHAIN_ID, ALICE.publicKey(), 0, 10, new Transfer(BOB.address(), 250_000))
                .sign(ALICE);
    }

    /**
     * Tries nonces 0, 1, 2, ... until SHA-256d of the header, read big-endian, is at most the target of its bits.
     * The target is decoded here from the compact form directly (bits 0x207fffff: 0x7fffff shifted left by
     * 8 * (0x20 - 3) bits), independently of the engine, which checks the result when the block is imported.
     */
    static Header seal(Header h) {
        int bits = ((PowSeal) h.seal()).bits();
        BigInteger target = BigInteger.valueOf(bits & 0x007fffff).shiftLeft(8 * ((bits >>> 24) - 3));
        for (long nonce = 0; ; nonce++) {
            Header candidate = h.withSeal(new PowSeal(bits, nonce));
            if (new BigInteger(1, candidate.hash().toBytes()).compareTo(target) <= 0) return candidate;
        }
    }

    /**
     * Ed25519 inputs on which verifiers disagree, with the verdict of the code (BouncyCastle 1.80), which
     * docs/spec.md ("Keys and signatures") states as rules. Message: ASCII "maaschain". Made with the RFC 8032
     * section 6 reference arithmetic; "cofactorless" is that illustration's verify().
     */
    record SignatureVector(String note, String publicKey, String signature, boolean valid) {}

    static final List<SignatureVector> SIGNATURE_VECTORS = List.of(
            new SignatureVector("honest signature",
                    "d27e5ea494a82b13b6c68b6be2a7f50711663d854cd20e9b62218c353c25136c",
                    "a10b71e80f81c48cb25db4575a0555e55074851d7d279cfcf33bc49ff5858a9e"
                            + "a22acd036843a6babd608026028594d04653d3634a14b1772735c35f68b1bf00", true),
            new SignatureVector("S + L instead of S",
                    "d27e5ea494a82b13b6c68b6be2a7f50711663d854cd20e9b62218c353c25136c",
                    "a10b71e80f81c48cb25db4575a0555e55074851d7d279cfcf33bc49ff5858a9e"
                            + "8ffec26082a6b81294fd77c9e07e73e54653d3634a14b1772735c35f68b1bf10", false),
            new SignatureVector("mixed-order R: valid only under the cofactored equation",
                    "d27e5ea494a82b13b6c68b6be2a7f50711663d854cd20e9b62218c353c25136c",
                    "5be6ee1c96aaac1473ab6438be2197d985824533a795f1d46591c768e649639d"
                            + "dcd4f57d771d6374d118c2e64f1bf8faaa693088cf19c51dd1a0ce4de80fcf01", true),
            new SignatureVector("mixed-order public key: valid only under the cofactored equation",
                    "74cf0a1a236e33432cbc801bb40cc939433b04587064c5c69595d2732cb27f89",
                    "1364bb95fb08240f30ef8348ad14c15979f5f4c3c5454cb14a87072a4d566e84"
                            + "483bae13c8e30afe30a026eaa99d1c985b11ffd042527f43da58a3250bb12203", true),
            new SignatureVector("small-order public key (the neutral element), R neutral, S = 0: cofactorless accepts",
                    "0100000000000000000000000000000000000000000000000000000000000000",
                    "0100000000000000000000000000000000000000000000000000000000000000"
                            + "0000000000000000000000000000000000000000000000000000000000000000", false),
            new SignatureVector("R the neutral element, canonical, S = k a",
                    "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
                    "0100000000000000000000000000000000000000000000000000000000000000"
                            + "f9a1c32e1038204833ec13813c56a9583e0b7786a255409eec644d48637a6f0e", true),
            new SignatureVector("R the neutral element encoded with y = p + 1 (non-canonical), S = k a",
                    "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
                    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
                            + "c8a31f1b038a52c875123898a3ecaeb33ab174bb5327c0f9a435b39367d32d09", false),
            new SignatureVector("R = (0, -1) encoded with x = 0 and the sign bit set (non-canonical), S = k a",
                    "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
                    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                            + "d7e4bf87c83fc173a228263435853f1683947612111ec00a74055d8dad241c05", false));

    static final byte[] VECTOR_MESSAGE = "maaschain".getBytes(StandardCharsets.US_ASCII);

    @Test
    void ed25519EdgeCasesAreDecidedAsTheSpecificationSays() {
        for (SignatureVector v : SIGNATURE_VECTORS) {
            assertThat(PublicKey.fromHex(v.publicKey()).verify(VECTOR_MESSAGE, Signature.fromHex(v.signature())))
                    .as(v.note()).isEqualTo(v.valid());
        }
    }

    // ---- the fixture ----

    static ObjectNode fixture(Chain c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "maaschain-spec-fixture/1");
        ObjectNode genesis = root.putObject("genesis");
        genesis.put("json", c.genesisFile().canonicalJson());
        genesis.put("hash", c.genesis().hash().toHex());
        ArrayNode signatures = root.putArray("signatures");
        for (SignatureVector v : SIGNATURE_VECTORS) {
            signatures.addObject().put("note", v.note()).put("publicKey", v.publicKey())
                    .put("message", Hex.encode(VECTOR_MESSAGE)).put("signature", v.signature()).put("valid", v.valid());
        }
        ArrayNode txs = root.putArray("transactions");
        for (Transaction tx : c.block().transactions()) {
            ObjectNode t = txs.addObject();
            t.put("hash", tx.hash().toHex());
            t.put("encoded", Hex.encode(tx.encoded()));
            ObjectNode expect = JSON.valueToTree(Views.transaction(tx));
            expect.remove(List.of("hash", "encoded"));
            t.set("expect", expect);
        }
        ArrayNode blocks = root.putArray("blocks");
        blocks.add(block(new Block(c.genesis(), List.of())));
        blocks.add(block(c.block()));

        ArrayNode inclusion = root.putArray("txInclusionProofs");
        List<Hash> hashes = c.block().transactions().stream().map(Transaction::hash).toList();
        for (int i = 0; i < hashes.size(); i++) {
            InclusionProof p = MerkleTree.prove(hashes, i);
            assertThat(p.verify(hashes.get(i), c.block().header().txRoot())).isTrue();
            ObjectNode o = JSON.valueToTree(Views.inclusionProof(p, c.block().header().txRoot()));
            o.put("blockHash", c.block().hash().toHex());
            o.put("txHash", hashes.get(i).toHex());
            inclusion.add(o);
        }

        ArrayNode proofs = root.putArray("stateProofs");
        proofs.add(stateProof(c.genesis(), c.genesisTree(), c.genesisState(), StateKeys.account(ALICE.address())));
        proofs.add(stateProof(c.genesis(), c.genesisTree(), c.genesisState(), StateKeys.account(BOB.address())));
        proofs.add(stateProof(c.genesis(), c.genesisTree(), c.genesisState(), StateKeys.account(Fixtures.key(5).address())));
        for (Bytes key : c.state().keySet()) proofs.add(stateProof(c.block().header(), c.tree(), c.state(), key));
        proofs.add(stateProof(c.block().header(), c.tree(), c.state(), StateKeys.account(NOBODY)));
        proofs.add(stateProof(c.block().header(), c.tree(), c.state(), StateKeys.modelName("no-such-model")));
        proofs.add(stateProof(c.block().header(), c.tree(), c.state(), StateKeys.modelVersion("llama-mini", "2.0")));

        ArrayNode states = root.putArray("states");
        states.add(stateDump(c.genesis(), c.genesisState()));
        states.add(stateDump(c.block().header(), c.state()));
        return root;
    }

    static ObjectNode block(Block b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("hash", b.hash().toHex());
        o.put("header", Hex.encode(HeaderCodec.encode(b.header())));
        o.put("encoded", Hex.encode(BlockCodec.encode(b)));
        ObjectNode expect = JSON.valueToTree(Views.header(b.header()));
        expect.remove(List.of("hash", "encoded", "seal"));
        PowSeal seal = (PowSeal) b.header().seal();
        expect.put("bits", String.format("0x%08x", seal.bits()));
        expect.put("nonce", Long.toUnsignedString(seal.nonce()));
        o.set("expect", expect);
        return o;
    }

    static ObjectNode stateProof(Header h, SparseMerkleTree tree, Map<Bytes, byte[]> state, Bytes key) {
        Hash treeKey = StateCommitment.treeKey(key);
        SmtProof proof = tree.prove(treeKey);
        byte[] value = state.get(key);
        if (value == null) {
            assertThat(proof.verifyNonInclusion(h.stateRoot(), treeKey)).isTrue();
        } else {
            assertThat(proof.verifyInclusion(h.stateRoot(), treeKey, StateCommitment.valueHash(value))).isTrue();
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("blockHash", h.hash().toHex());
        o.put("stateKey", Hex.encode(key.unsafeArray()));
        o.put("treeKey", treeKey.toHex());
        if (value == null) o.putNull("value");
        else o.put("value", Hex.encode(value));
        ArrayNode siblings = o.putArray("siblings");
        proof.siblings().forEach(s -> siblings.add(s.toHex()));
        if (proof.terminalLeaf().isEmpty()) {
            o.putNull("terminalLeaf");
        } else {
            ObjectNode leaf = o.putObject("terminalLeaf");
            leaf.put("key", proof.terminalLeaf().get().key().toHex());
            leaf.put("valueHash", proof.terminalLeaf().get().valueHash().toHex());
        }
        o.put("encoded", Hex.encode(proof.encode()));
        if (value != null) o.set("expect", decodedValue(key, value));
        return o;
    }

    /** What the value decodes to with the Java decoders, in the verifier's field names. */
    static JsonNode decodedValue(Bytes key, byte[] value) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (key.unsafeArray()[0]) {
            case StateKeys.ACCOUNT -> {
                Account a = Account.decode(value);
                m.put("balance", a.balance());
                m.put("nonce", a.nonce());
            }
            case StateKeys.MODEL_VERSION -> m.putAll(Views.modelVersion(ModelVersion.decode(value)));
            case StateKeys.MODEL_NAME -> {
                ModelName n = ModelName.decode(value);
                m.put("owner", n.owner().toString());
                m.put("latestVersion", n.latestVersion());
                m.put("versionCount", n.versionCount());
            }
            default -> throw new AssertionError("unknown state key type");
        }
        return JSON.valueToTree(m);
    }

    static ObjectNode stateDump(Header h, Map<Bytes, byte[]> state) {
        ObjectNode o = JSON.createObjectNode();
        o.put("blockHash", h.hash().toHex());
        ArrayNode entries = o.putArray("entries");
        state.forEach((k, v) -> entries.addObject().put("key", Hex.encode(k.unsafeArray())).put("value", Hex.encode(v)));
        return o;
    }

    // ---- running the verifier ----

    record Outcome(int exitCode, String output) {}

    static String python;

    @BeforeAll
    static void findPython() {
        for (String candidate : List.of("python3", "python")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import sys; sys.exit(0 if sys.version_info >= (3, 6) else 1)")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    return;
                }
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
    }

    static Outcome verify(Path dir, String name, JsonNode fixture) throws Exception {
        Assumptions.assumeTrue(python != null, "python3 not installed: the independent verifier was not run");
        Path file = dir.resolve(name);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fixture));
        Process p = new ProcessBuilder(python, VERIFIER.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the verifier did not finish within 120 s");
        }
        return new Outcome(p.exitValue(), out);
    }

    @Test
    void independentVerifierAcceptsWhatTheCodeProduces(@TempDir Path dir) throws Exception {
        ObjectNode f = fixture(chain);
        String out = System.getProperty("spec.fixtureOut");
        if (out != null) Files.writeString(Path.of(out), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(f));
        Outcome o = verify(dir, "fixture.json", f);
        assertThat(o.exitCode()).as(o.output()).isZero();
        assertThat(o.output()).contains("all").contains("checks passed")
                .contains("genesis, 8 signatures, 5 transactions, 2 blocks, 5 txInclusionProofs");
    }

    @Test
    void independentVerifierRejectsEachKindOfTampering(@TempDir Path dir) throws Exception {
        record Tampering(String what, String expected, Consumer<ObjectNode> change) {}
        List<Tampering> tamperings = List.of(
                new Tampering("tx signature", "Ed25519 signature does not verify",
                        f -> flipHexByte((ObjectNode) f.get("transactions").get(0), "encoded", -1)),
                new Tampering("tx field", "Ed25519 signature does not verify",
                        // Last byte of the nonce (offset 42 + 7).
                        f -> flipHexByte((ObjectNode) f.get("transactions").get(0), "encoded", 49)),
                new Tampering("tx hash", "SHA-256 of the encoding is",
                        f -> flipHexByte((ObjectNode) f.get("transactions").get(2), "hash", 0)),
                new Tampering("header field", "SHA-256d of the header is",
                        // Last byte of the timestamp (offset 41 + 7).
                        f -> flipHexByte((ObjectNode) f.get("blocks").get(1), "header", 48)),
                new Tampering("header nonce", "SHA-256d of the header is",
                        f -> flipHexByte((ObjectNode) f.get("blocks").get(1), "header", 149)),
                new Tampering("tx proof sibling", "is not proven at index",
                        f -> flipHexByte((ArrayNode) f.get("txInclusionProofs").get(3).get("path"), 0, 5)),
                new Tampering("tx proof index", "is not proven at index",
                        f -> ((ObjectNode) f.get("txInclusionProofs").get(1)).put("leafIndex", 2)),
                new Tampering("state proof sibling", "value is not proven against stateRoot", f -> {
                    // The list and the encoding alike, so that what fails is the fold up to the state root.
                    ObjectNode p = (ObjectNode) f.get("stateProofs").get(4);
                    flipHexByte((ArrayNode) p.get("siblings"), 0, 31);
                    flipHexByte(p, "encoded", 2 + 31);
                }),
                new Tampering("state value", "value is not proven against stateRoot",
                        f -> flipHexByte((ObjectNode) f.get("stateProofs").get(3), "value", 7)),
                new Tampering("state absence", "absence is not proven",
                        f -> ((ObjectNode) f.get("stateProofs").get(3)).putNull("value")),
                new Tampering("genesis file", "the genesis file gives genesis hash",
                        f -> ((ObjectNode) f.get("genesis")).put("json", f.get("genesis").get("json").asText()
                                .replace("\"1000000\"", "\"1000001\""))),
                new Tampering("signature verdict", "Ed25519 verification says",
                        f -> ((ObjectNode) f.get("signatures").get(2)).put("valid", false)),
                new Tampering("state dump", "entries give state root",
                        f -> flipHexByte((ObjectNode) f.get("states").get(1).get("entries").get(0), "value", 3)));

        for (Tampering t : tamperings) {
            ObjectNode f = fixture(chain);
            t.change().accept(f);
            Outcome o = verify(dir, t.what().replace(' ', '-') + ".json", f);
            assertThat(o.exitCode()).as("tampered %s must be rejected; verifier said:%n%s", t.what(), o.output()).isEqualTo(1);
            assertThat(o.output()).as("tampered %s", t.what()).contains("FAIL: ").contains(t.expected());
        }
    }

    static void flipHexByte(ObjectNode o, String field, int index) {
        o.set(field, TextNode.valueOf(flip(o.get(field).asText(), index)));
    }

    static void flipHexByte(ArrayNode a, int element, int index) {
        a.set(element, TextNode.valueOf(flip(a.get(element).asText(), index)));
    }

    /** Flips the low bit of byte {@code index} of a hex string; negative indexes count from the end. */
    static String flip(String hex, int index) {
        byte[] b = Hex.decode(hex);
        int i = index < 0 ? b.length + index : index;
        b[i] ^= 1;
        return Hex.encode(b);
    }

    // ---- the worked example of docs/spec.md ----

    @Test
    void workedExampleInTheSpecificationIsWhatTheCodeProduces() throws IOException {
        String example = workedExample(chain);
        if (Boolean.getBoolean("spec.printExample")) System.out.println(example);
        String spec = Files.readString(SPEC).replaceAll("\\s+", "");
        List<String> missing = exampleValues(chain).stream().filter(v -> !spec.contains(v)).toList();
        assertThat(missing).as("values of the worked example that docs/spec.md does not show; "
                + "run with -Dspec.printExample=true and update the section").isEmpty();
    }

    /** The hex strings the worked example must contain; the spec may wrap long ones over several lines. */
    static List<String> exampleValues(Chain c) {
        Transaction tx = c.block().transactions().getFirst();
        Header h = c.block().header();
        List<String> v = new ArrayList<>();
        v.add(Hex.encode(ALICE.seed()));
        v.add(ALICE.publicKey().toHex());
        v.add(ALICE.address().toString());
        v.add(BOB.address().toString());
        v.add(Hex.encode(tx.encoded()));
        v.add(tx.signature().toHex());
        v.add(tx.hash().toHex());
        v.add(Hex.encode(HeaderCodec.encode(h)));
        v.add(Sha256.hash(HeaderCodec.encode(h)).toHex());
        v.add(h.hash().toHex());
        v.add(h.txRoot().toHex());
        v.add(h.stateRoot().toHex());
        v.add(Hex.encode(HeaderCodec.encode(c.genesis())));
        v.add(c.genesis().hash().toHex());
        return v;
    }

    /** The "Worked example" section of docs/spec.md, in Markdown, from the objects the code builds. */
    static String workedExample(Chain c) {
        Transaction tx = c.block().transactions().getFirst();
        byte[] enc = tx.encoded();
        Header h = c.block().header();
        byte[] he = HeaderCodec.encode(h);
        StringBuilder s = new StringBuilder();
        s.append("""
                Produced by `SpecConformanceTest` (`./mvnw -q -o test -Dtest=SpecConformanceTest -Dspec.printExample=true`),
                which fails if a value below no longer matches the code. Keys are the test fixtures' deterministic keys:
                seed = SHA-256 of the ASCII text `test key 1`, `test key 2`, `test key 3`. Long hex values are wrapped
                at 32 bytes per line.

                ### Keys and addresses

                ```
                """);
        s.append("sender seed      ").append(Hex.encode(ALICE.seed())).append('\n');
        s.append("sender key       ").append(ALICE.publicKey().toHex()).append('\n');
        s.append("H(sender key)    ").append(Sha256.hash(ALICE.publicKey().toBytes()).toHex()).append('\n');
        s.append("sender address   ").append(ALICE.address()).append("   (last 20 bytes of the line above)\n");
        s.append("recipient        ").append(BOB.address()).append('\n');
        s.append("proposer         ").append(MINER.address()).append('\n');
        s.append("```\n\n### A signed transfer\n\n");
        s.append("250000 units from the sender to the recipient, fee 10, nonce 0, chain 1337:\n\n");
        s.append("| offset | size | field | bytes |\n|---|---|---|---|\n");
        int[][] txFields = {{0, 1}, {1, 8}, {9, 1}, {10, 32}, {42, 8}, {50, 8}, {58, 20}, {78, 8}, {86, 64}};
        String[] txNames = {"format version", "chain id (1337)", "kind (Transfer)", "sender key", "nonce (0)",
                "fee (10)", "to", "amount (250000)", "signature"};
        for (int i = 0; i < txFields.length; i++) row(s, txFields[i][0], txFields[i][1], txNames[i], enc);
        s.append("\n```\nsigned message  = 6d616173636861696e2f74782f763100 || bytes 0..86 (16 + 86 = 102 bytes)\n");
        s.append("signature       = Ed25519-Sign(sender seed, signed message) =\n").append(wrap(tx.signature().toHex(), "                  "));
        s.append("encoding (150 bytes) =\n").append(wrap(Hex.encode(enc), "                  "));
        s.append("tx hash = H(encoding) =\n").append(wrap(tx.hash().toHex(), "                  ")).append("```\n\n");

        s.append("### A block header\n\nBlock 1 holds ").append(c.block().transactions().size())
                .append(" transactions (the transfer above, a RegisterModel, a transfer from the recipient,\n")
                .append("a second RegisterModel with lineage, and a small transfer); hashes in block order:\n\n```\n");
        for (Transaction t : c.block().transactions()) s.append(t.hash()).append('\n');
        s.append("```\n\n| offset | size | field | bytes |\n|---|---|---|---|\n");
        int[][] hFields = {{0, 1}, {1, 8}, {9, 32}, {41, 8}, {49, 32}, {81, 32}, {113, 20}, {133, 4}, {137, 1}, {138, 4}, {142, 8}};
        String[] hNames = {"format version", "height (1)", "parent hash (genesis)", "timestamp (" + h.timestampMillis() + ")",
                "tx root", "state root", "proposer", "tx count (" + h.txCount() + ")", "seal kind (PoW)", "bits",
                "nonce (" + Long.toUnsignedString(((PowSeal) h.seal()).nonce()) + ")"};
        for (int i = 0; i < hFields.length; i++) row(s, hFields[i][0], hFields[i][1], hNames[i], he);
        BigInteger target = BigInteger.valueOf(0x7fffff).shiftLeft(8 * (0x20 - 3));
        s.append("\n```\nheader encoding (150 bytes) =\n").append(wrap(Hex.encode(he), "    "));
        s.append("H(header)  = ").append(Sha256.hash(he).toHex()).append('\n');
        s.append("block hash = H(H(header)) = ").append(h.hash().toHex()).append('\n');
        s.append("target of bits 0x207fffff = ").append(String.format("%064x", target)).append('\n');
        s.append("block hash <= target (big-endian): ")
                .append(new BigInteger(1, h.hash().toBytes()).compareTo(target) <= 0).append("\n```\n\n");

        List<Hash> hashes = c.block().transactions().stream().map(Transaction::hash).toList();
        InclusionProof p = MerkleTree.prove(hashes, 0);
        s.append("### A transaction inclusion proof\n\nThe transfer is leaf 0 of 5. Its audit path, leaf upwards, ")
                .append("is the root of leaf 1,\nthe root of leaves 2..3, and the leaf hash of leaf 4:\n\n```\n");
        s.append("leaf   = H(00 || tx hash) = ").append(MerkleTree.leafHash(hashes.get(0))).append('\n');
        for (int i = 0; i < p.path().size(); i++) s.append("path[").append(i).append("] = ").append(p.path().get(i)).append('\n');
        s.append("fold: H(01 || leaf || path[0]), then H(01 || that || path[1]) = root of leaves 0..3,\n")
                .append("      then H(01 || that || path[2]) = tx root ").append(h.txRoot()).append("\n```\n\n");

        Bytes key = StateKeys.account(ALICE.address());
        SmtProof sp = c.tree().prove(StateCommitment.treeKey(key));
        byte[] value = c.state().get(key);
        s.append("### A state proof\n\nThe sender's account after block 1 (balance ")
                .append(Account.decode(value).balance()).append(", nonce ").append(Account.decode(value).nonce())
                .append("), proven against the header's state root:\n\n```\n");
        s.append("state key  = ").append(Hex.encode(key.unsafeArray())).append("          (01 || address)\n");
        s.append("tree key   = H(state key)  = ").append(StateCommitment.treeKey(key)).append('\n');
        s.append("value      = ").append(Hex.encode(value)).append("    (balance u63 || nonce u63)\n");
        s.append("value hash = H(value)      = ").append(StateCommitment.valueHash(value)).append('\n');
        s.append("leaf       = H(00 || tree key || value hash) = ")
                .append(Sha256.tagged(0, StateCommitment.treeKey(key).toBytes(), StateCommitment.valueHash(value).toBytes())).append('\n');
        for (int i = 0; i < sp.siblings().size(); i++) {
            s.append("siblings[").append(i).append("] = ").append(sp.siblings().get(i)).append("   (key bit ").append(i)
                    .append(" = ").append(StateCommitment.treeKey(key).bit(i)).append(")\n");
        }
        s.append("proof encoding =\n").append(wrap(Hex.encode(sp.encode()), "    "));
        s.append("folds to the state root ").append(h.stateRoot()).append("\n```\n\n");

        s.append("### The whole state after block 1\n\nKeys and values in key order (the state root above is the ")
                .append("sparse Merkle tree over H(key), H(value) of these ").append(c.state().size()).append(" entries):\n\n```\n");
        c.state().forEach((k, v) -> s.append(Hex.encode(k.unsafeArray())).append('\n').append(wrap(Hex.encode(v), "  -> ")));
        s.append("```\n\n### The genesis block\n\nThe genesis file of the example (its alloc gives a second address ")
                .append("balance 0, which is still a present entry):\n\n```json\n").append(c.genesisFile().canonicalJson().strip())
                .append("\n```\n\nderives the state root `").append(c.genesis().stateRoot()).append("` (two accounts), the header\n\n```\n")
                .append(wrap(Hex.encode(HeaderCodec.encode(c.genesis())), "")).append("```\n\nand the genesis hash `")
                .append(c.genesis().hash()).append("`,\nthe parent hash of block 1. Its nonce is 0: genesis is not mined.\n");
        return s.toString();
    }

    private static void row(StringBuilder s, int offset, int size, String name, byte[] bytes) {
        s.append("| ").append(offset).append(" | ").append(size).append(" | ").append(name).append(" | `")
                .append(Hex.encode(java.util.Arrays.copyOfRange(bytes, offset, offset + size))).append("` |\n");
    }

    /** Hex wrapped at 64 digits (32 bytes) per line, each line prefixed. */
    private static String wrap(String hex, String prefix) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 64) {
            s.append(i == 0 ? prefix : " ".repeat(prefix.length())).append(hex, i, Math.min(hex.length(), i + 64)).append('\n');
        }
        return s.toString();
    }
}
