package io.maaschain.maas.access;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.KeyPair;
import io.maaschain.maas.inference.InferenceGateway;
import io.maaschain.maas.receipt.ReceiptBatcher;
import io.maaschain.maas.receipt.ReceiptLog;
import io.maaschain.maas.receipt.ReceiptProofs;
import io.maaschain.maas.receipt.UsageAudit;
import io.maaschain.storage.KeyValueStore;
import io.maaschain.txpool.TxPool;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The node's metering and receipts, wired: the durable receipt log (in the node database), caller authentication
 * (signed requests and the API key file), the gateway hooks, the batcher that settles receipts on chain, proofs and
 * usage reports. {@link #close()} stops the batcher and closes the log (a final WAL sync and a clean-shutdown record);
 * the log lives in the node's store, which the node closes after this.
 */
public record Metering(ReceiptLog log, MeteredAccess access, ReceiptBatcher batcher, ReceiptProofs proofs, UsageAudit audit, ApiKeys apiKeys)
        implements AutoCloseable {

    /**
     * Opens the log and starts the batcher.
     *
     * @param apiKeyFile the API key file ({@code <data-dir>/apikeys.json}), or null to accept signed requests only
     * @param clock      milliseconds since the epoch (the node passes {@code System::currentTimeMillis})
     */
    public static Metering start(KeyValueStore store, Blockchain chain, TxPool pool, KeyPair nodeKey, Path apiKeyFile,
                                 ReceiptBatcher.Config batching, LongSupplier clock) {
        ReceiptLog log = ReceiptLog.open(store, nodeKey, chain.transition().params().chainId());
        ApiKeys keys = apiKeyFile == null ? null : ApiKeys.open(apiKeyFile);
        CallerAuthenticator auth = new CallerAuthenticator(keys, new ReplayGuard(clock.getAsLong()));
        MeteredAccess access = new MeteredAccess(chain, log, auth);
        ReceiptBatcher batcher = new ReceiptBatcher(chain, pool, log, batching, clock).start();
        return new Metering(log, access, batcher, new ReceiptProofs(log, chain, pool), new UsageAudit(log), keys);
    }

    /** The gateway hooks: authorize, observe and decorate every call. */
    public InferenceGateway.Hooks hooks() {
        return new InferenceGateway.Hooks(access, access, access);
    }

    @Override
    public void close() {
        batcher.close();
        log.close();
    }
}
