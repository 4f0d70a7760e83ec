package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.chain.ChainArchive;
import io.maaschain.chain.GenesisBlock;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.maas.receipt.Receipt;
import io.maaschain.maas.receipt.ReceiptEvidence;
import io.maaschain.maas.receipt.ReceiptVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code receipt verify} and {@code receipt get}: check a receipt and its proofs down to a block header, offline or against a node. */
@Command(name = "receipt", description = "Fetch inference receipts and verify them against the chain.",
        subcommands = {ReceiptCommand.Verify.class, ReceiptCommand.Get.class})
final class ReceiptCommand {
    static final long MAX_EVIDENCE_BYTES = 1 << 20;

    @Command(name = "get", description = "Save a receipt with its proofs (JSON) for later offline verification.")
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "Receipt id (64 hex digits).") String id;
        @Mixin NodeOption node;
        @Option(names = "--out", required = true, description = "File to write.") Path out;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            if (!id.matches("[0-9a-f]{64}")) throw new CliException("a receipt id is 64 lower-case hex digits");
            JsonNode evidence = node.client().get("api/v1/receipts/" + id);
            ReceiptEvidence.fromJson(evidence);
            Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(evidence) + "\n");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("status", evidence.path("status").asText());
            m.put("seq", evidence.path("seq").asLong());
            if (evidence.has("settlement")) {
                m.put("block", evidence.path("settlement").path("blockHash").asText());
                m.put("height", evidence.path("settlement").path("blockHeight").asLong());
            }
            m.put("saved", out.toString());
            Output.print(json.json, m);
            return 0;
        }
    }

    static final class Anchor {
        @Option(names = "--node", description = "Check the block with the light client, from headers this node serves (REST URL).") String node;
        @Option(names = "--chain-file", description = "Check offline against a 'chain export' file.") Path chainFile;
    }

    @Command(name = "verify", description = "Verify a receipt file: node signature, inclusion in the batch root, batch tx in the block "
            + "(tx proof against the header's tx root), the header hash, and that the block is on the chain: --node syncs the light client "
            + "(headers verified by consensus) and says which block finalised the receipt; --chain-file checks an export offline. "
            + "Exits 1 with the reason on failure.")
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "Receipt JSON as 'receipt get' saves it.") Path file;
        @ArgGroup(exclusive = true, multiplicity = "0..1") Anchor anchor;
        @Mixin JsonOption json;
        @Mixin LightOptions light;
        /** How the settlement's block is final, once the light client has checked it (--node). */
        private String finality;

        @Override
        public Integer call() throws IOException {
            String text = CliFiles.readText(file, "receipt file", MAX_EVIDENCE_BYTES);
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CliException(file + " is not valid JSON");
            }
            ReceiptEvidence evidence;
            try {
                evidence = ReceiptEvidence.fromJson(root);
            } catch (CodecException | IllegalArgumentException e) {
                return fail(List.of(), "the receipt file is malformed: " + e.getMessage());
            }
            ReceiptVerifier.Report report = ReceiptVerifier.verify(evidence, true);
            List<ReceiptVerifier.Check> checks = new ArrayList<>(report.checks());
            if (report.ok()) {
                ReceiptEvidence.Settlement s = evidence.settlement();
                Receipt r = evidence.receipt().receipt();
                if (anchor != null && anchor.node != null) checks.add(anchorOnNode(anchor.node, s, r));
                else if (anchor != null && anchor.chainFile != null) checks.add(anchorInExport(anchor.chainFile, s, r));
                else checks.add(new ReceiptVerifier.Check("chain", true, "not checked: pass --node URL or --chain-file EXPORT to check that block "
                        + s.blockHash() + " is on the chain"));
            }
            boolean ok = checks.stream().allMatch(ReceiptVerifier.Check::ok);
            String failure = checks.stream().filter(c -> !c.ok()).findFirst().map(c -> c.name() + ": " + c.detail()).orElse(null);
            if (!ok) return fail(checks, failure);
            print(checks, evidence, true, null);
            return 0;
        }

        private int fail(List<ReceiptVerifier.Check> checks, String reason) {
            print(checks, null, false, reason);
            System.err.println("error: receipt verification failed: " + reason);
            return 1;
        }

        private void print(List<ReceiptVerifier.Check> checks, ReceiptEvidence e, boolean ok, String reason) {
            if (json.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", ok);
                if (e != null) {
                    m.put("id", e.receipt().id().toHex());
                    m.put("receipt", ReceiptEvidence.fields(e.receipt().receipt()));
                }
                if (reason != null) m.put("reason", reason);
                if (e != null && finality != null) {
                    m.put("finalisedBy", Map.of("height", e.settlement().blockHeight(), "hash", e.settlement().blockHash().toHex(), "how", finality));
                }
                m.put("checks", checks.stream().map(c -> Map.of("name", c.name(), "ok", c.ok(), "detail", c.detail())).toList());
                Output.print(true, m);
                return;
            }
            for (ReceiptVerifier.Check c : checks) System.out.printf("%-4s %s: %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
            if (ok && e != null) {
                Receipt r = e.receipt().receipt();
                System.out.printf("receipt %s verified: seq %d of node %s, %s/%s, status %d, fee %d%n", e.receipt().id(), r.seq(), r.node(),
                        r.modelName(), r.modelVersion().isEmpty() ? "-" : r.modelVersion(), r.status(), r.fee());
                if (finality != null) {
                    System.out.printf("finalised by block %d (%s): %s%n", e.settlement().blockHeight(), e.settlement().blockHash(), finality);
                }
            }
        }

        /**
         * The light client syncs the node's chain (headers verified by consensus, not trusted) and the block must be the
         * verified one at its height; says which block finalised the receipt's settlement and how.
         */
        private ReceiptVerifier.Check anchorOnNode(String url, ReceiptEvidence.Settlement s, Receipt r) {
            LightClient.Synced synced = light.client(new NodeClient(NodeOption.parse(url))).syncTo(s.blockHeight(), 10_000);
            if (synced.genesis().params().chainId() != r.chainId()) {
                return new ReceiptVerifier.Check("chain", false, "the node at " + url + " runs chain " + synced.genesis().params().chainId()
                        + ", the receipt is for chain " + r.chainId());
            }
            try {
                synced.require(s.blockHeight(), s.blockHash(), "the settlement");
            } catch (CliException e) {
                return new ReceiptVerifier.Check("chain", false, e.getMessage());
            }
            finality = synced.rules().finality(synced.chain(), s.blockHeight());
            return new ReceiptVerifier.Check("chain", true, "block " + s.blockHash() + " at height " + s.blockHeight() + " is on the chain the light client "
                    + "verified from " + (synced.chain().anchor().height() == 0 ? "genesis " + synced.genesisHash() : "checkpoint height " + synced.chain().anchor().height())
                    + " (" + synced.newHeaders() + " new headers from " + url + "); " + finality);
        }

        /** Walks the export from genesis: hash links and seals; the block must be the one at its height. */
        static ReceiptVerifier.Check anchorInExport(Path file, ReceiptEvidence.Settlement s, Receipt r) throws IOException {
            try (InputStream in = Files.newInputStream(file); ChainArchive.Reader reader = new ChainArchive.Reader(in)) {
                Genesis genesis = GenesisParser.parse(reader.genesisJson());
                if (genesis.params().chainId() != r.chainId()) {
                    return new ReceiptVerifier.Check("chain", false, "the export is of chain " + genesis.params().chainId() + ", the receipt is for chain " + r.chainId());
                }
                ConsensusEngine engine = ConsensusFactory.create(genesis);
                List<Header> headers = new ArrayList<>();
                headers.add(GenesisBlock.of(genesis, engine).block().header());
                boolean found = false;
                byte[] bytes;
                while ((bytes = reader.nextBlock()) != null) {
                    Block b = BlockCodec.decode(bytes);
                    Header h = b.header();
                    Header parent = headers.getLast();
                    if (h.height() != parent.height() + 1 || !h.parentHash().equals(parent.hash())) {
                        return new ReceiptVerifier.Check("chain", false, "the export is broken at height " + (parent.height() + 1) + ": it does not link to its parent");
                    }
                    try {
                        engine.validateSeal(h, height -> headers.get(Math.toIntExact(height)));
                    } catch (Rejection e) {
                        return new ReceiptVerifier.Check("chain", false, "block " + h.height() + " of the export has an invalid seal: " + e.getMessage());
                    }
                    headers.add(h);
                    if (h.height() == s.blockHeight()) {
                        if (!h.hash().equals(s.blockHash())) {
                            return new ReceiptVerifier.Check("chain", false, "the export's block at height " + h.height() + " is " + h.hash() + ", not " + s.blockHash());
                        }
                        Hash txHash = io.maaschain.crypto.Sha256.hash(s.tx());
                        if (s.txIndex() >= b.transactions().size() || !b.transactions().get(s.txIndex()).hash().equals(txHash)) {
                            return new ReceiptVerifier.Check("chain", false, "block " + h.hash() + " in the export does not hold the batch tx at index " + s.txIndex());
                        }
                        found = true;
                    }
                }
                long head = headers.getLast().height();
                if (!found) {
                    return new ReceiptVerifier.Check("chain", false, "the export ends at height " + head + " and does not contain block " + s.blockHash());
                }
                return new ReceiptVerifier.Check("chain", true, "block " + s.blockHash() + " is at height " + s.blockHeight() + " of the exported chain "
                        + "(hash links and seals checked from genesis " + headers.getFirst().hash() + "; " + (head - s.blockHeight() + 1) + " confirmations)");
            } catch (CodecException e) {
                return new ReceiptVerifier.Check("chain", false, "the chain export is malformed: " + e.getMessage());
            }
        }
    }
}
