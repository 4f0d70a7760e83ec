package io.maaschain.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went, from a JFR recording's execution samples ({@code jdk.ExecutionSample}, threads running Java
 * code) and native samples ({@code jdk.NativeMethodSample}, threads inside JNI calls such as RocksDB's write and
 * fsync). Each sample is put in one category by walking its stack from the leaf towards the root and taking the
 * first frame that a rule recognises, so SHA-256 called from the state tree counts as "state tree" and a RocksDB
 * read made by the state transition counts as "RocksDB read".
 */
final class JfrBreakdown {
    /** A rule: frames whose "class.method" starts with one of the prefixes belong to the category. */
    private record Rule(String category, String... prefixes) {
        boolean matches(String frame) {
            for (String p : prefixes) if (frame.startsWith(p)) return true;
            return false;
        }
    }

    /** Leaf-most match wins; the order only matters for a frame that two rules would both take. */
    private static final List<Rule> RULES = List.of(
            new Rule("signature verification (Ed25519)", "org.bouncycastle.math.ec.rfc8032.", "org.bouncycastle.math.raw.",
                    "org.bouncycastle.math.ec.rfc7748.", "io.maaschain.ledger.tx.Transaction.hasValidSignature",
                    "io.maaschain.crypto.Ed25519BatchCheck", "io.maaschain.crypto.EdwardsPoint", "io.maaschain.crypto.SignatureBatch"),
            new Rule("PoW mining (nonce search)", "io.maaschain.consensus.pow.", "io.maaschain.node.mining."),
            new Rule("RocksDB commit (write batch + WAL fsync)", "org.rocksdb.RocksDB.write"),
            new Rule("RocksDB batch assembly", "org.rocksdb.WriteBatch", "org.rocksdb.AbstractWriteBatch"),
            new Rule("RocksDB reads", "org.rocksdb.RocksDB.get", "org.rocksdb.RocksIterator", "org.rocksdb.AbstractRocksIterator"),
            new Rule("state tree update (SMT)", "io.maaschain.state.smt.", "io.maaschain.chain.StateCommitment."),
            new Rule("tx Merkle root", "io.maaschain.ledger.merkle."),
            new Rule("block/tx encoding", "io.maaschain.ledger.block.BlockCodec", "io.maaschain.ledger.block.HeaderCodec",
                    "io.maaschain.ledger.tx.TransactionCodec", "io.maaschain.chain.UndoRecord", "io.maaschain.chain.TxLocation"),
            new Rule("HTTP + JSON (server)", "com.fasterxml.jackson.", "io.javalin.", "org.eclipse.jetty.", "io.maaschain.api.",
                    "io.maaschain.codec.Hex"),
            new Rule("tx pool: admission", "io.maaschain.txpool.TxPool.admit", "io.maaschain.txpool.TxPool.addAll",
                    "io.maaschain.txpool.TxPool.add"),
            new Rule("tx pool: select", "io.maaschain.txpool.TxPool.select"),
            new Rule("tx pool: drop included", "io.maaschain.txpool.TxPool.onHeadChanged", "io.maaschain.txpool.TxPool.remove"),
            new Rule("signature cache lookups", "io.maaschain.txpool.VerifiedSignatures."),
            new Rule("contract VM: Chicory instantiation (per call: memory, globals, imports)", "com.dylibso.chicory.runtime.Instance$Builder",
                    "com.dylibso.chicory.runtime.Instance.<init>", "com.dylibso.chicory.runtime.Instance.initialize",
                    "com.dylibso.chicory.runtime.ByteBufferMemory.<init>", "com.dylibso.chicory.runtime.ByteArrayMemory.<init>"),
            new Rule("contract VM: Chicory interpreter (and the rest of Chicory)", "com.dylibso.chicory."),
            new Rule("contract host API, VM glue, results", "io.maaschain.contracts.", "io.maaschain.state.ChainContractHost",
                    "io.maaschain.state.ContractTransactions", "io.maaschain.state.CodeCache", "io.maaschain.state.ContractRecords",
                    "io.maaschain.state.TxResult"),
            new Rule("state transition (execute txs)", "io.maaschain.state.StateTransition.", "io.maaschain.state.WorldState.",
                    "io.maaschain.state.Account.", "io.maaschain.state.StateKeys."),
            new Rule("block building (other)", "io.maaschain.chain.BlockBuilder."),
            new Rule("block import (other)", "io.maaschain.chain.Blockchain."),
            new Rule("benchmark client", "io.maaschain.bench."));

    private final Map<String, Long> samples = new LinkedHashMap<>();
    private final Map<String, Long> otherLeaves = new HashMap<>();
    private long total;

    private JfrBreakdown() {}

    /** Reads the samples taken in [from, to] (nulls mean unbounded), skipping the JFR and benchmark-driver idle threads. */
    static JfrBreakdown read(Path recording, Instant from, Instant to) throws IOException {
        JfrBreakdown b = new JfrBreakdown();
        for (Rule r : RULES) b.samples.put(r.category(), 0L);
        b.samples.put("other", 0L);
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) continue;
                if (from != null && e.getStartTime().isBefore(from)) continue;
                if (to != null && e.getStartTime().isAfter(to)) continue;
                RecordedStackTrace st = e.getStackTrace();
                if (st == null) continue;
                if (type.equals("jdk.NativeMethodSample") && isIdleNative(st)) continue;
                b.add(st);
            }
        }
        return b;
    }

    /** Native samples also catch threads that merely wait in native code (epoll, accept, sleep); those are not work. */
    private static boolean isIdleNative(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String name = frameName(f);
            if (name.startsWith("org.rocksdb.")) return false;
        }
        return true;
    }

    private void add(RecordedStackTrace st) {
        total++;
        List<RecordedFrame> frames = st.getFrames();
        for (RecordedFrame f : frames) {
            String name = frameName(f);
            for (Rule r : RULES) {
                if (r.matches(name)) {
                    samples.merge(r.category(), 1L, Long::sum);
                    return;
                }
            }
        }
        samples.merge("other", 1L, Long::sum);
        StringBuilder leaf = new StringBuilder();
        for (int i = 0; i < Math.min(3, frames.size()); i++) leaf.append(i == 0 ? "" : " < ").append(frameName(frames.get(i)));
        otherLeaves.merge(leaf.toString(), 1L, Long::sum);
    }

    private static String frameName(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) return "?";
        return m.getType().getName() + "." + m.getName();
    }

    long total() {
        return total;
    }

    /** Category -> share of all samples, largest first, empty categories left out. */
    Map<String, Double> shares() {
        Map<String, Double> out = new LinkedHashMap<>();
        samples.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), total == 0 ? 0 : (double) e.getValue() / total));
        return out;
    }

    List<String> format(String indent) {
        List<String> lines = new ArrayList<>();
        shares().forEach((k, v) -> lines.add(String.format(Locale.ROOT, "%s%-44s %5.1f %%  (%d samples)", indent, k, 100 * v, samples.get(k))));
        if (samples.get("other") > 0) {
            lines.add(indent + "most frequent 'other' stacks (leaf < caller < caller):");
            otherLeaves.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                    .forEach(e -> lines.add(String.format(Locale.ROOT, "%s  %5d  %s", indent, e.getValue(), e.getKey())));
        }
        return lines;
    }
}
