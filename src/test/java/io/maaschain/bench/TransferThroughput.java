package io.maaschain.bench;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.codec.Hex;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.node.DevSetup;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jdk.jfr.Recording;

/**
 * End-to-end transfer throughput on one node: signed transfers committed per second, from submission to a committed
 * block. Not JMH: it measures a pipeline (admission, block building, sealing, import, RocksDB commit), not a method.
 *
 * <pre>
 *   TransferThroughput inprocess [--senders 2000] [--txs 100000] [--batch 5000] [--block-txs 10000] [--sequential]
 *   TransferThroughput rest --jar target/maaschain.jar [--java PATH] [--block-interval-ms 200] [--clients 1]
 *                           [--genesis dev|regtest] [--node-jvm-arg ARG]...
 *   common: [--warmup-txs 20000] [--recipients fresh|senders] [--no-profile] [--report FILE.md] [--keep-jfr FILE.jfr]
 * </pre>
 *
 * <p><b>inprocess</b>: RocksDbStore in a temp dir, {@link Blockchain} with a {@link VerifiedSignatures} cache, a
 * {@link TxPool} and a {@link BlockBuilder}, as {@code node.Node} wires them, on a regtest-target genesis (sealing
 * takes ~2 hash attempts). All transfers are signed before the clock starts. A submitter thread feeds
 * {@code TxPool.addAll} in batches while a producer thread does select, build, seal and import back to back (as the
 * node's producer does when the pool holds a full block); {@code --sequential} does both on one thread instead,
 * so the phase times add up to the total. Reported: tx/s, wall time per phase, and a JFR CPU-sample breakdown.
 *
 * <p><b>rest</b>: starts {@code java -jar maaschain.jar dev} in a temp dir, funds the senders from the dev key with
 * one batch, then POSTs pre-signed transfers to {@code /api/v1/txs/batch} and polls {@code /api/v1/status} until
 * the pool is empty; the last sender's nonce then confirms that everything was committed. {@code --genesis regtest}
 * writes a dev genesis with the regtest target into the data directory first, so that mining costs nothing.
 *
 * <p>Prints a human-readable report and one {@code RESULT ...} line per measured figure for bench/run.sh.
 */
public final class TransferThroughput {
    static final long FEE = 1;

    private TransferThroughput() {}

    // ------------------------------------------------------------------------------------------------ options

    static final class Options {
        String mode;
        int senders = 2000;
        int txs = 100_000;
        int warmupTxs = 20_000;
        int batch = 5000;
        int blockTxs = 10_000;
        boolean sequential;
        boolean profile = true;
        boolean freshRecipients = true;
        Path jar = Path.of("target/maaschain.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        long blockIntervalMs = 200;
        int clients = 1;
        boolean regtestGenesis;
        List<String> nodeJvmArgs = new ArrayList<>(List.of("-Xmx3g"));
        Path report;
        Path keepJfr;

        static Options parse(String[] args) {
            Options o = new Options();
            if (args.length == 0) usage("missing mode");
            o.mode = args[0];
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--senders" -> o.senders = Integer.parseInt(args[++i]);
                    case "--txs" -> o.txs = Integer.parseInt(args[++i]);
                    case "--warmup-txs" -> o.warmupTxs = Integer.parseInt(args[++i]);
                    case "--batch" -> o.batch = Integer.parseInt(args[++i]);
                    case "--block-txs" -> o.blockTxs = Integer.parseInt(args[++i]);
                    case "--sequential" -> o.sequential = true;
                    case "--no-profile" -> o.profile = false;
                    case "--recipients" -> o.freshRecipients = switch (args[++i]) {
                        case "fresh" -> true;
                        case "senders" -> false;
                        default -> throw usage("--recipients is fresh or senders");
                    };
                    case "--jar" -> o.jar = Path.of(args[++i]);
                    case "--java" -> o.java = args[++i];
                    case "--block-interval-ms" -> o.blockIntervalMs = Long.parseLong(args[++i]);
                    case "--clients" -> o.clients = Integer.parseInt(args[++i]);
                    case "--genesis" -> o.regtestGenesis = switch (args[++i]) {
                        case "dev" -> false;
                        case "regtest" -> true;
                        default -> throw usage("--genesis is dev or regtest");
                    };
                    case "--node-jvm-arg" -> o.nodeJvmArgs.add(args[++i]);
                    case "--report" -> o.report = Path.of(args[++i]);
                    case "--keep-jfr" -> o.keepJfr = Path.of(args[++i]);
                    default -> throw usage("unknown option " + a);
                }
            }
            if (!o.mode.equals("inprocess") && !o.mode.equals("rest")) throw usage("mode is inprocess or rest");
            if (o.txs < o.senders) throw usage("--txs must be at least --senders");
            return o;
        }

