package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.state.ModelVersion;
import io.maaschain.state.StateKeys;
import io.maaschain.state.smt.SmtProof;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "model", description = "Register models and check them against the chain.",
        subcommands = {ModelCommand.Register.class, ModelUploadCommand.class, ModelCommand.Show.class, ModelMarketCommands.Host.class,
                ModelMarketCommands.Grant.class, ModelMarketCommands.Revoke.class, ModelMarketCommands.Deprecation.class,
                ModelMarketCommands.Visibility.class, ModelListCommand.class})
final class ModelCommand {

    /** SHA-256 of a file, read as a stream in 1 MiB pieces so any size fits in constant memory. */
    static Hash digestFile(Path file, boolean showProgress) throws IOException {
        MessageDigest md = Sha256.newDigest();
        long size = Files.size(file);
        long done = 0;
        int lastPercent = -1;
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                done += n;
                int percent = size == 0 ? 100 : (int) (done * 100 / size);
                if (showProgress && percent != lastPercent) {
                    System.err.printf("\rhashing %s: %3d%% (%d of %d bytes)", file.getFileName(), percent, done, size);
                    lastPercent = percent;
                }
            }
        }
        if (showProgress) System.err.println();
        return Hash.wrap(md.digest());
    }

    @Command(name = "register", description = "Register a model version by the SHA-256 digest of its artifact file.")
    static final class Register implements Callable<Integer> {
        @Mixin TxCommand.Signing signing;
        @Mixin NodeOption node;
        @Mixin JsonOption json;
        @Option(names = "--file", required = true, description = "The model artifact (hashed as a stream).") Path file;
        @Option(names = "--name", required = true, description = "Model name: lower-case letters, digits, '.', '_', '-'.") String name;
        @Option(names = "--version", required = true, description = "Model version, e.g. 1.0.0.") String version;
        @Option(names = "--format", defaultValue = "onnx", description = "Artifact format (default: ${DEFAULT-VALUE}).") String format;
        @Option(names = "--license", defaultValue = "proprietary", description = "License (default: ${DEFAULT-VALUE}).") String license;
        @Option(names = "--price", defaultValue = "0", description = "Price per call (default: ${DEFAULT-VALUE}).") long price;
        @Option(names = "--parent", description = "Artifact digest of a parent model (repeatable).") List<String> parents = new ArrayList<>();
        @Option(names = "--dataset", description = "Digest of a training dataset (repeatable).") List<String> datasets = new ArrayList<>();
        @Option(names = "--no-check", description = "Register an onnx file without first checking that ONNX Runtime loads it here.") boolean noCheck;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) throw new CliException(file + " is not a file");
            long size = Files.size(file);
            if ("onnx".equals(format) && !noCheck) checkLoads(file, size);
            Hash digest = digestFile(file, !json.json);
            RegisterModel payload;
            try {
                payload = new RegisterModel(name, version, digest, size, format, license, price,
                        parents.stream().map(Hash::fromHex).toList(), datasets.stream().map(Hash::fromHex).toList());
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            Map<String, Object> m = signing.signAndSubmit(node.client(), payload);
            m.put("model", name);
            m.put("version", version);
            m.put("artifactDigest", digest.toHex());
            m.put("artifactSize", size);
            Output.print(json.json, m);
            return 0;
        }
    }

    /** Registering a model nobody can serve costs a fee and a block; ONNX Runtime says here, before anything is sent. */
    static void checkLoads(Path file, long size) throws IOException {
        if (size > io.maaschain.maas.inference.ModelHost.MAX_EMBEDDED_MODEL_BYTES) {
            throw new CliException(file + " has " + size + " bytes; an onnx model is one protobuf of at most 2 GiB (use --no-check to register it anyway)");
        }
        try (io.maaschain.maas.inference.OnnxBackend loaded = io.maaschain.maas.inference.OnnxBackend.load(Files.readAllBytes(file))) {
            // loaded and closed: the node's engine will load it too
        } catch (io.maaschain.maas.inference.InferenceException e) {
            throw new CliException(file + " is not a model ONNX Runtime can serve: " + e.getMessage()
                    + " (nothing was sent; use --no-check to register it anyway)");
        }
    }

    @Command(name = "show", description = "Show a registered model; --verify checks the node's state proof against a header the light client verified.")
    static final class Show implements Callable<Integer> {
        @Mixin NodeOption node;
        @Mixin JsonOption json;
        @Parameters(index = "0", description = "Model name.") String name;
        @Option(names = "--version", description = "A specific version (default: the latest).") String version;
        @Option(names = "--verify", description = "Verify the proof against a header the light client verified by consensus "
                + "(docs/light-client.md) instead of trusting the node.") boolean verify;
        @Option(names = "--expect-digest", description = "Fail unless the proven artifact digest equals this.") String expectDigest;
        @Mixin LightOptions light;
        private String finality;

        @Override
        public Integer call() {
            NodeClient client = node.client();
            JsonNode model = client.get("api/v1/models/" + name + (version == null ? "" : "/versions/" + version));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", model.path("name").asText());
            m.put("version", model.path("version").asText());
            m.put("owner", model.path("owner").asText());
            m.put("artifactDigest", model.path("artifactDigest").asText());
            m.put("artifactSize", model.path("artifactSize").asLong());
            m.put("format", model.path("format").asText());
            m.put("pricePerCall", model.path("pricePerCall").asLong());
            m.put("registeredAtHeight", model.path("registeredAtHeight").asLong());
            m.put("visibility", model.path("visibility").asText());
            m.put("deprecated", model.path("deprecated").asBoolean()
                    ? "yes, since block " + model.path("deprecatedAtHeight").asLong() : "no");
            List<String> hosts = new ArrayList<>();
            model.path("hosts").forEach(h -> hosts.add(h.path("address").asText() + " (host price " + h.path("hostPrice").asLong() + ")"));
            m.put("hosts", hosts.isEmpty() ? "(none)" : String.join(", ", hosts));
            m.put("servedByThisNode", servingState(client));
            if (verify || expectDigest != null) {
                ModelVersion proven = verifyProof(client, model);
                m.put("verified", "state proof checked against block " + model.path("proof").path("blockHeight").asLong()
                        + " (" + model.path("proof").path("blockHash").asText() + "), a header the light client verified; " + finality);
                if (expectDigest != null && !proven.registration().artifactDigest().equals(Hash.fromHex(expectDigest))) {
                    throw new CliException("proven digest " + proven.registration().artifactDigest() + " differs from " + expectDigest);
                }
            }
            Output.print(json.json, m);
            return 0;
        }

        /** What the node's inference server says about this version: ready, or why not (a failed load's reason). */
        private String servingState(NodeClient client) {
            String path = "v2/models/" + name + (version == null ? "" : "/versions/" + version) + "/ready";
            JsonNode r = client.getAnyStatus(path);
            if (r.path("ready").asBoolean(false)) return "yes, ready";
            if (r.hasNonNull("reason")) return "no: " + r.path("error").asText(r.path("reason").asText());
            return "no" + (r.hasNonNull("error") ? ": " + r.path("error").asText() : "");
        }

        /**
         * Checks the proof against the state root of a header the light client verified by consensus (not one fetched
         * from the same node), and that the proven bytes are the model shown.
         */
        private ModelVersion verifyProof(NodeClient client, JsonNode model) {
            JsonNode proof = model.path("proof");
            Hash blockHash = Hash.fromHex(proof.path("blockHash").asText());
            long height = proof.path("blockHeight").asLong();
            LightClient.Synced synced = light.client(client).syncTo(height, 10_000);
            Header header = synced.require(height, blockHash, "the node's state proof");
            finality = synced.rules().finality(synced.chain(), height);
            byte[] value = Hex.decode(proof.path("value").asText());
            Bytes key = StateKeys.modelVersion(model.path("name").asText(), model.path("version").asText());
            SmtProof smt = SmtProof.decode(Hex.decode(proof.path("encoded").asText()));
            if (!smt.verifyInclusion(header.stateRoot(), Sha256.hash(key.unsafeArray()), Sha256.hash(value))) {
                throw new CliException("state proof does NOT verify against block " + blockHash);
            }
            ModelVersion proven = ModelVersion.decode(value);
            if (!proven.registration().artifactDigest().toHex().equals(model.path("artifactDigest").asText())) {
                throw new CliException("the node showed a digest that differs from the proven one");
            }
            return proven;
        }
    }
}
