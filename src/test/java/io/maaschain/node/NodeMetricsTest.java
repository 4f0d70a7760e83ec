package io.maaschain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.maas.access.ApiKeys;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.node.serving.ChainModelRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator metrics on a real dev node in this JVM: calls made over HTTP show up in the per-model counters and
 * both histograms; the chain gauges carry Besu's names; the scrape passes {@code promtool check metrics}; the Grafana
 * dashboard in docs/ queries only series the node exports.
 */
class NodeMetricsTest {
    static final String BODY = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}";
    static final Path DASHBOARD = Path.of("docs/grafana/maaschain-node.json");
    @TempDir static Path dir;
    static Node node;
    static String apiKey;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startDevNode() throws Exception {
        DevSetup.DevFiles files = DevSetup.prepare(dir, "pow", System.currentTimeMillis());
        NodeConfig config = new NodeConfig(dir, files.genesisFile(), files.keyFile(), "127.0.0.1", 0, Optional.empty(),
                new NodeConfig.Mining(true, Optional.of(files.devKey().address()), 1, 100),
                new NodeConfig.Serving(Duration.ofSeconds(60), List.of()));
        node = Node.start(config);
        apiKey = ApiKeys.ensureDevKey(dir, files.devKey().address(), new SecureRandom(), System.currentTimeMillis());
        DevModelBootstrap.run(node, files.devKey(), ApiKeys.hash(apiKey));
        await().atMost(Duration.ofSeconds(60)).until(() -> node.models().find(DevModel.NAME, null).isPresent());
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    static HttpResponse<String> call(String model, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/v2/models/" + model + "/infer")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String url(String path) {
        return "http://127.0.0.1:" + node.httpPort() + path;
    }

    static String scrape() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/metrics"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of one sample, by its exact name and label set as the scrape prints it (labels sorted by name). */
    static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in\n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void callsAreCountedByModelAndOutcomeAndTimedInBothHistograms() throws Exception {
        String before = scrape();
        for (int i = 0; i < 3; i++) assertThat(call(DevModel.NAME, apiKey).statusCode()).isEqualTo(200);
        assertThat(call(DevModel.NAME, null).statusCode()).isEqualTo(401);
        assertThat(call("no-such-model", apiKey).statusCode()).isEqualTo(404);
        String after = scrape();

        assertThat(delta(before, after, "maaschain_inference_requests_total{model=\"iris\",outcome=\"success\"}")).isEqualTo(3);
        assertThat(delta(before, after, "maaschain_inference_requests_total{model=\"iris\",outcome=\"denied\"}")).isEqualTo(1);
        assertThat(delta(before, after, "maaschain_inference_requests_total{model=\"_unresolved\",outcome=\"invalid\"}")).isEqualTo(1);
        // The gateway histogram times every call of the model; the backend one only the calls that reached ONNX Runtime.
        assertThat(delta(before, after, "maaschain_inference_duration_seconds_count{model=\"iris\"}")).isEqualTo(4);
        assertThat(delta(before, after, "maaschain_inference_backend_duration_seconds_count{model=\"iris\"}")).isEqualTo(3);
        assertThat(sample(after, "maaschain_inference_duration_seconds_bucket{model=\"iris\",le=\"+Inf\"}"))
                .isEqualTo(sample(after, "maaschain_inference_duration_seconds_count{model=\"iris\"}"));
        assertThat(sample(after, "maaschain_inference_backend_duration_seconds_sum{model=\"iris\"}")).isPositive()
                .isLessThanOrEqualTo(sample(after, "maaschain_inference_duration_seconds_sum{model=\"iris\"}"));
        // Every call gets a receipt; the successful ones are settled by the batcher within a few blocks.
        assertThat(delta(before, after, "maaschain_receipts_issued_total")).isEqualTo(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String s = scrape();
            return sample(s, "maaschain_receipts_settled_total") >= sample(after, "maaschain_receipts_issued_total")
                    && sample(s, "maaschain_receipts_unsettled") == 0 && sample(s, "maaschain_escrow_settled_total") >= 3 * 1;
        });
    }

    static double delta(String before, String after, String series) {
        double b = before.contains(series + " ") ? sample(before, series) : 0;
        return sample(after, series) - b;
    }

    @Test
    void chainAndPeerGaugesCarryBesuNames() throws Exception {
        long height = node.chain().head().height();
        String s = scrape();
        assertThat(sample(s, "ethereum_blockchain_height")).isGreaterThanOrEqualTo(height);
        assertThat(sample(s, "ethereum_best_known_block_number")).isGreaterThanOrEqualTo(sample(s, "ethereum_blockchain_height"));
        assertThat(sample(s, "maaschain_chain_finalized_height")).isZero(); // pow: only genesis is final
        assertThat(sample(s, "maaschain_p2p_peers")).isZero();
        assertThat(s).doesNotContain("ethereum_peer_count"); // promtool refuses "_count" on a gauge
        assertThat(sample(s, "ethereum_peer_limit")).isZero(); // a dev node runs without p2p
        assertThat(sample(s, "process_start_time_seconds")).isGreaterThan(1.7e9);
    }

    @Test
    void modelsServedDropsWhenAModelIsUnloaded() throws Exception {
        // A host of its own, so the node's serving manager (which re-serves what the chain says to host) cannot interfere.
        try (ModelHost host = new ModelHost(node.artifacts(), new ChainModelRegistry(node.chain()));
             NodeMetrics metrics = new NodeMetrics(node.chain(), node.pool(), Optional.empty(), host, 0)) {
            assertThat(sample(metrics.scrape(), "maaschain_models_served")).isZero();
            host.serveLocal(DevModel.NAME, DevModel.VERSION);
            assertThat(sample(metrics.scrape(), "maaschain_models_served")).isEqualTo(1);
            assertThat(host.unload(DevModel.NAME, DevModel.VERSION)).isTrue();
            assertThat(sample(metrics.scrape(), "maaschain_models_served")).isZero();
        }
    }

    @Test
    void promtoolFindsNoProblemInTheScrape() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            boolean ci = "true".equals(System.getenv("CI"));
            // In CI promtool must be there (.ci/run installs Debian's prometheus package); elsewhere say how to get it.
            assertThat(ci).as("promtool is missing: apt-get install prometheus").isFalse();
            org.junit.jupiter.api.Assumptions.abort("promtool not installed (apt-get install prometheus); CI=true makes this a failure");
        }
        call(DevModel.NAME, apiKey); // so that the histograms have samples
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.outputWriter()) {
            in.write(scrape());
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).doesNotContain("error", "warning");
    }

    @Test
    void theDashboardQueriesOnlySeriesTheNodeExports() throws Exception {
        call(DevModel.NAME, apiKey);
        String s = scrape();
        Set<String> exported = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(s);
        while (m.find()) exported.add(m.group(1));

        JsonNode d = Json.MAPPER.readTree(Files.readString(DASHBOARD));
        assertThat(d.path("uid").asText()).isNotBlank();
        assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        List<String> queried = new ArrayList<>();
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : d.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode t : panel.path("targets")) queried.addAll(metricNames(t.path("expr").asText()));
        }
        assertThat(queried).isNotEmpty();
        for (String name : queried) assertThat(exported).as("the dashboard queries %s", name).contains(name);
    }

    /** Metric names in a PromQL expression: identifiers followed by a selector or a range, minus functions and keywords. */
    static List<String> metricNames(String expr) {
        Set<String> notMetrics = Set.of("rate", "increase", "sum", "by", "histogram_quantile", "time", "le", "model", "instance",
                "outcome", "area", "without");
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"[^\"]*\"|([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(expr);
        while (m.find()) {
            String id = m.group(1);
            if (id != null && !notMetrics.contains(id) && id.contains("_")) out.add(id);
        }
        return out;
    }

}
