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
import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.Signature;
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
import io.maaschain.ledger.tx.AllowSpendingKey;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.Deprecate;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.NewVersion;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.RevokeAccess;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.tx.UpdatePermissions;
import io.maaschain.ledger.tx.Withdraw;
import io.maaschain.state.Account;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.ModelName;
import io.maaschain.state.ModelVersion;
import io.maaschain.state.Permissions;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateKeys;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import io.maaschain.state.smt.SmtProof;
import io.maaschain.state.smt.SparseMerkleTree;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.Prerequisite;
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
    static final KeyPair CAROL = Fixtures.key(4);
    static final KeyPair NODE_A = Fixtures.key(20);
    static final KeyPair NODE_B = Fixtures.key(21);
    static final KeyPair NODE_C = Fixtures.key(22);

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

    /** A permissioned chain's genesis: the same rules, plus the initial members. */
    static final String PERMISSIONED_GENESIS_JSON = """
            {
              "chainId": 1337,
              "timestamp": 1700000000000,
              "consensus": {"kind": "pow", "powLimitBits": "0x207fffff", "initialBits": "0x207fffff",
                            "targetBlockTimeMillis": 1000, "retargetInterval": 10, "blockReward": 1000},
              "permissioned": {"admins": ["%s"], "accounts": ["%s"], "nodes": ["%s", "%s"]},
              "alloc": {"%s": "1000000"}
            }
            """.formatted(ALICE.address(), BOB.address(), NODE_A.publicKey().toHex(), NODE_B.publicKey().toHex(), ALICE.address());

    /** A block (or the genesis block) and the complete state after executing it. */
    record Executed(Block block, Map<Bytes, byte[]> state, SparseMerkleTree tree) {
        Header header() {
            return block.header();
        }
    }

    /** One chain built with the Java implementation: steps.get(0) is genesis, steps.get(h) the block at height h. */
    record Chain(Genesis genesisFile, List<Executed> steps) {
        Header genesis() {
            return steps.getFirst().header();
        }

        Map<Bytes, byte[]> genesisState() {
            return steps.getFirst().state();
        }

        SparseMerkleTree genesisTree() {
            return steps.getFirst().tree();
        }

        /** Block 1, the block of the worked example. */
        Block block() {
            return steps.get(1).block();
        }

        Map<Bytes, byte[]> state() {
            return steps.get(1).state();
        }

        SparseMerkleTree tree() {
            return steps.get(1).tree();
        }

        Executed at(int height) {
            return steps.get(height);
        }
    }

    /** The open chain of the worked example (blocks 1 and 2) and a permissioned chain (block 1). */
    static Chain chain;
    static Chain permissioned;

    @BeforeAll
    static void buildChains() throws Rejection {
        chain = build();
        permissioned = buildPermissioned();
    }

    static final RegisterModel BASE = new RegisterModel("llama-mini", "1.0.0", Fixtures.digest("llama-mini weights"), 4_000_000_000L,
            "safetensors", "apache-2.0", 25, List.of(), List.of());
    static final RegisterModel TUNED = new RegisterModel("llama-mini-chat", "0.1.0+rc1", Fixtures.digest("chat weights"), 4_100_000_000L,
            "gguf", "CC-BY-4.0 — attribution", 40, List.of(BASE.artifactDigest()),
            List.of(Fixtures.digest("dataset A"), Fixtures.digest("dataset B")));
    static final RegisterModel NEXT = new RegisterModel("llama-mini", "1.1.0", Fixtures.digest("llama-mini weights v1.1"), 4_000_100_000L,
            "safetensors", "apache-2.0", 30, List.of(BASE.artifactDigest()), List.of());
    /** The hashes of the four receipts block 2's batch settles; the chain records only their Merkle root. */
    static final List<Hash> RECEIPTS = List.of(Fixtures.digest("receipt 0"), Fixtures.digest("receipt 1"),
            Fixtures.digest("receipt 2"), Fixtures.digest("receipt 3"));
    static final ReceiptBatch BATCH = new ReceiptBatch(0, 3, MerkleTree.root(RECEIPTS), List.of(
            new ReceiptBatch.Charge(BOB.address(), "llama-mini", "1.1.0", 2),
            new ReceiptBatch.Charge(ALICE.address(), "llama-mini", "1.1.0", 2)),
            List.of(authorisation(BOB, 70, "receipt 1"), authorisation(ALICE, 70, "receipt 3")));
    /** The SHA-256 of an API key the recipient allows to spend its channel with the proposer. */
    static final Hash API_KEY_HASH = Fixtures.digest("mck_example");

    /** A caller's authorisation on its channel with the proposer (the example's host), bound to a request digest. */
    static PaymentAuthorisation authorisation(KeyPair caller, long authorised, String request) {
        return PaymentAuthorisation.sign(caller, PaymentAuthorisation.channelId(Fixtures.CHAIN_ID, caller.address(), MINER.address()),
                authorised, Fixtures.digest(request));
    }

    /**
     * The host's second batch, sent after it announced a price raise: it still settles at the price in force, and
     * bills a caller that holds no escrow for this host (paid 0, nothing written).
     */
    static final ReceiptBatch SECOND_BATCH = new ReceiptBatch(4, 6,
            MerkleTree.root(List.of(Fixtures.digest("receipt 4"), Fixtures.digest("receipt 5"), Fixtures.digest("receipt 6"))), List.of(
            new ReceiptBatch.Charge(BOB.address(), "llama-mini", "1.1.0", 1),
            new ReceiptBatch.Charge(BOB.address(), "llama-mini", "1.1.0", 1, API_KEY_HASH),
            new ReceiptBatch.Charge(NOBODY, "llama-mini", "1.1.0", 1)),
            List.of(authorisation(BOB, 105, "receipt 4")));

    /**
     * Genesis from the genesis file as every node derives it; blocks executed with the state transition and
     * committed with StateCommitment, then sealed by trying nonces. Block 1 (transfers and registrations) is the
     * worked example; block 2 holds one or more transactions of every model-market kind (a host price raise, which
     * waits, and escrows for two hosts among them). Finally a node imports
     * the blocks, which shows they are valid by every rule, and serves the same state proofs.
     */
    static Chain build() throws Rejection {
        List<Transaction> block1 = List.of(
                workedExampleTransfer(),
                tx(ALICE, 1, 3, BASE),
                Fixtures.transfer(BOB, MINER.address(), 1_234, 0, 2),
                tx(BOB, 1, 7, TUNED),
                Fixtures.transfer(ALICE, BOB.address(), 1, 2, 1));
        List<Transaction> block2 = List.of(
                tx(ALICE, 3, 2, new NewVersion(NEXT)),
                tx(ALICE, 4, 1, new Deprecate("llama-mini", "1.0.0")),
                tx(ALICE, 5, 1, new SetVisibility("llama-mini", true)),
                tx(MINER, 0, 1, new HostModel("llama-mini", "1.1.0", 5)),
                tx(ALICE, 6, 1, new GrantAccess("llama-mini", BOB.address(), 100, 1_000)),
                tx(ALICE, 7, 1, new GrantAccess("llama-mini", NOBODY, 1, 50)),
                tx(ALICE, 8, 1, new RevokeAccess("llama-mini", NOBODY)),
                tx(BOB, 2, 1, new Deposit(MINER.address(), 5_000)),
                tx(ALICE, 9, 1, new Deposit(MINER.address(), 50)),
                tx(ALICE, 10, 1, new Withdraw(MINER.address(), 40)),
                tx(MINER, 1, 1, BATCH),
                tx(BOB, 3, 1, new Withdraw(MINER.address(), 1_000)),
                tx(BOB, 4, 1, new Deposit(CAROL.address(), 300)),
                tx(MINER, 2, 1, new HostModel("llama-mini", "1.1.0", 9)),
                tx(BOB, 5, 1, new AllowSpendingKey(MINER.address(), API_KEY_HASH, 100, 1_000)),
                tx(MINER, 3, 1, SECOND_BATCH));
        return buildChain(GENESIS_JSON, MINER.address(), List.of(block1, block2));
    }

    /**
     * Block 1 of the permissioned chain: membership changes, and a transaction by the newly admitted account. Its
     * proposer is the admin: on a permissioned chain only a member may propose.
     */
    static Chain buildPermissioned() throws Rejection {
        return buildChain(PERMISSIONED_GENESIS_JSON, ALICE.address(), List.of(List.of(
                tx(ALICE, 0, 1, new UpdatePermissions(List.of(CAROL.address()), List.of(BOB.address()), List.of(NODE_C.publicKey()),
                        List.of(NODE_B.publicKey()), List.of(CAROL.address()), List.of())),
                Fixtures.transfer(ALICE, CAROL.address(), 500, 1, 1),
                Fixtures.transfer(CAROL, ALICE.address(), 100, 0, 1),
                tx(CAROL, 1, 1, new UpdatePermissions(List.of(ALICE.address()), List.of(), List.of(), List.of(), List.of(),
                        List.of(ALICE.address()))))));
    }

    static Transaction tx(KeyPair from, long nonce, long fee, Payload payload) {
        return new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, fee, payload).sign(from);
    }

    static Chain buildChain(String genesisJson, Address proposer, List<List<Transaction>> blocks) throws Rejection {
        Genesis genesisFile = GenesisParser.parse(genesisJson);
        ConsensusEngine engine = ConsensusFactory.create(genesisFile);
        GenesisBlock g = GenesisBlock.of(genesisFile, engine);
        List<Executed> steps = new ArrayList<>();
        steps.add(new Executed(g.block(), new TreeMap<>(g.state()), g.stateTree()));
        for (List<Transaction> txs : blocks) {
            Executed parent = steps.getLast();
            long height = parent.header().height() + 1;
            long time = parent.header().timestampMillis() + 1_000;
            Seal template = engine.templateSeal(h -> steps.get((int) h).header(), height);
            Header unsealed = new Header(height, parent.header().hash(), time, MerkleTree.root(txs.stream().map(Transaction::hash).toList()),
                    Hash.ZERO, proposer, txs.size(), template);
            Map<Bytes, byte[]> flat = new HashMap<>(parent.state());
            WorldState state = new WorldState(flat::get).child();
            new StateTransition(genesisFile.params())
                    .applyBlock(state, new Block(unsealed, txs), engine.blockReward(height), SignatureCheck.VERIFY);
            SparseMerkleTree tree = StateCommitment.apply(parent.tree(), state.writes());
            state.writes().forEach((k, v) -> {
                if (v == null) flat.remove(k);
                else flat.put(k, v);
            });
            Header header = seal(new Header(height, parent.header().hash(), time, unsealed.txRoot(), tree.root(), proposer,
                    txs.size(), template));
            steps.add(new Executed(new Block(header, txs), new TreeMap<>(flat), tree));
        }
        Chain c = new Chain(genesisFile, List.copyOf(steps));

        try (Blockchain node = Blockchain.open(new InMemoryStore(), genesisFile, engine, SignatureCheck.VERIFY)) {
            assertThat(node.genesisHash()).isEqualTo(c.genesis().hash());
            for (Executed e : steps.subList(1, steps.size())) {
                assertThat(node.importBlock(e.block(), e.header().timestampMillis())).isEqualTo(ImportResult.EXTENDED_HEAD);
                for (Bytes key : e.state().keySet()) {
                    Blockchain.ProvenValue pv = node.prove(key);
                    assertThat(pv.value()).isEqualTo(e.state().get(key));
                    assertThat(pv.proof()).isEqualTo(e.tree().prove(StateCommitment.treeKey(key)));
                }
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

    static ObjectNode fixture() {
        return fixture(chain, permissioned);
    }

    /**
     * The fixture for tools/spec_verifier.py: both chains' genesis files, blocks, transactions, proofs and complete
     * states, the Ed25519 edge cases, and signed encodings that break a decoding rule. Entries of the open chain's
     * block 1 come first, in the order the tamperings below refer to.
     */
    static ObjectNode fixture(Chain c, Chain p) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "maaschain-spec-fixture/2");
        ArrayNode geneses = root.putArray("genesis");
        for (Chain x : List.of(c, p)) {
            geneses.addObject().put("json", x.genesisFile().canonicalJson()).put("hash", x.genesis().hash().toHex());
        }
        ArrayNode signatures = root.putArray("signatures");
        for (SignatureVector v : SIGNATURE_VECTORS) {
            signatures.addObject().put("note", v.note()).put("publicKey", v.publicKey())
                    .put("message", Hex.encode(VECTOR_MESSAGE)).put("signature", v.signature()).put("valid", v.valid());
        }
        ArrayNode txs = root.putArray("transactions");
        for (Chain x : List.of(c, p)) {
            for (Executed e : x.steps()) {
                for (Transaction tx : e.block().transactions()) txs.add(transaction(tx));
            }
        }
        ValidatorHeaders.addTo(root.putArray("validatorHeaders"), c.genesisFile().params().chainId());
        ArrayNode invalid = root.putArray("invalidTransactions");
        for (InvalidTx t : INVALID_TRANSACTIONS) invalid.addObject().put("note", t.note()).put("encoded", Hex.encode(t.encoded()));

        ArrayNode blocks = root.putArray("blocks");
        for (Chain x : List.of(c, p)) {
            for (Executed e : x.steps()) blocks.add(block(e.block()));
        }

        ArrayNode inclusion = root.putArray("txInclusionProofs");
        for (Executed e : List.of(c.at(1), c.at(2), p.at(1))) {
            List<Hash> hashes = e.block().transactions().stream().map(Transaction::hash).toList();
            for (int i = 0; i < hashes.size(); i++) {
                InclusionProof proof = MerkleTree.prove(hashes, i);
                assertThat(proof.verify(hashes.get(i), e.header().txRoot())).isTrue();
                ObjectNode o = JSON.valueToTree(Views.inclusionProof(proof, e.header().txRoot()));
                o.put("blockHash", e.block().hash().toHex());
                o.put("txHash", hashes.get(i).toHex());
                inclusion.add(o);
            }
        }

        ArrayNode proofs = root.putArray("stateProofs");
        proofs.add(stateProof(c.at(0), StateKeys.account(ALICE.address())));
        proofs.add(stateProof(c.at(0), StateKeys.account(BOB.address())));
        proofs.add(stateProof(c.at(0), StateKeys.account(Fixtures.key(5).address())));
        for (Bytes key : c.state().keySet()) proofs.add(stateProof(c.at(1), key));
        proofs.add(stateProof(c.at(1), StateKeys.account(NOBODY)));
        proofs.add(stateProof(c.at(1), StateKeys.modelName("no-such-model")));
        proofs.add(stateProof(c.at(1), StateKeys.modelVersion("llama-mini", "2.0")));
        for (Bytes key : c.at(2).state().keySet()) proofs.add(stateProof(c.at(2), key));
        proofs.add(stateProof(c.at(2), MarketRecords.grantKey("llama-mini", NOBODY)));
        proofs.add(stateProof(c.at(2), MarketRecords.escrowKey(NOBODY, MINER.address())));
        proofs.add(stateProof(c.at(2), MarketRecords.visibilityKey("llama-mini-chat")));
        proofs.add(stateProof(c.at(2), MarketRecords.deprecatedKey("llama-mini", "1.1.0")));
        proofs.add(stateProof(c.at(2), MarketRecords.hostKey("llama-mini", "1.0.0", MINER.address())));
        proofs.add(stateProof(c.at(2), MarketRecords.settlementKey(BOB.address())));
        proofs.add(stateProof(c.at(2), Permissions.flagKey()));
        for (Bytes key : p.at(0).state().keySet()) proofs.add(stateProof(p.at(0), key));
        for (Bytes key : p.at(1).state().keySet()) proofs.add(stateProof(p.at(1), key));
        proofs.add(stateProof(p.at(1), Permissions.accountKey(BOB.address())));
        proofs.add(stateProof(p.at(1), Permissions.nodeKey(NODE_B.publicKey())));
        proofs.add(stateProof(p.at(1), Permissions.adminKey(ALICE.address())));

        ArrayNode states = root.putArray("states");
        for (Chain x : List.of(c, p)) {
            for (Executed e : x.steps()) states.add(stateDump(e.header(), e.state()));
        }
        return root;
    }

    static ObjectNode transaction(Transaction tx) {
        ObjectNode t = JSON.createObjectNode();
        t.put("hash", tx.hash().toHex());
        t.put("encoded", Hex.encode(tx.encoded()));
        ObjectNode expect = JSON.valueToTree(Views.transaction(tx));
        expect.remove(List.of("hash", "encoded"));
        t.set("expect", expect);
        return t;
    }

    /** A signed encoding that breaks one decoding rule; the code and the verifier must both refuse it. */
    record InvalidTx(String note, byte[] encoded) {}

    static final byte[] TX_DOMAIN_TAG = "maaschain/tx/v1\0".getBytes(StandardCharsets.US_ASCII);

    /** Body (format 1, chain 1337, {@code kind}, Alice's key, nonce 0, fee 1, {@code payload}), signed by Alice. */
    static InvalidTx invalid(String note, int kind, ByteWriter payload) {
        byte[] body = new ByteWriter().u8(1).u64(Fixtures.CHAIN_ID).u8(kind).raw(ALICE.publicKey().toBytes()).u64(0).u64(1)
                .raw(payload.toByteArray()).toByteArray();
        byte[] message = new ByteWriter().raw(TX_DOMAIN_TAG).raw(body).toByteArray();
        return new InvalidTx(note, new ByteWriter().raw(body).raw(ALICE.sign(message).toBytes()).toByteArray());
    }

    static ByteWriter charge(ByteWriter w, Address caller, String name, String version, long calls) {
        return w.raw(caller.toBytes()).string(name).string(version).u64(calls);
    }

    static ByteWriter emptyLists(ByteWriter w, int n) {
        for (int i = 0; i < n; i++) w.u16(0);
        return w;
    }

    static final byte[] ROOT = MerkleTree.root(RECEIPTS).toBytes();

    static final List<InvalidTx> INVALID_TRANSACTIONS = invalidTransactions();

    static List<InvalidTx> invalidTransactions() {
        ByteWriter many = new ByteWriter().u16(65);
        for (int i = 0; i < 65; i++) many.raw(Fixtures.key(100 + i).address().toBytes());
        return List.of(
                invalid("UpdatePermissions with all six lists empty", UpdatePermissions.KIND, emptyLists(new ByteWriter(), 6)),
                invalid("UpdatePermissions listing a node key twice", UpdatePermissions.KIND, emptyLists(new ByteWriter(), 2)
                        .u16(2).raw(NODE_A.publicKey().toBytes()).raw(NODE_A.publicKey().toBytes()).u16(0).u16(0).u16(0)),
                invalid("UpdatePermissions with 65 accounts", UpdatePermissions.KIND, emptyLists(many, 5)),
                invalid("ReceiptBatch billing 3 calls for 2 receipts", ReceiptBatch.KIND, charge(new ByteWriter().u64(0).u64(1).raw(ROOT).u16(1),
                        BOB.address(), "llama-mini", "1.1.0", 3)),
                invalid("ReceiptBatch billing 2 calls in two charges for 1 receipt", ReceiptBatch.KIND, charge(charge(
                        new ByteWriter().u64(7).u64(7).raw(ROOT).u16(2), BOB.address(), "llama-mini", "1.1.0", 1),
                        ALICE.address(), "llama-mini", "1.1.0", 1)),
                invalid("ReceiptBatch with lastSeq < firstSeq", ReceiptBatch.KIND, new ByteWriter().u64(5).u64(4).raw(ROOT).u16(0)),
                invalid("ReceiptBatch of 1000001 receipts", ReceiptBatch.KIND, new ByteWriter().u64(0).u64(1_000_000).raw(ROOT).u16(0)),
                invalid("ReceiptBatch charging 0 calls", ReceiptBatch.KIND, charge(new ByteWriter().u64(0).u64(0).raw(ROOT).u16(1),
                        BOB.address(), "llama-mini", "1.1.0", 0)),
                invalid("ReceiptBatch with 1025 charges", ReceiptBatch.KIND, new ByteWriter().u64(0).u64(0).raw(ROOT).u16(1025)),
                invalid("GrantAccess with quota 0", GrantAccess.KIND,
                        new ByteWriter().string("llama-mini").raw(BOB.address().toBytes()).u64(0).u64(100)),
                invalid("GrantAccess with expiry height 0", GrantAccess.KIND,
                        new ByteWriter().string("llama-mini").raw(BOB.address().toBytes()).u64(10).u64(0)),
                invalid("GrantAccess with a 65-byte name", GrantAccess.KIND,
                        new ByteWriter().string("a".repeat(65)).raw(BOB.address().toBytes()).u64(10).u64(100)),
                invalid("HostModel with version '1/0'", HostModel.KIND, new ByteWriter().string("llama-mini").string("1/0").u64(1)),
                invalid("HostModel with host price 2^63", HostModel.KIND,
                        new ByteWriter().string("llama-mini").string("1.1.0").u64(Long.MIN_VALUE)),
                invalid("SetVisibility with bool byte 2", SetVisibility.KIND, new ByteWriter().string("llama-mini").u8(2)),
                invalid("SetVisibility with a name that is not UTF-8", SetVisibility.KIND,
                        new ByteWriter().bytes(new byte[] {(byte) 0xc3, 0x28}).u8(1)),
                invalid("Deprecate with an upper-case name", Deprecate.KIND, new ByteWriter().string("Llama-mini").string("1.0.0")),
                invalid("ReceiptBatch whose two charges of 2^62 calls overflow a long", ReceiptBatch.KIND, charge(charge(
                        new ByteWriter().u64(0).u64(0).raw(ROOT).u16(2), BOB.address(), "llama-mini", "1.1.0", 1L << 62),
                        ALICE.address(), "llama-mini", "1.1.0", 1L << 62)),
                invalid("Deposit of 0", Deposit.KIND, new ByteWriter().raw(MINER.address().toBytes()).u64(0)),
                invalid("Deposit without a host (the amount alone)", Deposit.KIND, new ByteWriter().u64(50)),
                invalid("Withdraw of 0", Withdraw.KIND, new ByteWriter().raw(MINER.address().toBytes()).u64(0)),
                invalid("NewVersion with artifact size 0", NewVersion.KIND, new ByteWriter().string("llama-mini").string("1.2.0")
                        .raw(ROOT).u64(0).string("onnx").string("").u64(1).u16(0).u16(0)),
                invalid("RevokeAccess with a signed byte left over", RevokeAccess.KIND,
                        new ByteWriter().string("llama-mini").raw(BOB.address().toBytes()).u8(0)),
                invalid("unknown payload kind 13", 13, new ByteWriter().u64(1)));
    }

    @Test
    void theCodeRefusesEveryInvalidEncodingOfTheFixture() {
        for (InvalidTx t : INVALID_TRANSACTIONS) {
            try {
                TransactionCodec.decode(t.encoded());
                throw new AssertionError("the code decodes an invalid transaction: " + t.note());
            } catch (CodecException expected) {
                // refused, as the verifier must refuse it
            }
        }
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

    static ObjectNode stateProof(Executed e, Bytes key) {
        return stateProof(e.header(), e.tree(), e.state(), key);
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
            case MarketRecords.DEPRECATED -> m.put("deprecatedAtHeight", onlyU63(value));
            case MarketRecords.VISIBILITY, Permissions.PERMISSIONED, Permissions.ACCOUNT, Permissions.NODE, Permissions.ADMIN -> {
                assertThat(value).containsExactly(1);
                m.put("present", true);
            }
            case MarketRecords.HOST -> {
                MarketRecords.Host h = MarketRecords.Host.decode(value);
                m.put("hostPrice", h.hostPrice());
                m.put("sinceHeight", h.sinceHeight());
                m.put("pendingPrice", h.pendingPrice());
                m.put("pendingFrom", h.pendingFrom());
            }
            case MarketRecords.GRANT -> {
                MarketRecords.Grant g = MarketRecords.Grant.decode(value);
                m.put("quota", g.quota());
                m.put("used", g.used());
                m.put("expiryHeight", g.expiryHeight());
            }
            case MarketRecords.ESCROW -> {
                MarketRecords.Escrow e = MarketRecords.Escrow.decode(value);
                m.put("balance", e.balance());
                m.put("pendingWithdrawal", e.pendingWithdrawal());
                m.put("unlockHeight", e.unlockHeight());
                m.put("settled", e.settled());
            }
            case MarketRecords.ALLOWANCE -> {
                MarketRecords.Allowance a = MarketRecords.Allowance.decode(value);
                m.put("cap", a.cap());
                m.put("spent", a.spent());
                m.put("expiryHeight", a.expiryHeight());
            }
            case MarketRecords.SETTLEMENT -> {
                MarketRecords.Settlement st = MarketRecords.Settlement.decode(value);
                m.put("nextSeq", st.nextSeq());
                m.put("batches", st.batches());
            }
            case Permissions.ADMIN_COUNT -> m.put("adminCount", onlyU63(value));
            default -> throw new AssertionError("unknown state key type");
        }
        return JSON.valueToTree(m);
    }

    /** A value that is one u63 and nothing else. */
    static long onlyU63(byte[] value) {
        ByteReader r = new ByteReader(value);
        long v = r.u63("value");
        r.expectEnd();
        return v;
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
        Prerequisite.require(python != null ? null : "python3 not installed: the independent verifier was not run");
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
        ObjectNode f = fixture();
        String out = System.getProperty("spec.fixtureOut");
        if (out != null) Files.writeString(Path.of(out), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(f));
        Outcome o = verify(dir, "fixture.json", f);
        assertThat(o.exitCode()).as(o.output()).isZero();
        assertThat(o.output()).contains("all").contains("checks passed")
                .contains("2 genesis files, 8 signatures, 25 transactions, " + INVALID_TRANSACTIONS.size()
                        + " invalidTransactions, 5 blocks, 25 txInclusionProofs")
                .contains("3 blocks re-executed");
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
                        f -> ((ObjectNode) f.get("genesis").get(0)).put("json", f.get("genesis").get(0).get("json").asText()
                                .replace("\"1000000\"", "\"1000001\""))),
                new Tampering("signature verdict", "Ed25519 verification says",
                        f -> ((ObjectNode) f.get("signatures").get(2)).put("valid", false)),
                new Tampering("state dump", "entries give state root",
                        f -> flipHexByte((ObjectNode) f.get("states").get(1).get("entries").get(0), "value", 3)),
                new Tampering("validator seal verdict", "the seal is valid",
                        f -> ((ObjectNode) f.get("validatorHeaders").get(0)).put("valid", false)),
                new Tampering("validator header hash", "block hash",
                        f -> flipHexByte((ObjectNode) f.get("validatorHeaders").get(0), "header", 45)),
                // The model market and permissioned chains.
                new Tampering("market tx field", "Ed25519 signature does not verify",
                        // The first byte of the receipts root (offset 58 + 8 + 8).
                        f -> flipHexByte(transactionOfKind(f, "receipt_batch"), "encoded", 74)),
                new Tampering("invalid market tx listed as valid", "does not decode: ", f -> {
                    InvalidTx t = INVALID_TRANSACTIONS.get(3);
                    ((ArrayNode) f.get("transactions")).addObject()
                            .put("hash", Sha256.hash(t.encoded()).toHex()).put("encoded", Hex.encode(t.encoded()));
                }),
                new Tampering("valid market tx listed as invalid", "decodes, but the code refuses it",
                        f -> ((ArrayNode) f.get("invalidTransactions")).addObject().put("note", "block 2's receipt batch")
                                .put("encoded", transactionOfKind(f, "receipt_batch").get("encoded").asText())),
                new Tampering("escrow value", "value is not proven against stateRoot",
                        f -> flipHexByte(stateProofOfType(f, MarketRecords.ESCROW), "value", 7)),
                new Tampering("grant value with a byte left over", "value does not decode as a grant", f -> {
                    ObjectNode pr = stateProofOfType(f, MarketRecords.GRANT);
                    pr.put("value", pr.get("value").asText() + "00");
                }),
                new Tampering("admin count in a state dump", "entries give state root", f -> {
                    for (JsonNode e : f.get("states").get(4).get("entries")) {
                        if (e.get("key").asText().equals("14")) flipHexByte((ObjectNode) e, "value", 7);
                    }
                }),
                new Tampering("permissioned genesis node list", "the genesis file gives genesis hash",
                        f -> ((ObjectNode) f.get("genesis").get(1)).put("json", f.get("genesis").get(1).get("json").asText()
                                .replace(NODE_B.publicKey().toHex(), NODE_C.publicKey().toHex()))));

        for (Tampering t : tamperings) {
            ObjectNode f = fixture();
            t.change().accept(f);
            Outcome o = verify(dir, t.what().replace(' ', '-') + ".json", f);
            assertThat(o.exitCode()).as("tampered %s must be rejected; verifier said:%n%s", t.what(), o.output()).isEqualTo(1);
            assertThat(o.output()).as("tampered %s", t.what()).contains("FAIL: ").contains(t.expected());
        }
    }

    static ObjectNode transactionOfKind(ObjectNode f, String kind) {
        for (JsonNode t : f.get("transactions")) {
            if (t.get("expect").get("kind").asText().equals(kind)) return (ObjectNode) t;
        }
        throw new AssertionError("no " + kind + " in the fixture");
    }

    /** The first state proof of a present value under a key of this type. */
    static ObjectNode stateProofOfType(ObjectNode f, int type) {
        for (JsonNode p : f.get("stateProofs")) {
            if (Hex.decode(p.get("stateKey").asText())[0] == type && !p.get("value").isNull()) return (ObjectNode) p;
        }
        throw new AssertionError("no state proof of type " + type);
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
        Executed b2 = c.at(2);
        v.add(b2.header().hash().toHex());
        v.add(b2.header().stateRoot().toHex());
        Transaction batch = b2.block().transactions().stream().filter(t -> t.payload() instanceof ReceiptBatch).findFirst().orElseThrow();
        v.add(Hex.encode(batch.encoded()));
        v.add(batch.hash().toHex());
        b2.state().forEach((k, value) -> {
            int type = k.unsafeArray()[0];
            if (type >= MarketRecords.DEPRECATED && type <= MarketRecords.ALLOWANCE) {
                v.add(Hex.encode(k.unsafeArray()));
                v.add(Hex.encode(value));
            }
        });
        v.add(permissioned.genesis().hash().toHex());
        v.add(permissioned.genesis().stateRoot().toHex());
        v.add(permissioned.at(1).header().stateRoot().toHex());
        permissioned.genesisState().forEach((k, value) -> v.add(Hex.encode(k.unsafeArray()) + "->" + Hex.encode(value)));
        permissioned.at(1).state().forEach((k, value) -> {
            if ((k.unsafeArray()[0] & 0xff) >= Permissions.PERMISSIONED) v.add(Hex.encode(k.unsafeArray()) + "->" + Hex.encode(value));
        });
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
                seed = SHA-256 of the ASCII text `test key 1`, `test key 2`, `test key 3` (the sender, recipient and
                proposer; the other addresses and node keys below are those of `test key 4`, `20`, `21`, `22` and `99`).
                Long hex values are wrapped at 32 bytes per line.

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
        marketExample(s, c);
        permissionedExample(s, permissioned);
        return s.toString();
    }

    /** Block 2 of the example: the model-market kinds, a receipt batch byte by byte, and the records it leaves. */
    static void marketExample(StringBuilder s, Chain c) {
        Executed b2 = c.at(2);
        s.append("\n### A model-market block\n\nBlock 2 (hash `").append(b2.header().hash()).append("`, state root\n`")
                .append(b2.header().stateRoot()).append("`) holds, in this order:\n\n");
        int i = 0;
        for (Transaction tx : b2.block().transactions()) {
            Map<String, Object> view = Views.transaction(tx);
            s.append(i++).append(". ").append(who(tx.sender())).append(", nonce ").append(tx.nonce()).append(": `")
                    .append(view.get("kind")).append("` ").append(describe(tx.payload())).append('\n');
        }
        Transaction batchTx = b2.block().transactions().stream().filter(t -> t.payload() instanceof ReceiptBatch).findFirst().orElseThrow();
        byte[] enc = batchTx.encoded();
        s.append("\nThe receipt batch (kind 12), sent by the proposer's account, which hosts `llama-mini` `1.1.0` at 5 per call on\n")
                .append("top of the model's 30, settles its receipts 0..3 (the root is the RFC 6962 root of four receipt hashes\n")
                .append("the chain never sees) and bills two callers 2 calls each, each of whom signed an authorisation of 70 in all:\n\n| offset | size | field | bytes |\n|---|---|---|---|\n");
        int[] sizes = {1, 8, 1, 32, 8, 8, 8, 8, 32, 2, 20, 14, 9, 8, 1, 20, 14, 9, 8, 1, 2, 32, 8, 32, 64, 32, 8, 32, 64, 64};
        String[] fields = {"format version", "chain id (1337)", "kind (ReceiptBatch)", "sender key (proposer)", "nonce (1)", "fee (1)",
                "firstSeq (0)", "lastSeq (3)", "receiptsRoot", "charge count (2)", "caller (recipient)", "name (`llama-mini`)",
                "version (`1.1.0`)", "calls (2)", "has spending key (0: paid through the channel)", "caller (sender)", "name", "version",
                "calls (2)", "has spending key (0)", "authorisation count (2)", "payer key (recipient)", "authorised (70)",
                "request digest", "payer's signature", "payer key (sender)", "authorised (70)", "request digest", "payer's signature",
                "signature"};
        int offset = 0;
        for (int k = 0; k < sizes.length; k++) {
            row(s, offset, sizes[k], fields[k], enc);
            offset += sizes[k];
        }
        assertThat(offset).isEqualTo(enc.length);
        s.append("\n```\nencoding (").append(enc.length).append(" bytes) =\n").append(wrap(Hex.encode(enc), "    "))
                .append("tx hash = ").append(batchTx.hash()).append("\n```\n\n");
        s.append("""
                Settlement: the price is 30 + 5 = 35 per call. Both authorisations verify over their channels with the
                proposer and authorise more than their channels settled (0), so each bounds its caller's charges at
                70 - 0 = 70. The recipient's 2 calls are due 70; its authorisation allows 70 and its escrow for this
                host (5000) holds it: 70 is paid, the owner (the sender) gets floor(70 * 30 / 35) = 60, the host 10,
                the channel's settled amount becomes 70, and the recipient's grant counts 2 calls used. The sender's own
                2 calls are due 70, but its escrow for this host holds 50 (of which 40 are announced for withdrawal):
                min(70, 70, 50) = 50 is paid, the owner's share is floor(50 * 30 / 35) = floor(1500 / 35) = 42, the
                host's 8, and the escrow is left at balance 0, settled 50, with pending withdrawal min(40, 0) = 0
                (its unlock height, 22, stays: see note 14). The host's settlement cursor moves to receipt 4.

                Then the recipient deposits 300 for another host,
                mc%s, a separate escrow that no batch of the proposer can touch,
                and the proposer raises its host price to 9. The raise waits 40 blocks: the host record becomes
                (5, 2, 9, 42). The recipient allows an API key (its SHA-256 is the key hash above) to spend up to 100 of
                its channel with the proposer until height 1000 (kind 19, record type `0a`). The proposer's second batch
                (receipts 4..6) still settles at 30 + 5 = 35. The recipient's new authorisation, 105 in all, leaves
                105 - 70 = 35 for its signed call: 35 is paid from its escrow (owner 30, host 5; settled 105). Its call
                made with the API key is bounded by the key's allowance, 100 - 0: 35 is paid (owner 30, host 5; the
                allowance has spent 35; the channel's settled amount does not change, since the recipient signed no
                authorisation for that call). Its escrow is left at 5000 - 70 - 70 = 4860, of which 1000 remain
                announced, and its grant counts 4 calls used. The batch bills 1 call to
                mc%s, which holds no escrow for the proposer and signed nothing:
                0 is paid and no escrow is written. The cursor moves to receipt 7, after 2 batches.

                The model-market records after block 2 (types `04`..`0a`), with their decoded values:

                ```
                """.formatted(Hex.encode(CAROL.address().toBytes()), Hex.encode(NOBODY.toBytes())));
        b2.state().forEach((k, v) -> {
            int type = k.unsafeArray()[0];
            if (type >= MarketRecords.DEPRECATED && type <= MarketRecords.ALLOWANCE) {
                s.append(Hex.encode(k.unsafeArray())).append('\n').append(wrap(Hex.encode(v), "  -> "))
                        .append("     ").append(decodedValue(k, v)).append('\n');
            }
        });
        s.append("```\n");
    }

    /** The example's role names for its three main keys, the address text for any other. */
    static String who(Address a) {
        if (a.equals(ALICE.address())) return "sender";
        if (a.equals(BOB.address())) return "recipient";
        if (a.equals(MINER.address())) return "proposer";
        return a.toString();
    }

    static String describe(Payload p) {
        return switch (p) {
            case NewVersion v -> "`" + v.spec().name() + "` `" + v.spec().version() + "`, price " + v.spec().pricePerCall();
            case Deprecate d -> "`" + d.name() + "` `" + d.version() + "`";
            case SetVisibility v -> "`" + v.name() + "` public = " + v.isPublic();
            case HostModel h -> "`" + h.name() + "` `" + h.version() + "`, host price " + h.hostPrice();
            case GrantAccess g -> "`" + g.name() + "` to " + g.grantee() + ", quota " + g.quota() + ", expiry height " + g.expiryHeight();
            case RevokeAccess r -> "`" + r.name() + "` from " + r.grantee();
            case Deposit d -> "for host " + who(d.host()) + ", amount " + d.amount();
            case AllowSpendingKey a -> "for host " + who(a.host()) + ", key hash " + a.keyHash().toHex().substring(0, 16) + "..., cap "
                    + a.cap() + ", expiry height " + a.expiryHeight();
            case Withdraw w -> "from the escrow for host " + who(w.host()) + ", amount " + w.amount() + " (announces the withdrawal)";
            case ReceiptBatch b -> "receipts " + b.firstSeq() + ".." + b.lastSeq() + ", " + b.charges().size() + " charges"
                    + (b.equals(BATCH) ? " (below)" : ": " + String.join(", ", b.charges().stream()
                            .map(c -> who(c.caller()) + " " + c.calls() + (c.calls() == 1 ? " call" : " calls")
                                    + (c.spendingKey() == null ? "" : " (API key)")).toList())
                    + ", " + b.authorisations().size() + " authorisation" + (b.authorisations().size() == 1 ? "" : "s"));
            default -> p.toString();
        };
    }

    /** The permissioned chain: its genesis file, the state entries it derives, and the membership after block 1. */
    static void permissionedExample(StringBuilder s, Chain p) {
        s.append("\n### A permissioned genesis\n\nThe genesis file\n\n```json\n").append(p.genesisFile().canonicalJson().strip())
                .append("\n```\n\nderives these state entries (key -> value), the state root `").append(p.genesis().stateRoot())
                .append("`\nand the genesis hash `").append(p.genesis().hash()).append("`:\n\n```\n");
        p.genesisState().forEach((k, v) -> s.append(Hex.encode(k.unsafeArray())).append("\n  -> ").append(Hex.encode(v)).append('\n'));
        s.append("```\n\nIts block 1 (state root `").append(p.at(1).header().stateRoot()).append("`, proposed by the admin: only a member may propose) applies two `UpdatePermissions`:\n")
                .append("the admin (the sender) admits account ").append(CAROL.address()).append(" and makes it an admin, removes the\n")
                .append("recipient's account, adds node key `").append(NODE_C.publicKey()).append("` and removes `")
                .append(NODE_B.publicKey()).append("`;\nthen, after a transfer each way, the new admin makes the sender an ordinary ")
                .append("member (adds it to the accounts and\nremoves it from the admins). The membership records afterwards:\n\n```\n");
        p.at(1).state().forEach((k, v) -> {
            if ((k.unsafeArray()[0] & 0xff) >= Permissions.PERMISSIONED) {
                s.append(Hex.encode(k.unsafeArray())).append("\n  -> ").append(Hex.encode(v)).append('\n');
            }
        });
        s.append("```\n");
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
