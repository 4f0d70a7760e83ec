package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code audit usage}: a node's usage report from its receipts. */
@Command(name = "audit", description = "Audit reports from a node's receipts.", subcommands = {AuditCommand.Usage.class})
final class AuditCommand {

    @Command(name = "usage", description = "Calls, fees, error rate and latency p50/p99 for a time range, optionally one model and one caller.")
    static final class Usage implements Callable<Integer> {
        @Mixin NodeOption node;
        @Mixin JsonOption json;
        @Option(names = "--model", description = "Only this model.") String model;
        @Option(names = "--caller", description = "Only this caller (mc...).") String caller;
        @Option(names = "--node-address", description = "The node whose receipts to report (default: the node asked).") String nodeAddress;
        @Option(names = "--from", description = "Start, ms since the epoch (inclusive).") Long from;
        @Option(names = "--to", description = "End, ms since the epoch (exclusive).") Long to;

        @Override
        public Integer call() throws Exception {
            List<String> q = new ArrayList<>();
            add(q, "model", model);
            add(q, "caller", caller);
            add(q, "node", nodeAddress);
            add(q, "from", from == null ? null : from.toString());
            add(q, "to", to == null ? null : to.toString());
            JsonNode r = node.client().get("api/v1/audit/usage" + (q.isEmpty() ? "" : "?" + String.join("&", q)));
            if (json.json) {
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
                return 0;
            }
            System.out.printf("node %s, receipts %d..%d%s%n", r.path("node").asText(), r.path("firstSeq").asLong(), r.path("lastSeq").asLong(),
                    r.path("truncated").asBoolean() ? " (truncated)" : "");
            System.out.printf("%-40s %8s %8s %8s %12s %8s %10s %10s%n", "model", "calls", "failed", "denied", "fees", "errors", "p50 ms", "p99 ms");
            row("(all)", r);
            r.path("byModel").fields().forEachRemaining(e -> row(e.getKey(), e.getValue()));
            return 0;
        }

        private static void row(String name, JsonNode t) {
            System.out.printf("%-40s %8d %8d %8d %12d %7.2f%% %10.3f %10.3f%n", name, t.path("calls").asLong(), t.path("failed").asLong(),
                    t.path("denied").asLong(), t.path("fees").asLong(), 100 * t.path("errorRate").asDouble(), t.path("latencyP50Millis").asDouble(),
                    t.path("latencyP99Millis").asDouble());
        }

        private static void add(List<String> q, String k, String v) {
            if (v != null && !v.isBlank()) q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
    }
}