        static IllegalArgumentException usage(String why) {
            System.err.println("TransferThroughput: " + why);
            System.err.println("usage: TransferThroughput inprocess|rest [--senders N] [--txs N] [--warmup-txs N] [--batch N] [--block-txs N]"
                    + " [--sequential] [--no-profile] [--recipients fresh|senders] [--jar PATH] [--java PATH] [--block-interval-ms MS]"
                    + " [--clients N] [--genesis dev|regtest] [--node-jvm-arg ARG] [--report FILE] [--keep-jfr FILE]");
            System.exit(2);
            return new IllegalArgumentException(why);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Report report = new Report();
        if (o.mode.equals("inprocess")) InProcess.run(o, report);
        else Rest.run(o, report);
        if (o.report != null) Files.writeString(o.report, String.join("\n", report.lines) + "\n");
    }

    // ------------------------------------------------------------------------------------------------ workload

    /** Senders with deterministic keys, and pre-signed transfers from them. */
    static final class Workload {
        final List<KeyPair> senders;
        final List<Address> senderAddresses;
        final boolean freshRecipients;

        Workload(int senders, boolean freshRecipients) {
            this.senders = IntStream.range(0, senders).parallel()
                    .mapToObj(i -> KeyPair.fromSeed(Sha256.hash(("bench sender " + i).getBytes(StandardCharsets.UTF_8)).toBytes())).toList();
            this.senderAddresses = this.senders.stream().map(KeyPair::address).toList();
            this.freshRecipients = freshRecipients;
        }

        static Address freshRecipient(String round, long i) {
            return Address.wrap(Arrays.copyOf(Sha256.hash(("bench recipient " + round + " " + i).getBytes(StandardCharsets.UTF_8)).toBytes(), Address.LENGTH));
        }

        /**
         * {@code perSender} transfers from every sender with nonces {@code firstNonce...}, ordered nonce by nonce
         * (all senders' first nonce, then all senders' second, ...), as many independent clients would send them.
         */
        List<Transaction> transfers(long chainId, long firstNonce, int perSender, String round) {
            int n = senders.size();
            return IntStream.range(0, n * perSender).parallel().mapToObj(idx -> {
                int s = idx % n;
                long k = idx / n;
                Address to = freshRecipients ? freshRecipient(round, idx) : senderAddresses.get((int) ((s + 1 + k % (n - 1)) % n));
                KeyPair key = senders.get(s);
                return new UnsignedTransaction(chainId, key.publicKey(), firstNonce + k, FEE, new Transfer(to, 1)).sign(key);
            }).toList();
        }
    }

