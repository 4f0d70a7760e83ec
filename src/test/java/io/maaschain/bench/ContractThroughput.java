package io.maaschain.bench;

import io.maaschain.bench.TransferThroughput.InProcess;
import io.maaschain.bench.TransferThroughput.InProcess.Measured;
import io.maaschain.bench.TransferThroughput.InProcess.Noun;
import io.maaschain.bench.TransferThroughput.Options;
import io.maaschain.bench.TransferThroughput.Report;
import io.maaschain.bench.TransferThroughput.Workload;
import io.maaschain.contracts.CallStatus;
import io.maaschain.contracts.TestContracts;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.CallContract;
import io.maaschain.ledger.tx.DeployCode;
import io.maaschain.ledger.tx.Instantiate;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.state.ContractRecords;
import io.maaschain.state.StateReader;
import io.maaschain.state.TxResult;
import io.maaschain.state.WorldState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Contract calls committed per second beside native transfers, in one JVM and one run: the same in-process pipeline
 * as {@code TransferThroughput inprocess} (RocksDB on disk, {@code TxPool}, {@code BlockBuilder}, real import,
 * signatures verified), once with transfers and once with {@code CallContract} transactions calling the
 * {@code increment} of {@link TestContracts#multi()} (read a storage counter, add one, write it, return it).
 *
 * <pre>
 *   ContractThroughput [--contracts per-sender|shared] [--rounds 2] [TransferThroughput inprocess options...]
 * </pre>
 *
 * <p>{@code per-sender} (the default): every sender instantiates its own counter and calls only that one, so each call
 * writes a storage leaf of its own, as each transfer credits an account of its own; the state work per transaction is
 * then comparable. {@code shared}: one counter that every sender calls (a popular contract; all writes of a block land
 * on one leaf). The deploy and the instantiations are committed before the clock starts. Measured rounds alternate
 * the order (transfers then calls, calls then transfers) so that a change of load in the middle hits both; the ratio
 * is over the sums. Afterwards every counter must hold exactly the calls made to it and the last call's result must
 * be OK, or the run fails.
 *
 * <p>Prints a report and {@code RESULT mode=contract-calls ...} for bench/run.sh.
 */
public final class ContractThroughput {
    static final long CALL_GAS_LIMIT = 100_000;
    static final byte[] COUNTER_KEY = "c".getBytes(StandardCharsets.US_ASCII);
    private static final Noun CALLS = new Noun("contract calls", "contract call");

    private ContractThroughput() {}

    public static void main(String[] args) throws Exception {
        boolean shared = false;
        int rounds = 2;
        List<String> rest = new ArrayList<>(List.of("inprocess"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contracts" -> shared = switch (args[++i]) {
                    case "per-sender" -> false;
                    case "shared" -> true;
                    default -> throw Options.usage("--contracts is per-sender or shared");
                };
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> rest.add(args[i]);
            }
        }
        Options o = Options.parse(rest.toArray(String[]::new));
        Report report = new Report();
        Workload w = new Workload(o.senders, o.freshRecipients);
        Calls calls = new Calls(w, TestContracts.multi(), shared);

        report.line("");
        report.line("### Contract calls committed per second beside transfers, in-process (%s)", o.sequential
                ? "sequential: submit, then build+import, one thread" : "pipelined: a submitter thread and a producer thread, as in the node");
        report.machine();
        report.line("");
        report.line("workload: %d senders; contract calls: `increment` of `TestContracts.multi()` (%d-byte module; storage read + write of an "
                + "8-byte counter, return it), %s, gas limit %,d, fee %d, value 0; transfers: amount 1 to %s recipients, fee %d; pool batches of %d; "
                + "at most %d transactions per block; RocksDB (sync writes) in a temp dir; regtest PoW target; each round on a fresh chain; "
                + "%d measured round(s) of each kind, alternating which goes first", o.senders, calls.code.length,
                shared ? "one counter shared by every sender (instantiated once)" : "one counter per sender (each sender instantiated its own)",
                CALL_GAS_LIMIT, TransferThroughput.FEE, o.freshRecipients ? "fresh" : "existing", TransferThroughput.FEE, o.batch, o.blockTxs, rounds);
        if (o.warmupTxs > 0) {
            System.out.printf("warm-up: %d transfers, then %d contract calls%n", o.warmupTxs, o.warmupTxs);
            transfers(o, w, o.warmupTxs, false, null, "warmup-transfers");
            calls.run(o, o.warmupTxs, false, null, "warmup-calls");
        }
        List<Measured> t = new ArrayList<>();
        List<Measured> c = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean callsFirst = r % 2 == 1;
            if (callsFirst) c.add(callRound(o, calls, r, report));
            t.add(transferRound(o, w, r, report));
            if (!callsFirst) c.add(callRound(o, calls, r, report));
        }
        double tTps = rate(t);
        double cTps = rate(c);
        double tCpu = cpuPerTx(t);
        double cCpu = cpuPerTx(c);
        StringBuilder perRound = new StringBuilder();
        for (int r = 0; r < rounds; r++) perRound.append(r == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", c.get(r).tps() / t.get(r).tps()));
        report.line("");
        report.line("**Contract calls: %,.0f tx/s against transfers %,.0f tx/s in the same run: ratio %.2f** (per round: %s); CPU per committed "
                + "transaction %.1f µs (calls) against %.1f µs (transfers): CPU-normalised ratio %.2f; load average after %s", cTps, tTps, cTps / tTps,
                perRound, cCpu, tCpu, tCpu / cCpu, TransferThroughput.loadAverage());
        System.out.printf(Locale.ROOT, "RESULT mode=contract-calls contracts=%s calls_tps=%.1f transfers_tps=%.1f ratio=%.3f calls_cpu_us_per_tx=%.1f "
                        + "transfers_cpu_us_per_tx=%.1f cpu_ratio=%.3f rounds=%d per_round=%s txs=%d%n", shared ? "shared" : "per-sender", cTps, tTps,
                cTps / tTps, cCpu, tCpu, tCpu / cCpu, rounds, perRound, o.txs);
        if (o.report != null) Files.writeString(o.report, String.join("\n", report.lines) + "\n");
    }

    private static Measured transferRound(Options o, Workload w, int r, Report report) throws Exception {
        System.out.printf("round %d: %d transfers%n", r + 1, o.txs);
        report.line("");
        report.line("#### Round %d: transfers", r + 1);
        return transfers(o, w, o.txs, o.profile, report, "round" + r + "-transfers");
    }

    private static Measured callRound(Options o, Calls calls, int r, Report report) throws Exception {
        System.out.printf("round %d: %d contract calls%n", r + 1, o.txs);
        report.line("");
        report.line("#### Round %d: contract calls", r + 1);
        return calls.run(o, o.txs, o.profile, report, "round" + r + "-calls");
    }

    private static double rate(List<Measured> ms) {
        return ms.stream().mapToLong(Measured::committed).sum() / ms.stream().mapToDouble(Measured::seconds).sum();
    }

    private static double cpuPerTx(List<Measured> ms) {
        return ms.stream().mapToDouble(m -> m.cpuUsPerTx() * m.committed()).sum() / ms.stream().mapToLong(Measured::committed).sum();
    }

    static Genesis genesis(Options o, Workload w) {
        return GenesisParser.parse(InProcess.genesisJson(w, Math.max(o.blockTxs, 1000), System.currentTimeMillis() - 3_600_000));
    }

    /** The transfer rounds: as {@code TransferThroughput inprocess} commits them. */
    static Measured transfers(Options o, Workload w, int count, boolean profile, Report report, String round) throws Exception {
        int perSender = Math.ceilDiv(count, o.senders);
        Genesis genesis = genesis(o, w);
        long t0 = System.nanoTime();
        List<Transaction> txs = w.transfers(genesis.params().chainId(), 0, perSender, round);
        long signNanos = System.nanoTime() - t0;
        Address lastSender = w.senderAddresses.getLast();
        return new InProcess().measure(o, genesis, List.of(), txs, signNanos, state -> {
            long nonce = new WorldState(state).account(lastSender).nonce();
            return nonce == perSender ? null : "last sender's nonce " + nonce + " (expected " + perSender + ")";
        }, profile, report, round, "contract-calls-transfers", Noun.TRANSFERS);
    }

    /** The contract-call rounds: the deploy and instantiations as set-up, then the timed calls to increment. */
    static final class Calls {
        final Workload w;
        final byte[] code;
        final Hash codeHash;
        final boolean shared;

        Calls(Workload w, byte[] code, boolean shared) {
            this.w = w;
            this.code = code;
            this.codeHash = Sha256.hash(code);
            this.shared = shared;
        }

        /** Sender 0 deploys at nonce 0; instantiating takes nonce 1 for sender 0 and nonce 0 for the others. */
        private long instantiateNonce(int s) {
            return s == 0 ? 1 : 0;
        }

        /** The counter sender {@code s} calls. */
        Address target(int s) {
            int owner = shared ? 0 : s;
            return ContractRecords.contractAddress(w.senderAddresses.get(owner), instantiateNonce(owner));
        }

        private long firstCallNonce(int s) {
            return shared && s != 0 ? 0 : instantiateNonce(s) + 1;
        }

        private static Transaction signed(long chainId, KeyPair key, long nonce, Payload p) {
            return new UnsignedTransaction(chainId, key.publicKey(), nonce, TransferThroughput.FEE, p).sign(key);
        }

        Measured run(Options o, int count, boolean profile, Report report, String round) throws Exception {
            int n = w.senders.size();
            int perSender = Math.ceilDiv(count, n);
            Genesis genesis = genesis(o, w);
            long chainId = genesis.params().chainId();
            List<Transaction> deploy = List.of(signed(chainId, w.senders.getFirst(), 0, new DeployCode(code, 1_000_000)));
            List<Transaction> instantiate = IntStream.range(0, shared ? 1 : n).parallel()
                    .mapToObj(s -> signed(chainId, w.senders.get(s), instantiateNonce(s), new Instantiate(codeHash, new byte[0], 0, 100_000))).toList();
            long t0 = System.nanoTime();
            List<Transaction> txs = IntStream.range(0, n * perSender).parallel().mapToObj(idx -> {
                int s = idx % n;
                long k = idx / n;
                return signed(chainId, w.senders.get(s), firstCallNonce(s) + k, new CallContract(target(s), "increment", new byte[0], 0, CALL_GAS_LIMIT));
            }).toList();
            long signNanos = System.nanoTime() - t0;
            Transaction last = txs.getLast();
            Function<StateReader, String> incomplete = state -> {
                byte[] result = state.get(ContractRecords.resultKey(last.hash()));
                if (result == null) return "no result for the last call";
                TxResult r = TxResult.decode(result);
                if (r.status() != CallStatus.OK) return "the last call ended " + r.status() + ": " + r.message();
                for (int s = 0; s < (shared ? 1 : n); s++) {
                    long expected = shared ? (long) n * perSender : perSender;
                    long counter = counter(state, target(s));
                    if (counter != expected) return "counter of " + target(s) + " is " + counter + ", expected " + expected;
                }
                return null;
            };
            return new InProcess().measure(o, genesis, List.of(deploy, instantiate), txs, signNanos, incomplete, profile, report, round,
                    "contract-calls-calls", CALLS);
        }

        static long counter(StateReader state, Address contract) {
            byte[] v = state.get(ContractRecords.storageKey(contract, COUNTER_KEY));
            if (v == null) return 0;
            if (v.length != 8) throw new IllegalStateException("counter of " + contract + " is " + Arrays.toString(v));
            return ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
    }
}
