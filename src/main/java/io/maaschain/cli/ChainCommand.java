package io.maaschain.cli;

import io.maaschain.chain.Blockchain;
import io.maaschain.chain.ChainArchive;
import io.maaschain.chain.ChainVerifier;
import io.maaschain.chain.ImportResult;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.node.DevSetup;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.txpool.VerifiedSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chain", description = "Verify, export and import a whole chain.",
        subcommands = {ChainCommand.Verify.class, ChainCommand.Export.class, ChainCommand.Import.class, ChainCommand.Backup.class,
                ChainCommand.Restore.class})
final class ChainCommand {

    static Path databaseDir(Path dataDir) {
        return dataDir.resolve("db");
    }

    static Genesis genesisOf(Path dataDir, Path genesisFile) throws IOException {
        Path g = genesisFile != null ? genesisFile : dataDir.resolve(DevSetup.GENESIS);
        if (!Files.exists(g)) throw new CliException("no genesis file at " + g + " (pass --genesis FILE)");
        return GenesisParser.parse(CliFiles.readText(g, "genesis file", 16L << 20));
    }

    static void requireDatabase(Path dataDir) {
        if (!Files.isDirectory(databaseDir(dataDir))) throw new CliException("no node database under " + dataDir);
    }

    static final class Progress {
        private final boolean enabled;
        private long last;

        Progress(boolean enabled) {
            this.enabled = enabled;
        }

        void at(long height) {
            long now = System.nanoTime();
            if (enabled && now - last > 250_000_000L) {
                System.err.printf("\r%s block %d", "verified", height);
                last = now;
            }
        }

        void done() {
            if (enabled && last != 0) System.err.println();
        }
    }

    static final class Source {
        @Option(names = "--data-dir", description = "A node data directory.") Path dataDir;
        @Option(names = "--file", description = "A chain export file.") Path file;
    }

