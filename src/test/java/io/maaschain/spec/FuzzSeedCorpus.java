package io.maaschain.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.maaschain.chain.ChainArchive;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.crypto.Keystore;
import io.maaschain.crypto.ScryptParams;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ConsensusMessageCodec;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.maas.artifact.ChunkManifest;
import io.maaschain.maas.inference.InferenceRequest;
import io.maaschain.maas.inference.OipJson;
import io.maaschain.maas.inference.Tensor;
import io.maaschain.p2p.proto.ArtifactManifest;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.GetArtifactChunk;
import io.maaschain.p2p.proto.GetHeaders;
import io.maaschain.p2p.proto.Hello;
import io.maaschain.p2p.proto.NewBlock;
import io.maaschain.p2p.proto.Peers;
import io.maaschain.p2p.proto.Transactions;
import io.maaschain.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the seed corpus of the fuzz targets (docs/fuzzing.md) from the spec's own worked examples: the chains,
 * transactions of every kind and validator headers that {@link SpecConformanceTest} hands to the independent verifier,
 * and receipt evidence from {@link ReceiptSpecConformanceTest}. Run by hand when an encoding changes:
 * {@code java -cp target/test-classes:target/classes:<test class path> io.maaschain.spec.FuzzSeedCorpus src/test/resources}.
 * Inputs that fuzzing found to matter (the regression inputs) are added beside these by hand and kept.
 */
public final class FuzzSeedCorpus {
    private final Path root;

    private FuzzSeedCorpus(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        new FuzzSeedCorpus(Path.of(args.length > 0 ? args[0] : "src/test/resources")).writeAll();
    }