    static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) out.add(all.subList(i, Math.min(all.size(), i + size)));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ in-process

    static final class InProcess {
        /** Wall time per phase, summed over calls (per thread: the submitter and the producer overlap when pipelined). */
        final Map<String, LongAdder> phases = new LinkedHashMap<>();
        final LongAdder sigNanos = new LongAdder();
        final LongAdder sigCalls = new LongAdder();
        long blocks;
        long committed;
        long rejected;
        String firstRejection;
        int maxBlock;

        InProcess() {
            for (String p : List.of("pool.addAll (submitter)", "pool.select", "BlockBuilder.build", "seal (regtest PoW)",
                    "Blockchain.importOwnBlock (excl. listener)", "pool.onHeadChanged (listener)")) phases.put(p, new LongAdder());
        }

        static void run(Options o, Report report) throws Exception {
            Workload w = new Workload(o.senders, o.freshRecipients);
            report.line("");
            report.line("### Transfers committed per second, in-process (%s)", o.sequential ? "sequential: submit, then build+import, one thread"
                    : "pipelined: a submitter thread and a producer thread, as in the node");
            report.machine();
            report.line("");
            report.line("workload: %d senders, %s recipients, fee %d, amount 1; pool batches of %d; at most %d transactions per block; "
                    + "RocksDB (sync writes) in a temp dir; regtest PoW target", o.senders, o.freshRecipients ? "fresh (one new account per transfer)"
                    : "existing (other senders)", FEE, o.batch, o.blockTxs);
            if (o.warmupTxs > 0) {
                System.out.printf("warm-up run: %d transfers%n", o.warmupTxs);
                new InProcess().once(o, w, o.warmupTxs, false, null, "warmup");
            }
            System.out.printf("measured run: %d transfers%n", o.txs);
            new InProcess().once(o, w, o.txs, o.profile, report, "measured");
        }

        void once(Options o, Workload w, int txCount, boolean profile, Report report, String round) throws Exception {
            int perSender = Math.ceilDiv(txCount, o.senders);
            long now = System.currentTimeMillis();
            Genesis genesis = GenesisParser.parse(genesisJson(w, Math.max(o.blockTxs, 1000), now - 3_600_000));
            long t0 = System.nanoTime();
            List<Transaction> txs = w.transfers(genesis.params().chainId(), 0, perSender, round);
            long signNanos = System.nanoTime() - t0;
            Address lastSender = w.senderAddresses.getLast();
            measure(o, genesis, List.of(), txs, signNanos, state -> {
                long actualNonce = new WorldState(state).account(lastSender).nonce();
                return actualNonce == perSender ? null : "last sender's nonce " + actualNonce + " (expected " + perSender + ")";
            }, profile, report, round, o.sequential ? "inprocess-sequential" : "inprocess", Noun.TRANSFERS);
        }

        /** What a measured round did, for a caller that compares rounds (ContractThroughput). */
        record Measured(long committed, double seconds, double tps, double cores, double cpuUsPerTx) {}

        /** How the report names what is committed. */
        record Noun(String plural, String singular) {
            static final Noun TRANSFERS = new Noun("transfers", "transfer");
        }

        /**
         * Opens a fresh chain on {@code genesis}, commits the {@code setup} stages one after the other (untimed: each
         * stage is in blocks before the next is submitted), then measures committing {@code txs} (pre-signed) from
         * submission to committed blocks. {@code incomplete} looks at the head state afterwards and says what was not
         * committed, or null. Prints the report and a RESULT line with {@code mode} when {@code report} is not null.
         */
        Measured measure(Options o, Genesis genesis, List<List<Transaction>> setup, List<Transaction> txs, long signNanos,
                         Function<StateReader, String> incomplete, boolean profile, Report report, String round, String mode,
                         Noun noun) throws Exception {
            Path dir = Files.createTempDirectory("maaschain-tps-");
            try {
                List<List<Transaction>> batches = batches(txs, o.batch);

                TimedStore store = new TimedStore(RocksDbStore.open(dir.resolve("db")));
                VerifiedSignatures cache = new VerifiedSignatures(1_000_000);
                SignatureCheck sigs = new SignatureCheck() {
                    @Override
                    public boolean isValid(Transaction tx) {
                        long t = System.nanoTime();
                        try {
                            return cache.isValid(tx);
                        } finally {
                            sigNanos.add(System.nanoTime() - t);
                            sigCalls.increment();
                        }
                    }

                    @Override
                    public void checkAhead(List<Transaction> txs) {
                        long t = System.nanoTime();
                        try {
                            cache.checkAhead(txs);
                        } finally {
                            sigNanos.add(System.nanoTime() - t);
                        }
                    }
                };
                try (Blockchain chain = Blockchain.open(store, genesis, ConsensusFactory.create(genesis), sigs)) {
                    TxPool pool = new TxPool(chain.transition(), sigs, new TxPool.Limits(Math.max(200_000, txs.size()), 10_000, 10_000));
                    chain.addListener((removed, added, head) -> timed("pool.onHeadChanged (listener)",
                            () -> pool.onHeadChanged(removed, added, chain.headState())));
                    BlockBuilder builder = new BlockBuilder(chain, sigs);
                    Address proposer = Workload.freshRecipient("proposer", 0);
                    for (List<Transaction> stage : setup) {
                        for (List<Transaction> b : batches(stage, o.batch)) submit(pool, chain, b);
                        while (pool.size() > 0 && produce(pool, chain, builder, proposer, o.blockTxs)) { }
                        if (rejected > 0 || pool.size() > 0) {
                            throw new IllegalStateException("set-up stage not committed: " + rejected + " rejected (first: " + firstRejection + "), " + pool.size() + " left in the pool");
                        }
                    }
                    phases.values().forEach(LongAdder::reset);
                    blocks = 0;
                    committed = 0;
                    maxBlock = 0;
                    store.reset();
                    sigNanos.reset();
                    sigCalls.reset();

                    Recording rec = null;
                    if (profile) {
                        rec = new Recording();
                        rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
                        rec.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
                        rec.start();
                    }
                    long gc0 = gcMillis();
                    long cpu0 = processCpuNanos();
                    Instant wallStart = Instant.now();
                    long start = System.nanoTime();
                    if (o.sequential) {
                        for (int i = 0; i < batches.size(); i++) {
                            submit(pool, chain, batches.get(i));
                            boolean last = i == batches.size() - 1;
                            while (pool.size() >= o.blockTxs || (last && pool.size() > 0)) {
                                if (!produce(pool, chain, builder, proposer, o.blockTxs)) break;
                            }
                        }
                    } else {
                        AtomicLong submitted = new AtomicLong(-1);
                        Thread producer = new Thread(() -> {
                            while (true) {
                                if (pool.size() == 0) {
                                    if (submitted.get() >= 0) break;
                                    LockSupport.parkNanos(100_000);
                                    continue;
                                }
                                if (!produce(pool, chain, builder, proposer, o.blockTxs)) {
                                    if (submitted.get() >= 0) break; // what is left can never be included
                                    LockSupport.parkNanos(1_000_000);
                                }
                            }
                        }, "bench-producer");
                        producer.start();
                        for (List<Transaction> b : batches) submit(pool, chain, b);
                        submitted.set(txs.size());
                        producer.join();
                    }
                    long elapsed = System.nanoTime() - start;
                    Instant wallEnd = Instant.now();
                    long cpu = processCpuNanos() - cpu0;
                    long gc = gcMillis() - gc0;
                    if (rec != null) rec.stop();

                    String missing = incomplete.apply(chain.headState());
                    double tps = committed / (elapsed / 1e9);
                    System.out.printf(Locale.ROOT, "%s: %d of %d %s committed in %d blocks, %.3f s -> %.0f tx/s%n",
                            round, committed, txs.size(), noun.plural(), blocks, elapsed / 1e9, tps);
                    if (committed != txs.size() || missing != null) {
                        throw new IllegalStateException("not everything was committed: " + committed + " of " + txs.size()
                                + ", " + missing + ", " + rejected + " rejected at admission, first: " + firstRejection);
                    }
                    Measured measured = new Measured(committed, elapsed / 1e9, tps, (double) cpu / elapsed, cpu / 1e3 / committed);
                    if (report == null) return measured;

                    report.line("");
                    report.line("pre-signing %d %s (not timed): %.1f s", txs.size(), noun.plural(), signNanos / 1e9);
                    report.line("");
                    report.line("**%,.0f %s/s**: %,d %s committed in %d blocks (largest %,d) in %.3f s; process CPU %.2f s = %.2f cores busy, "
                            + "**%.1f µs of CPU per %s**; GC %d ms; load average after %s", tps, noun.plural(), committed, noun.plural(), blocks, maxBlock,
                            elapsed / 1e9, cpu / 1e9, (double) cpu / elapsed, cpu / 1e3 / committed, noun.singular(), gc, loadAverage());
                    report.line("");
                    report.line("wall time per phase (%s):", o.sequential ? "one thread, so these add up to the total"
                            : "submitter and producer threads overlap, so these add up to more than the total");
                    report.line("");
                    report.line("| phase | total s | share of wall | per tx µs |");
                    report.line("|---|---:|---:|---:|");
                    phases.forEach((k, v) -> report.line(Locale.ROOT, "| %s | %.3f | %.1f %% | %.2f |", k, v.sum() / 1e9, 100.0 * v.sum() / elapsed, v.sum() / 1e3 / committed));
                    report.line(Locale.ROOT, "| ...of which SignatureCheck calls (all threads, incl. cache hits; %,d calls) | %.3f | %.1f %% | %.2f |",
                            sigCalls.sum(), sigNanos.sum() / 1e9, 100.0 * sigNanos.sum() / elapsed, sigNanos.sum() / 1e3 / committed);
                    report.line(Locale.ROOT, "| ...of which RocksDB reads (%,d gets) | %.3f | %.1f %% | %.2f |",
                            store.reads.sum(), store.readNanos.sum() / 1e9, 100.0 * store.readNanos.sum() / elapsed, store.readNanos.sum() / 1e3 / committed);
                    report.line(Locale.ROOT, "| ...of which RocksDB batch assembly (%,d puts/deletes) | %.3f | %.1f %% | %.2f |",
                            store.batchOps.sum(), store.batchNanos.sum() / 1e9, 100.0 * store.batchNanos.sum() / elapsed, store.batchNanos.sum() / 1e3 / committed);
                    report.line(Locale.ROOT, "| ...of which RocksDB commits (%d, sync=true) | %.3f | %.1f %% | %.2f |",
                            store.commits.sum(), store.commitNanos.sum() / 1e9, 100.0 * store.commitNanos.sum() / elapsed, store.commitNanos.sum() / 1e3 / committed);
                    if (rec != null) {
                        Path jfr = dir.resolve("profile.jfr");
                        rec.dump(jfr);
                        rec.close();
                        if (o.keepJfr != null) Files.copy(jfr, o.keepJfr, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        JfrBreakdown b = JfrBreakdown.read(jfr, wallStart, wallEnd);
                        report.line("");
                        report.line("CPU samples by category (JFR, 10 ms, all threads, %d samples; native RocksDB calls included):", b.total());
                        report.line("");
                        report.line("```");
                        b.format("").forEach(report::line);
                        report.line("```");
                        b.shares().forEach((k, v) -> System.out.printf(Locale.ROOT, "BREAKDOWN mode=%s category=\"%s\" share=%.4f%n", mode, k, v));
                    }
                    System.out.printf(Locale.ROOT, "RESULT mode=%s tps=%.1f txs=%d seconds=%.3f blocks=%d cores=%.2f cpu_us_per_tx=%.1f%n", mode, tps, committed,
                            elapsed / 1e9, blocks, (double) cpu / elapsed, cpu / 1e3 / committed);
                    return measured;
                }
            } finally {
                deleteRecursively(dir);
            }
        }

        private void submit(TxPool pool, Blockchain chain, List<Transaction> batch) {
            long t = System.nanoTime();
            List<TxPool.Result> results = pool.addAll(batch, chain.headState());
            phases.get("pool.addAll (submitter)").add(System.nanoTime() - t);
            for (TxPool.Result r : results) {
                if (r.rejection() != null) {
                    rejected++;
                    if (firstRejection == null) firstRejection = r.rejection().toString();
                }
            }
        }

        /** One block: select, build, seal, import. Returns false if nothing could be included. */
        private boolean produce(TxPool pool, Blockchain chain, BlockBuilder builder, Address proposer, int max) {
            long t0 = System.nanoTime();
            List<Transaction> candidates = pool.select(max, chain.headState());
            long t1 = System.nanoTime();
            BlockBuilder.Template template = builder.build(candidates, proposer, System.currentTimeMillis());
            long t2 = System.nanoTime();
            Block block = TestChain.seal(template.block());
            long t3 = System.nanoTime();
            long listener0 = phases.get("pool.onHeadChanged (listener)").sum();
            try {
                chain.importOwnBlock(block, template, System.currentTimeMillis());
            } catch (Rejection r) {
                throw new IllegalStateException("own block rejected: " + r, r);
            }
            long t4 = System.nanoTime();
            long listener = phases.get("pool.onHeadChanged (listener)").sum() - listener0;
            phases.get("pool.select").add(t1 - t0);
            phases.get("BlockBuilder.build").add(t2 - t1);
            phases.get("seal (regtest PoW)").add(t3 - t2);
            phases.get("Blockchain.importOwnBlock (excl. listener)").add(t4 - t3 - listener);
            int n = block.transactions().size();
            blocks++;
            committed += n;
            maxBlock = Math.max(maxBlock, n);
            if (n == 0 && !template.skipped().isEmpty()) {
                throw new IllegalStateException("the builder skipped every candidate, e.g. " + template.skipped().getFirst());
            }
            return n > 0;
        }

        private void timed(String phase, Runnable r) {
            long t = System.nanoTime();
            r.run();
            phases.get(phase).add(System.nanoTime() - t);
        }

        static String genesisJson(Workload w, int maxBlockTxs, long timestamp) {
            StringBuilder alloc = new StringBuilder();
            for (Address a : w.senderAddresses) alloc.append(alloc.isEmpty() ? "" : ",").append('"').append(a).append("\": \"1000000000000\"");
            return """
                    {"chainId": 1337, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": %d, "maxBlockBytes": %d,
                     "consensus": {"kind": "pow", "powLimitBits": "0x207fffff", "initialBits": "0x207fffff",
                                   "targetBlockTimeMillis": 1000, "retargetInterval": 20, "noRetargeting": true, "blockReward": 1000},
                     "alloc": {%s}}
                    """.formatted(timestamp, maxBlockTxs, Math.max(16 << 20, maxBlockTxs * 400), alloc);
        }
    }

    // ------------------------------------------------------------------------------------------------ REST

    static final class Rest {
        private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
        private static final Pattern DETAIL = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"\\s*,\\s*\"detail\"\\s*:\\s*\"([^\"]*)\"");
        private static final long FUNDING = 100_000_000L;

        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;

        Rest(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        static void run(Options o, Report report) throws Exception {
            if (!Files.isRegularFile(o.jar)) throw new IllegalStateException(o.jar + " does not exist; run ./mvnw -o -q package -DskipTests first");
            Workload w = new Workload(o.senders, o.freshRecipients);
            Path dir = Files.createTempDirectory("maaschain-rest-");
            Path data = dir.resolve("data");
            Path log = dir.resolve("node.log");
            Path jfr = dir.resolve("node.jfr");
            if (o.regtestGenesis) writeRegtestDevFiles(data);
            int port = freePort();
            List<String> cmd = new ArrayList<>();
            cmd.add(o.java);
            cmd.addAll(o.nodeJvmArgs);
            if (o.profile) cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
            cmd.addAll(List.of("-jar", o.jar.toAbsolutePath().toString(), "dev", "--data-dir", data.toString(), "--http-port", String.valueOf(port),
                    "--block-interval-ms", String.valueOf(o.blockIntervalMs)));
            System.out.println("starting node: " + String.join(" ", cmd));
            Process node = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ok = false;
            try {
                Rest r = new Rest(port);
                r.awaitUp(node, Duration.ofSeconds(90));
                long chainId = r.number(r.status(), "chainId");
                KeyPair dev = KeyPem.privateKeyFromPem(Files.readString(data.resolve("dev.key")));

                // Fund every sender from the dev account (one nonce chain), and wait until it is committed.
                long devNonce = r.settledNonce(dev.address().toString());
                List<Transaction> funding = IntStream.range(0, o.senders).parallel().mapToObj(i -> new UnsignedTransaction(chainId, dev.publicKey(), devNonce + i, FEE,
                        new Transfer(w.senderAddresses.get(i), FUNDING)).sign(dev)).toList();
                System.out.printf("funding %d senders%n", o.senders);
                r.round(o, funding, 1, null);

                long nonce = 0;
                if (o.warmupTxs > 0) {
                    int per = Math.max(1, o.warmupTxs / o.senders);
                    List<Transaction> warm = w.transfers(chainId, nonce, per, "warmup");
                    System.out.printf("warm-up round: %d transfers%n", warm.size());
                    r.round(o, warm, 1, null);
                    nonce += per;
                }
                int per = Math.ceilDiv(o.txs, o.senders);
                long s0 = System.nanoTime();
                List<Transaction> txs = w.transfers(chainId, nonce, per, "measured");
                long signNanos = System.nanoTime() - s0;
                System.out.printf("measured round: %d transfers%n", txs.size());
                report.line("");
                report.line("### Transfers committed per second over REST (a real `maaschain dev` node process, %s)", o.regtestGenesis
                        ? "dev genesis with the regtest PoW target: sealing is ~free" : "dev genesis as shipped: the node mines at the dev difficulty");
                report.machine();
                report.line("");
                report.line("workload: %d senders (funded from the dev key first, then a %,d-transfer warm-up round), %s recipients, fee %d; "
                        + "`POST /api/v1/txs/batch` with %,d hex transactions per request from %d client thread(s) in this process; node flags "
                        + "`dev --block-interval-ms %d`, JVM args %s; pre-signing took %.1f s (not timed)", o.senders, o.warmupTxs,
                        o.freshRecipients ? "fresh" : "existing", FEE, o.batch, o.clients, o.blockIntervalMs, o.nodeJvmArgs, signNanos / 1e9);
                RoundResult m = r.round(o, txs, o.clients, node);
                double tps = m.committed / m.seconds;
                report.line("");
                report.line("**%,.0f transfers/s**: %,d transfers committed in %d blocks in %.3f s (all submitted after %.3f s, %.0f tx/s admission); "
                        + "node process CPU %.2f s = %.2f cores busy, **%.1f µs of node CPU per transfer**; load average after %s", tps, m.committed, m.blocks,
                        m.seconds, m.submitSeconds, m.committed / m.submitSeconds, m.nodeCpuSeconds, m.nodeCpuSeconds / m.seconds,
                        m.nodeCpuSeconds * 1e6 / m.committed, loadAverage());
                System.out.printf(Locale.ROOT, "RESULT mode=rest" + (o.regtestGenesis ? "-regtest" : "") + " tps=%.1f txs=%d seconds=%.3f blocks=%d cores=%.2f cpu_us_per_tx=%.1f%n", tps, m.committed, m.seconds,
                        m.blocks, m.nodeCpuSeconds / m.seconds, m.nodeCpuSeconds * 1e6 / m.committed);

                node.destroy();
                if (!node.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) node.destroyForcibly();
                if (o.profile && Files.exists(jfr)) {
                    if (o.keepJfr != null) Files.copy(jfr, o.keepJfr, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    JfrBreakdown b = JfrBreakdown.read(jfr, m.wallStart, m.wallEnd);
                    report.line("");
                    report.line("node CPU samples by category during the measured round (JFR profile settings, 10 ms, %d samples):", b.total());
                    report.line("");
                    report.line("```");
                    b.format("").forEach(report::line);
                    report.line("```");
                    b.shares().forEach((k, v) -> System.out.printf(Locale.ROOT, "BREAKDOWN mode=rest" + (o.regtestGenesis ? "-regtest" : "") + " category=\"%s\" share=%.4f%n", k, v));
                }
                ok = true;
            } finally {
                if (node.isAlive()) {
                    node.destroy();
                    if (!node.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) node.destroyForcibly();
                }
                if (ok) {
                    deleteRecursively(dir);
                } else {
                    System.err.println("node log kept at " + log + "; last lines:");
                    try (Stream<String> lines = Files.lines(log)) {
                        List<String> all = lines.toList();
                        all.subList(Math.max(0, all.size() - 30), all.size()).forEach(System.err::println);
                    } catch (IOException | UncheckedIOException ignored) {
                        // best effort
                    }
                }
            }
        }

        /**
         * The dev genesis with the regtest target instead of the dev difficulty, so that sealing costs ~2 hash attempts
         * and the figure shows the transaction path alone. {@code dev} reuses a data directory's key and genesis.
         */
        static void writeRegtestDevFiles(Path data) throws IOException {
            Files.createDirectories(data);
            KeyPair key = KeyPair.generate(new java.security.SecureRandom());
            io.maaschain.storage.SecretFiles.writeOwnerOnly(data.resolve(DevSetup.DEV_KEY), KeyPem.privateKeyToPem(key));
            Files.writeString(data.resolve(DevSetup.GENESIS), """
                    {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 50000, "maxBlockBytes": 16777216,
                     "consensus": {"kind": "pow", "powLimitBits": "0x207fffff", "initialBits": "0x207fffff", "targetBlockTimeMillis": 1000,
                                   "retargetInterval": 20, "noRetargeting": true, "blockReward": 1000},
                     "alloc": {"%s": "%d"}}
                    """.formatted(DevSetup.DEV_CHAIN_ID, System.currentTimeMillis(), key.address(), DevSetup.DEV_BALANCE));
        }

        record RoundResult(long committed, double seconds, double submitSeconds, long blocks, double nodeCpuSeconds, Instant wallStart, Instant wallEnd) {}

        /** Submits everything, then waits until the pool is empty and checks that the last transaction was committed. */
        RoundResult round(Options o, List<Transaction> txs, int clients, Process node) throws Exception {
            List<byte[]> bodies = new ArrayList<>();
            for (List<Transaction> b : batches(txs, o.batch)) {
                StringBuilder sb = new StringBuilder(b.size() * 320 + 16).append("{\"txs\":[");
                for (int i = 0; i < b.size(); i++) sb.append(i == 0 ? "\"" : ",\"").append(Hex.encode(b.get(i).encoded())).append('"');
                bodies.add(sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII));
            }
            long height0 = number(status(), "height");
            long cpu0 = node == null ? 0 : cpuNanos(node);
            Instant wallStart = Instant.now();
            long start = System.nanoTime();
            LongAdder accepted = new LongAdder();
            AtomicLong next = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Void>> workers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    workers.add(pool.submit(() -> {
                        for (long i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) accepted.add(post(bodies.get((int) i)));
                        return null;
                    }));
                }
                for (Future<Void> f : workers) f.get();
            } finally {
                pool.shutdownNow();
            }
            long submitted = System.nanoTime();
            if (accepted.sum() != txs.size()) throw new IllegalStateException("only " + accepted.sum() + " of " + txs.size() + " transactions were accepted");
            long done;
            while (true) {
                Map<String, Object> s = status();
                if (number(s, "pendingTransactions") == 0) {
                    done = System.nanoTime();
                    break;
                }
                if (System.nanoTime() - start > 900e9) throw new IllegalStateException("still " + s.get("pendingTransactions") + " pending after 900 s");
                Thread.sleep(10);
            }
            Instant wallEnd = Instant.now();
            long cpu = node == null ? 0 : cpuNanos(node) - cpu0;
            // The node keeps producing (empty) blocks, so the height never settles for good: an empty pool plus the
            // last transaction's nonce being used means everything submitted is in a committed block.
            long height = number(status(), "height");
            Transaction last = txs.getLast();
            long nonce = number(get("/api/v1/accounts/" + last.sender()), "nonce");
            if (nonce <= last.nonce()) throw new IllegalStateException("the pool is empty but " + last.sender() + " has nonce " + nonce + ", expected " + (last.nonce() + 1));
            return new RoundResult(txs.size(), (done - start) / 1e9, (submitted - start) / 1e9, height - height0, cpu / 1e9, wallStart, wallEnd);
        }

        private long post(byte[] body) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/txs/batch")).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) throw new IllegalStateException("batch POST answered " + r.statusCode() + ": " + r.body().substring(0, Math.min(500, r.body().length())));
            Matcher m = ACCEPTED.matcher(r.body());
            if (!m.find()) throw new IllegalStateException("no 'accepted' in the batch answer");
            long n = Long.parseLong(m.group(1));
            Matcher d = DETAIL.matcher(r.body());
            if (d.find()) System.err.println("rejected: " + d.group(1) + ": " + d.group(2));
            return n;
        }

        Map<String, Object> status() throws IOException, InterruptedException {
            return get("/api/v1/status");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            return MAPPER.readValue(r.body(), Map.class);
        }

        /**
         * The account's next nonce once the dev node's own start-up transactions (it registers and hosts the demo model
         * from the dev key) are all committed: committed and pool nonces agree and stay put for a second.
         */
        long settledNonce(String address) throws Exception {
            long previous = -1;
            for (int i = 0; i < 120; i++) {
                Map<String, Object> a = get("/api/v1/accounts/" + address);
                long committed = number(a, "nonce");
                if (committed == number(a, "nextNonce") && committed == previous) return committed;
                previous = committed;
                Thread.sleep(1000);
            }
            throw new IllegalStateException("the dev account's transactions did not settle within 2 minutes");
        }

        long number(Map<String, Object> m, String field) {
            Object v = m.get(field);
            if (!(v instanceof Number n)) throw new IllegalStateException("no number '" + field + "' in " + m);
            return n.longValue();
        }

        void awaitUp(Process node, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!node.isAlive()) throw new IllegalStateException("the node exited with status " + node.exitValue());
                try {
                    status();
                    return;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("the node did not answer within " + timeout, e);
                    Thread.sleep(200);
                }
            }
        }

        static long cpuNanos(Process p) {
            return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static final class Report {
        final List<String> lines = new ArrayList<>();

        void machine() {
            line("");
            line("machine: %d CPUs, JVM %s (%s), load average at start %s", Runtime.getRuntime().availableProcessors(),
                    Runtime.version(), System.getProperty("java.vm.name"), loadAverage());
        }

        void line(String fmt, Object... args) {
            String s = args.length == 0 ? fmt : String.format(Locale.ROOT, fmt, args);
            lines.add(s);
            System.out.println(s);
        }

        void line(Locale l, String fmt, Object... args) {
            line(String.format(l, fmt, args));
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, b.getCollectionTime());
        return t;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) return os.getProcessCpuTime();
        return 0;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