    @Command(name = "verify", description = "Re-validate everything from genesis: hash links, Merkle roots, signatures, seals and state roots."
            + " With --data-dir, opens the database read-only (changes no file), checks the checksum of every block of every"
            + " table file and that the write-ahead log is whole. Names the first bad block or the damage and exits 1 if anything"
            + " was altered or lost.")
    static final class Verify implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1") Source source;
        @Option(names = "--genesis", description = "Genesis file (default: <data-dir>/genesis.json).") Path genesisFile;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            Progress progress = new Progress(!json.json);
            ChainVerifier.Report report;
            if (source.dataDir != null) {
                requireDatabase(source.dataDir);
                Genesis genesis = genesisOf(source.dataDir, genesisFile);
                ConsensusEngine engine = ConsensusFactory.create(genesis);
                RocksDbStore.requireNotHeldByAnotherProcess(databaseDir(source.dataDir));
                Optional<String> damage = DatabaseDamage.find(databaseDir(source.dataDir));
                if (damage.isPresent()) {
                    progress.done();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ok", false);
                    m.put("problem", damage.get());
                    Output.print(json.json, m);
                    return 1;
                }
                try (RocksDbStore store = RocksDbStore.openReadOnly(databaseDir(source.dataDir), RocksDbStore.WalCheck.STRICT)) {
                    report = new ChainVerifier(genesis, engine, System.currentTimeMillis()).verifyDatabase(store, progress::at);
                }
            } else {
                try (InputStream in = Files.newInputStream(source.file); ChainArchive.Reader reader = new ChainArchive.Reader(in)) {
                    Genesis genesis = GenesisParser.parse(reader.genesisJson());
                    ChainVerifier verifier = new ChainVerifier(genesis, ConsensusFactory.create(genesis), System.currentTimeMillis());
                    long[] expected = {1};
                    report = verifier.verify(height -> {
                        if (height != expected[0]) throw new IllegalStateException("out of order read");
                        expected[0]++;
                        return reader.nextBlock();
                    }, progress::at);
                }
            }
            progress.done();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", report.ok());
            m.put("blocksVerified", report.blocksVerified());
            m.put("headHash", report.headHash().toHex());
            if (!report.ok()) {
                m.put("firstBadBlock", report.firstBadHeight());
                m.put("problem", report.problem());
            }
            Output.print(json.json, m);
            return report.ok() ? 0 : 1;
        }
    }

    @Command(name = "export", description = "Write the canonical chain to a portable file (also a backup).")
    static final class Export implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "The node data directory.") Path dataDir;
        @Option(names = "--out", required = true, description = "File to write.") Path out;
        @Option(names = "--genesis", description = "Genesis file (default: <data-dir>/genesis.json).") Path genesisFile;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            requireDatabase(dataDir);
            Genesis genesis = genesisOf(dataDir, genesisFile);
            long blocks;
            try (RocksDbStore store = RocksDbStore.open(databaseDir(dataDir));
                 Blockchain chain = Blockchain.open(store, genesis, ConsensusFactory.create(genesis), new VerifiedSignatures(100_000));
                 OutputStream os = Files.newOutputStream(out)) {
                long head = chain.head().height();
                ChainArchive.Writer writer = new ChainArchive.Writer(os, genesis.canonicalJson());
                for (long h = 1; h <= head; h++) writer.writeBlock(chain.index().blockBytes(chain.index().canonicalHash(h)));
                blocks = writer.blocks();
                writer.close();
            }
            Output.print(json.json, Map.of("blocks", blocks, "file", out.toString()));
            return 0;
        }
    }

    @Command(name = "import", description = "Import a chain export into a data directory, validating every block.")
    static final class Import implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "The node data directory (created if missing).") Path dataDir;
        @Option(names = "--file", required = true, description = "A chain export file.") Path file;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            long imported = 0;
            long known = 0;
            try (InputStream in = Files.newInputStream(file); ChainArchive.Reader reader = new ChainArchive.Reader(in)) {
                Genesis genesis = GenesisParser.parse(reader.genesisJson());
                Files.createDirectories(dataDir);
                Path genesisFile = dataDir.resolve(DevSetup.GENESIS);
                if (Files.exists(genesisFile) && !Files.readString(genesisFile).equals(reader.genesisJson())) {
                    throw new CliException(dataDir + " holds a different genesis than the export");
                }
                Progress progress = new Progress(!json.json);
                try (RocksDbStore store = RocksDbStore.open(databaseDir(dataDir));
                     Blockchain chain = Blockchain.open(store, genesis, ConsensusFactory.create(genesis), new VerifiedSignatures(100_000))) {
                    if (!Files.exists(genesisFile)) Files.writeString(genesisFile, reader.genesisJson());
                    for (byte[] bytes; (bytes = reader.nextBlock()) != null; ) {
                        Block block = BlockCodec.decode(bytes);
                        try {
                            if (chain.importBlock(block, System.currentTimeMillis()) == ImportResult.ALREADY_KNOWN) known++;
                            else imported++;
                        } catch (Rejection r) {
                            throw new CliException("block " + block.height() + " (" + block.hash() + ") rejected: " + r);
                        }
                        progress.at(block.height());
                    }
                    progress.done();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("imported", imported);
                    m.put("alreadyKnown", known);
                    m.put("height", chain.head().height());
                    m.put("headHash", chain.head().hash().toHex());
                    Output.print(json.json, m);
                }
            }
            return 0;
        }
    }

    @Command(name = "backup", description = "Back up a node data directory, running or stopped: the database (chain, state,"
            + " receipts) as a consistent RocksDB checkpoint, the genesis, API keys and artifacts; keys only with --include-keys.")
    static final class Backup implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "The node data directory.") Path dataDir;
        @Option(names = "--out", required = true, description = "A new directory for the backup.") Path out;
        @Option(names = "--include-keys", description = "Also copy the node key, dev key and signing history (secrets: protect the backup).")
        boolean includeKeys;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            requireDatabase(dataDir);
            Path target = out.toAbsolutePath();
            if (Files.exists(target)) throw new CliException(target + " exists; a backup goes into a new directory");
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("command", "backup");
            request.put("out", target.toString());
            request.put("includeKeys", includeKeys);
            // A running node holds the database lock: it takes the checkpoint itself, asked over its admin socket.
            Optional<com.fasterxml.jackson.databind.JsonNode> running = io.maaschain.node.AdminSocket.request(dataDir, request);
            if (running.isPresent()) {
                if (!running.get().path("ok").asBoolean()) throw new CliException("the node refused the backup: " + running.get().path("error").asText());
                Output.print(json.json, io.maaschain.api.Json.MAPPER.convertValue(running.get(), Map.class));
                return 0;
            }
            try (RocksDbStore store = RocksDbStore.open(databaseDir(dataDir))) {
                Output.print(json.json, io.maaschain.node.NodeBackup.create(store, dataDir, target, includeKeys));
            } catch (io.maaschain.storage.StorageException e) {
                throw new CliException("cannot open the database of " + dataDir + " (" + e.getMessage() + "); if a node runs there, "
                        + "its admin socket " + io.maaschain.node.AdminSocket.FILE + " did not answer");
            }
            return 0;
        }
    }

    @Command(name = "restore", description = "Restore a backup made by 'chain backup' into a new data directory.")
    static final class Restore implements Callable<Integer> {
        @Option(names = "--from", required = true, description = "The backup directory.") Path from;
        @Option(names = "--data-dir", required = true, description = "The data directory to restore into (must hold no database).") Path dataDir;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            try {
                Output.print(json.json, io.maaschain.node.NodeBackup.restore(from, dataDir));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            return 0;
        }
    }
}
