package io.maaschain.node;

import io.maaschain.chain.Blockchain;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.p2p.P2pService;
import io.maaschain.txpool.TxPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/** The node's Prometheus metrics, served at {@code GET /metrics} (names follow Prometheus conventions). */
public final class NodeMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter integrityFailures;

    public NodeMetrics(Blockchain chain, TxPool pool, Optional<P2pService> p2p, ModelHost models) {
        Gauge.builder("maaschain_chain_height", chain, c -> c.head().height()).description("height of the canonical head").register(registry);
        Gauge.builder("maaschain_txpool_transactions", pool, TxPool::size).description("pending transactions").register(registry);
        Gauge.builder("maaschain_p2p_peers", p2p, p -> p.map(s -> s.peers().size()).orElse(0)).description("connected peers").register(registry);
        Gauge.builder("maaschain_models_served", models, m -> m.models().size()).description("models loaded for inference").register(registry);
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
        gc.bindTo(registry);
    }

    /** 1 while the node's consensus is halted (docs/operator-guide.md, "Halted consensus"), else 0: worth an alert. */
    public void watchConsensus(ConsensusLoop loop) {
        Gauge.builder("maaschain_consensus_halted", loop, l -> l.halted().isPresent() ? 1 : 0)
                .description("1 if consensus halted on this node and it no longer votes or commits").register(registry);
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