    private void put(String testClass, String method, String name, byte[] bytes) throws IOException {
        Path dir = root.resolve(testClass.replace('.', '/') + "Inputs").resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve("seed-" + name), bytes);
    }

    @SuppressWarnings("unchecked")
    private static List<Transaction> sampledTransactions(int count) throws ReflectiveOperationException {
        var properties = Class.forName("io.maaschain.ledger.TransactionCodecProperties");
        var constructor = properties.getDeclaredConstructor();
        constructor.setAccessible(true);
        var provider = properties.getDeclaredMethod("transactions");
        provider.setAccessible(true);
        var arbitrary = (net.jqwik.api.Arbitrary<Transaction>) provider.invoke(constructor.newInstance());
        return arbitrary.sampleStream().limit(count).toList();
    }

    private void writeAll() throws Exception {
        SpecConformanceTest.buildChains();
        JsonNode fixture = SpecConformanceTest.fixture();
        SpecConformanceTest.Chain open = SpecConformanceTest.chain;
        SpecConformanceTest.Chain permissioned = SpecConformanceTest.permissioned;

        // The codec: read programs of each operation over a little data.
        put("io.maaschain.codec.ByteReaderFuzzTest", "reader", "all-ops", new byte[] {0x28, 0, 1, 2, 3, 0x24, 0x25, 0x26, 7,
                5, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 9, 1, 2, 3, 4, 0, 0, 0, 2, 'h', 'i', 0, 0, 0, 1, 'x', 1});
        put("io.maaschain.codec.ByteReaderFuzzTest", "reader", "string-utf8", new byte[] {0x22, 0x46, 0x46, 0, 0, 0, 2, (byte) 0xC3,
                (byte) 0xA9, 0, 0, 0, 1, 'a'});

        // Transactions: one or two of every kind that the spec chains use, and the spec's invalid encodings.
        Set<Integer> kinds = new HashSet<>();
        List<Transaction> txs = new ArrayList<>();
        for (SpecConformanceTest.Chain c : List.of(open, permissioned)) {
            for (SpecConformanceTest.Executed e : c.steps()) txs.addAll(e.block().transactions());
        }
        int n = 0;
        for (Transaction tx : txs) {
            if (kinds.add(tx.payload().kind())) put("io.maaschain.ledger.tx.TransactionFuzzTest", "transaction", "kind-" + tx.payload().kind(), tx.encoded());
        }
        // The kinds the spec chains do not use (staking, validators, evidence, producers): from the codec's property test.
        for (Transaction tx : sampledTransactions(2000)) {
            if (kinds.add(tx.payload().kind())) put("io.maaschain.ledger.tx.TransactionFuzzTest", "transaction", "kind-" + tx.payload().kind(), tx.encoded());
        }
        for (JsonNode t : fixture.get("invalidTransactions")) {
            put("io.maaschain.ledger.tx.TransactionFuzzTest", "transaction", "invalid-" + n++, Hex.decode(t.get("encoded").asText()));
        }

        // Headers and blocks: proof-of-work blocks of both chains, validator-sealed headers.
        List<Block> blocks = new ArrayList<>();
        for (SpecConformanceTest.Chain c : List.of(open, permissioned)) {
            for (SpecConformanceTest.Executed e : c.steps()) blocks.add(e.block());
        }
        n = 0;
        for (Block b : blocks) {
            put("io.maaschain.ledger.block.BlockFuzzTest", "block", "pow-" + n, BlockCodec.encode(b));
            put("io.maaschain.ledger.block.BlockFuzzTest", "header", "pow-" + n++, HeaderCodec.encode(b.header()));
        }
        List<Vote> votes = new ArrayList<>();
        n = 0;
        for (JsonNode h : fixture.get("validatorHeaders")) {
            byte[] bytes = Hex.decode(h.get("header").asText());
            put("io.maaschain.ledger.block.BlockFuzzTest", "header", "validator-" + n++, bytes);
            Header header = HeaderCodec.decode(bytes);
            if (header.seal() instanceof ValidatorSeal s) votes.addAll(s.votes());
        }

        // Votes, consensus messages, evidence.
        n = 0;
        Set<String> voteTypes = new HashSet<>();
        for (Vote v : votes) {
            if (!voteTypes.add(v.getClass().getSimpleName()) && n > 4) continue;
            byte[] bytes = VoteCodec.encode(v);
            put("io.maaschain.ledger.vote.VoteFuzzTest", "vote", "vote-" + n, bytes);
            put("io.maaschain.ledger.vote.VoteFuzzTest", "consensusMessage", "vote-" + n++,
                    ConsensusMessageCodec.encode(new ConsensusMessage.VoteMessage(v)));
        }
        put("io.maaschain.ledger.vote.VoteFuzzTest", "consensusMessage", "proposal",
                ConsensusMessageCodec.encode(new ConsensusMessage.Proposal(blocks.get(1), -1)));
        for (int i = 0; i + 1 < votes.size() && i < 6; i += 2) {
            byte[] a = VoteCodec.encode(votes.get(i));
            byte[] b = VoteCodec.encode(votes.get(i + 1));
            put("io.maaschain.ledger.vote.VoteFuzzTest", "evidence", "pair-" + i,
                    new ByteWriter().u8(a.length).raw(a).raw(b).toByteArray());
        }

        // Genesis files and a chain export of the open chain.
        n = 0;
        for (JsonNode g : fixture.get("genesis")) {
            put("io.maaschain.ledger.genesis.GenesisFuzzTest", "genesis", "spec-" + n++, g.get("json").asText().getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        try (ChainArchive.Writer w = new ChainArchive.Writer(export, open.genesisFile().canonicalJson())) {
            for (SpecConformanceTest.Executed e : open.steps().subList(1, open.steps().size())) w.writeBlock(BlockCodec.encode(e.block()));
        }
        put("io.maaschain.chain.ChainArchiveFuzzTest", "export", "spec-chain", export.toByteArray());
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        new ChainArchive.Writer(empty, "{}").close();
        put("io.maaschain.chain.ChainArchiveFuzzTest", "export", "no-blocks", empty.toByteArray());

        // Receipts and receipt evidence.
        ObjectMapper json = new ObjectMapper();
        n = 0;
        for (JsonNode ev : ReceiptSpecConformanceTest.fixture().get("receipts")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) ev).remove("expect");
            put("io.maaschain.maas.receipt.ReceiptFuzzTest", "receipt", "spec-" + n, Hex.decode(ev.get("encoded").asText()));
            put("io.maaschain.maas.receipt.ReceiptFuzzTest", "evidence", "spec-" + n++, json.writeValueAsBytes(ev));
        }

        // Chunk manifests: one chunk, several chunks, an empty artifact.
        int chunk = ChunkManifest.MIN_CHUNK_SIZE;
        put("io.maaschain.maas.artifact.ChunkManifestFuzzTest", "manifest", "one-chunk",
                new ChunkManifest(Fixtures.digest("a"), 1000, chunk, List.of(Fixtures.digest("c0"))).encode());
        put("io.maaschain.maas.artifact.ChunkManifestFuzzTest", "manifest", "three-chunks",
                new ChunkManifest(Fixtures.digest("b"), 2L * chunk + 1, chunk,
                        List.of(Fixtures.digest("c0"), Fixtures.digest("c1"), Fixtures.digest("c2"))).encode());
        put("io.maaschain.maas.artifact.ChunkManifestFuzzTest", "manifest", "empty",
                new ChunkManifest(Fixtures.digest(""), 0, chunk, List.of()).encode());

        // Key files.
        KeyPair key = Fixtures.key(1);
        String cls = "io.maaschain.crypto.KeyFileFuzzTest";
        put(cls, "privatePem", "ed25519", KeyPem.privateKeyToPem(key).getBytes(StandardCharsets.US_ASCII));
        put(cls, "publicPem", "ed25519", KeyPem.publicKeyToPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII));
        put(cls, "privateDer", "ed25519", KeyPem.privateKeyToDer(key));
        put(cls, "publicDer", "ed25519", KeyPem.publicKeyToDer(key.publicKey()));
        put(cls, "keystore", "cheap-kdf", Keystore.encrypt(key, "pw".toCharArray(), new ScryptParams(16, 1, 1), new java.security.SecureRandom()));

        // The node's TOML config.
        String node = "io.maaschain.node.NodeConfigFuzzTest";
        put(node, "toml", "full", """
                data-dir = "data"
                genesis = "genesis.json"
                node-key = "node.key"
                [http]
                host = "127.0.0.1"
                port = 8645
                [p2p]
                enabled = true
                host = "0.0.0.0"
                port = 30333
                bootnodes = ["127.0.0.1:30334", "[::1]:30335"]
                max-inbound = 25
                max-outbound = 10
                tls = false
                [mining]
                enabled = true
                reward-address = "%s"
                threads = 1
                block-interval-ms = 1000
                [serving]
                recheck-seconds = 300
                remote = ["iris@1.0.0=http://127.0.0.1:9000/v2/models/iris"]
                """.formatted(key.address()).getBytes(StandardCharsets.UTF_8));
        put(node, "toml", "minimal", "[p2p]\nenabled = false\n".getBytes(StandardCharsets.UTF_8));

        // Open Inference Protocol requests, all JSON and with binary tensor data.
        InferenceRequest req = new InferenceRequest(List.of(Tensor.fp32("x", new long[] {1, 4}, 5.1f, 3.5f, 1.4f, 0.2f),
                Tensor.int64("n", new long[] {2}, 7, -1)));
        put("io.maaschain.maas.inference.OipFuzzTest", "jsonRequest", "two-inputs", OipJson.writeRequest(req));
        put("io.maaschain.maas.inference.OipFuzzTest", "jsonRequest", "ids-and-parameters", """
                {"id":"r1","parameters":{"binary_data_output":true},"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32",\
                "data":[[1.0,2.0],[3.0,4.5e-3]]}],"outputs":[{"name":"y","parameters":{"binary_data":false}}]}\
                """.getBytes(StandardCharsets.UTF_8));
        OipJson.Encoded bin = OipJson.encodeRequest(req, name -> true);
        put("io.maaschain.maas.inference.OipFuzzTest", "binaryRequest", "two-inputs",
                ByteBuffer.allocate(4 + bin.body().length).putInt(bin.jsonLength()).put(bin.body()).array());
        put("io.maaschain.maas.inference.OipFuzzTest", "binaryRequest", "no-header",
                ByteBuffer.allocate(4 + OipJson.writeRequest(req).length).putInt(-1).put(OipJson.writeRequest(req)).array());

        // Peer-to-peer frames of each kind the node decodes further.
        String p2p = "io.maaschain.p2p.FrameFuzzTest";
        ByteString zero32 = ByteString.copyFrom(new byte[32]);
        put(p2p, "frame", "hello", Frame.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(1).setChainId(1337)
                .setGenesisHash(zero32).setNodeKey(ByteString.copyFrom(key.publicKey().toBytes())).setNonce(zero32)
                .setListenPort(30333).setClient("maaschain/0.1.0").addFeatures("artifacts/1")).build().toByteArray());
        put(p2p, "frame", "transactions", Frame.newBuilder().setTransactions(Transactions.newBuilder()
                .addTransactions(ByteString.copyFrom(txs.get(0).encoded()))).build().toByteArray());
        put(p2p, "frame", "new-block", Frame.newBuilder().setNewBlock(NewBlock.newBuilder()
                .setBlock(ByteString.copyFrom(BlockCodec.encode(blocks.get(1))))).build().toByteArray());
        put(p2p, "frame", "get-headers", Frame.newBuilder().setGetHeaders(GetHeaders.newBuilder().setRequestId(1)
                .addLocator(zero32).setMaxHeaders(100)).build().toByteArray());
        put(p2p, "frame", "peers", Frame.newBuilder().setPeers(Peers.newBuilder().setRequestId(2)
                .addPeers(io.maaschain.p2p.proto.PeerAddress.newBuilder().setHost("127.0.0.1").setPort(30334))).build().toByteArray());
        put(p2p, "frame", "get-chunk", Frame.newBuilder().setGetArtifactChunk(GetArtifactChunk.newBuilder().setRequestId(3)
                .setDigest(zero32).setIndex(0).setOffset(0).setLength(65536)).build().toByteArray());
        put(p2p, "frame", "manifest", Frame.newBuilder().setArtifactManifest(ArtifactManifest.newBuilder().setRequestId(4)
                .setManifest(ByteString.copyFrom(new ChunkManifest(Fixtures.digest("a"), 1000, chunk,
                        List.of(Fixtures.digest("c0"))).encode()))).build().toByteArray());
        put(p2p, "frame", "consensus", Frame.newBuilder().setConsensus(io.maaschain.p2p.proto.ConsensusMessage.newBuilder()
                .setMessage(ByteString.copyFrom(ConsensusMessageCodec.encode(new ConsensusMessage.VoteMessage(votes.get(0)))))).build().toByteArray());
    }
}
