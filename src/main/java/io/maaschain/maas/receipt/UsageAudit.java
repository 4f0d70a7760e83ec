package io.maaschain.maas.receipt;

import io.maaschain.crypto.Address;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Usage reports from this node's receipt log: calls, fees, error rate and latency percentiles over a time range,
 * optionally for one model and one caller. Receipt timestamps never decrease along the sequence, so the range is
 * found by binary search and only receipts inside it are read.
 */
public final class UsageAudit {
    /** At most this many receipts are read for one report; a larger range is reported as truncated. */
    public static final int DEFAULT_MAX_SCAN = 1_000_000;

    /**
     * @param model   a model name, or null for all
     * @param caller  a caller, or null for all
     * @param fromMillis inclusive
     * @param toMillis   exclusive
     */
    public record Query(String model, Address caller, long fromMillis, long toMillis) {}

    /** Totals for a group of calls. */
    public record Totals(long calls, long succeeded, long failed, long denied, long fees, double errorRate, double latencyP50Millis,
                         double latencyP99Millis) {}

    /** The report; {@code truncated} when the range held more receipts than were read. */
    public record Report(Address node, Query query, long firstSeq, long lastSeq, Totals totals, Map<String, Totals> byModel,
                         Map<Integer, Long> byStatus, boolean truncated) {}

    private final ReceiptLog log;
    private final int maxScan;

    public UsageAudit(ReceiptLog log, int maxScan) {
        this.log = log;
        this.maxScan = maxScan;
    }

    public UsageAudit(ReceiptLog log) {
        this(log, DEFAULT_MAX_SCAN);
    }

    public Report report(Query q) {
        long end = log.writtenNextSeq();
        long first = firstAtOrAfter(q.fromMillis(), end);
        long stop = firstAtOrAfter(q.toMillis(), end);
        boolean truncated = stop - first > maxScan;
        if (truncated) stop = first + maxScan;
        Acc all = new Acc();
        Map<String, Acc> byModel = new TreeMap<>();
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (long s = first; s < stop; s++) {
            ReceiptLog.Stored st = log.get(s).orElse(null);
            if (st == null) continue;
            Receipt r = st.receipt().receipt();
            if (q.model() != null && !q.model().equals(r.modelName())) continue;
            if (q.caller() != null && !q.caller().equals(r.caller())) continue;
            all.add(r, st.latencyNanos());
            byModel.computeIfAbsent(r.modelName() + (r.modelVersion().isEmpty() ? "" : "/" + r.modelVersion()), k -> new Acc()).add(r, st.latencyNanos());
            byStatus.merge(r.status(), 1L, Long::sum);
        }
        Map<String, Totals> models = new LinkedHashMap<>();
        byModel.forEach((k, a) -> models.put(k, a.totals()));
        return new Report(log.node(), q, first, stop - 1, all.totals(), models, byStatus, truncated);
    }

    /** The first seq below {@code end} whose timestamp is at or after {@code t} ({@code end} if none). */
    private long firstAtOrAfter(long t, long end) {
        long lo = 0;
        long hi = end;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            var r = log.get(mid);
            long ts = r.isEmpty() ? Long.MIN_VALUE : r.get().receipt().receipt().timestampMillis();
            if (ts < t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static final class Acc {
        long calls;
        long ok;
        long failed;
        long denied;
        long fees;
        long[] latencies = new long[16];

        void add(Receipt r, long latencyNanos) {
            calls++;
            if (r.succeeded()) ok++;
            else failed++;
            if (r.status() == 401 || r.status() == 403) denied++;
            fees = Math.addExact(fees, r.fee());
            if (calls > latencies.length) latencies = Arrays.copyOf(latencies, latencies.length * 2);
            latencies[(int) calls - 1] = latencyNanos;
        }

        Totals totals() {
            long[] l = Arrays.copyOf(latencies, (int) calls);
            Arrays.sort(l);
            return new Totals(calls, ok, failed, denied, fees, calls == 0 ? 0 : (double) failed / calls, percentile(l, 0.50), percentile(l, 0.99));
        }

        /** Nearest-rank percentile, in milliseconds. */
        static double percentile(long[] sorted, double p) {
            if (sorted.length == 0) return 0;
            int rank = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, rank - 1)] / 1e6;
        }
    }

    /** Convenience for JSON answers. */
    public static Map<String, Object> json(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", r.node().toString());
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("model", r.query().model());
        q.put("caller", r.query().caller() == null ? null : r.query().caller().toString());
        q.put("from", r.query().fromMillis());
        q.put("to", r.query().toMillis());
        m.put("query", q);
        m.put("firstSeq", r.firstSeq());
        m.put("lastSeq", r.lastSeq());
        m.putAll(totals(r.totals()));
        Map<String, Object> models = new LinkedHashMap<>();
        r.byModel().forEach((k, v) -> models.put(k, totals(v)));
        m.put("byModel", models);
        Map<String, Object> statuses = new LinkedHashMap<>();
        r.byStatus().forEach((k, v) -> statuses.put(Integer.toString(k), v));
        m.put("byStatus", statuses);
        m.put("truncated", r.truncated());
        return m;
    }

    private static Map<String, Object> totals(Totals t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", t.calls());
        m.put("succeeded", t.succeeded());
        m.put("failed", t.failed());
        m.put("denied", t.denied());
        m.put("fees", t.fees());
        m.put("errorRate", t.errorRate());
        m.put("latencyP50Millis", t.latencyP50Millis());
        m.put("latencyP99Millis", t.latencyP99Millis());
        return m;
    }

}
