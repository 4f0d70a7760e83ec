package io.maaschain.node;

import io.maaschain.chain.Blockchain;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.p2p.P2pService;
import io.maaschain.txpool.TxPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.maaschain.maas.inference.ServedModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * The node's Prometheus metrics, served at {@code GET /metrics} (names follow Prometheus conventions; the chain and
 * peer gauges also under Besu's EIP-2159 names, so existing Ethereum dashboards read them). docs/operator-guide.md
 * lists them; {@link InferenceMetrics} and {@link ReceiptMetrics} add the inference and receipt series.
 */
public final class NodeMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter integrityFailures;

    /** @param peerLimit the most peers this node connects to (inbound plus outbound limits; 0 without p2p) */
    public NodeMetrics(Blockchain chain, TxPool pool, Optional<P2pService> p2p, ModelHost models, int peerLimit) {
        lintCleanJvmNames(registry);
        Gauge.builder("maaschain_chain_height", chain, c -> c.head().height()).description("height of the canonical head").register(registry);
        Gauge.builder("maaschain_chain_finalized_height", chain, c -> c.finalized().height())
                .description("height of the newest final block (cannot be reorganised away; 0 under pow)").register(registry);
        Gauge.builder("ethereum_blockchain_height", chain, c -> c.head().height()).description("EIP-2159: height of the canonical head").register(registry);
        Gauge.builder("ethereum_best_known_block_number", this, m -> bestKnown(chain, p2p))
                .description("EIP-2159: the highest block known, local head or best peer's head (the sync target)").register(registry);
        // Besu's ethereum_peer_count is not exported: promtool refuses "_count" on a gauge. maaschain_p2p_peers is the count.
        Gauge.builder("ethereum_peer_limit", () -> peerLimit).description("EIP-2159: the most peers this node connects to").register(registry);
        Gauge.builder("maaschain_txpool_transactions", pool, TxPool::size).description("pending transactions").register(registry);
        Gauge.builder("maaschain_p2p_peers", p2p, p -> p.map(s -> s.peers().size()).orElse(0)).description("connected peers").register(registry);
        Gauge.builder("maaschain_models_served", models, m -> m.models().stream().filter(ServedModel::ready).count())
                .description("model versions loaded and answering calls (an unloaded or refused model is not counted)").register(registry);
        FunctionCounter.builder("maaschain_model_load_failures", models, m -> m.loadFailures().total())
                .description("failed attempts to load a hosted model version (retried with exponential back-off)").register(registry);
        Gauge.builder("maaschain_models_failing_to_load", models, m -> m.loadFailures().all().size())
                .description("hosted model versions whose last load attempt failed (the reason is in /v2/models/{m}/ready)").register(registry);
        Counter blocks = Counter.builder("maaschain_blocks_committed").description("blocks added to the canonical chain").register(registry);
        Counter reorgs = Counter.builder("maaschain_reorgs").description("reorganizations of the canonical chain").register(registry);
        Counter rolledBack = Counter.builder("maaschain_blocks_rolled_back").description("blocks removed by reorganizations").register(registry);
        integrityFailures = Counter.builder("maaschain_artifact_integrity_failures")
                .description("served artifacts that stopped matching their on-chain digest (each one is an alert)").register(registry);
        chain.addListener((removed, added, head) -> {
            blocks.increment(added.size());
            if (!removed.isEmpty()) {
                reorgs.increment();
                rolledBack.increment(removed.size());
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** 1 while the node's consensus is halted (docs/operator-guide.md, "Halted consensus"), else 0: worth an alert. */
    public void watchConsensus(ConsensusLoop loop) {
        Gauge.builder("maaschain_consensus_halted", loop, l -> l.halted().isPresent() ? 1 : 0)
                .description("1 if consensus halted on this node and it no longer votes or commits").register(registry);
    }

    /**
     * Two of Micrometer's JVM meters break Prometheus naming rules ({@code promtool check metrics}): the CPU count is a
     * gauge ending in {@code _count}, and the process CPU time is in nanoseconds. The count is renamed; the CPU time is
     * replaced by the standard {@code process_cpu_seconds_total}.
     */
    private static void lintCleanJvmNames(MeterRegistry registry) {
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process_cpu_seconds", os, o -> o.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the node process, in seconds").register(registry);
        }
    }

    private static long bestKnown(Blockchain chain, Optional<P2pService> p2p) {
        long local = chain.head().height();
        return p2p.map(s -> Math.max(local, s.syncState().bestPeerHeight())).orElse(local);
    }

    /** Where {@link InferenceMetrics}, {@link ReceiptMetrics} and later additions register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    public void artifactIntegrityFailures(int count) {
        integrityFailures.increment(count);
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
