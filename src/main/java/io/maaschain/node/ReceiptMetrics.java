package io.maaschain.node;

import io.maaschain.chain.Blockchain;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.maas.access.Metering;
import io.maaschain.maas.receipt.ReceiptLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;

/**
 * This node's receipts and what they settled (docs/receipts.md): {@code maaschain_receipts_issued_total} (numbers
 * handed out by the receipt log), {@code maaschain_receipts_settled_total} (the chain's settlement cursor for this
 * node), {@code maaschain_receipts_unsettled} (issued, not yet settled), {@code maaschain_receipts_pending} (in a
 * batch transaction waiting in the pool), and {@code maaschain_escrow_settled_total} (the fees of the receipts settled
 * by batches committed while this node runs, at call-time prices, in coins; a reorg does not subtract).
 */
final class ReceiptMetrics {
    private final Metering metering;
    private final Counter escrowSettled;

    ReceiptMetrics(MeterRegistry registry, Blockchain chain, Metering metering) {
        this.metering = metering;
        ReceiptLog log = metering.log();
        FunctionCounter.builder("maaschain_receipts_issued", log, ReceiptLog::writtenNextSeq)
                .description("receipts this node numbered and signed (every call answered, refusals included)").register(registry);
        FunctionCounter.builder("maaschain_receipts_settled", metering, m -> m.batcher().settledCursor())
                .description("receipts of this node settled on chain (the chain's settlement cursor)").register(registry);
        Gauge.builder("maaschain_receipts_unsettled", metering, m -> Math.max(0, m.log().writtenNextSeq() - m.batcher().settledCursor()))
                .description("receipts issued and not yet settled on chain").register(registry);
        Gauge.builder("maaschain_receipts_pending", this, ReceiptMetrics::pending)
                .description("receipts in batch transactions submitted and not yet in a block").register(registry);
        escrowSettled = Counter.builder("maaschain_escrow_settled")
                .description("callers' escrow settled by this node's receipt batches committed since start, at call-time prices (coins)")
                .register(registry);
        chain.addListener((removed, added, head) -> onBlocks(added));
    }

    private double pending() {
        long n = 0;
        for (Map.Entry<Long, ?> e : metering.batcher().inFlight().entrySet()) {
            n += metering.log().batchAt(e.getKey()).map(b -> b.lastSeq() - b.firstSeq() + 1).orElse(0L);
        }
        return n;
    }

    private void onBlocks(List<Block> added) {
        for (Block b : added) {
            for (Transaction tx : b.transactions()) {
                if (tx.payload() instanceof ReceiptBatch batch && tx.sender().equals(metering.log().node())) {
                    long fees = 0;
                    for (ReceiptLog.Stored s : metering.log().receipts(batch.firstSeq(), batch.lastSeq() + 1)) fees += s.receipt().receipt().fee();
                    escrowSettled.increment(fees);
                }
            }
        }
    }
}
