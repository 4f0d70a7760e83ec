package io.maaschain.node;

import io.maaschain.api.ApiServer;
import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: database, chain, transaction pool, block producer and REST server, started in that
 * order and stopped in reverse. Everything that reads the clock or spawns threads lives here, not in the core.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final RocksDbStore store;
    private final Blockchain chain;
    private final TxPool pool;
    private final BlockProducer producer;
    private final ApiServer api;

    private Node(RocksDbStore store, Blockchain chain, TxPool pool, BlockProducer producer, ApiServer api) {
        this.store = store;
        this.chain = chain;
        this.pool = pool;
        this.producer = producer;
        this.api = api;
    }

    public static Node start(NodeConfig config) throws IOException {
        Genesis genesis = GenesisParser.parse(Files.readString(config.genesisFile()));
        ConsensusEngine engine = ConsensusFactory.create(genesis);
        RocksDbStore store = RocksDbStore.open(config.databaseDir());
        try {
            VerifiedSignatures signatures = new VerifiedSignatures(1_000_000);
            Blockchain chain = Blockchain.open(store, genesis, engine, signatures);
            TxPool pool = new TxPool(chain.transition(), signatures, TxPool.Limits.DEFAULT);
            chain.addListener((removed, added, head) -> pool.onHeadChanged(removed, added, chain.headState()));
            LOG.info("chain {} ({}) at height {}, head {}", genesis.params().chainId(), engine.kind(), chain.head().height(), chain.head().hash());
            BlockSealer sealer = SealerFactory.create(engine, config.minerThreads());
            BlockProducer producer = new BlockProducer(chain, pool, new BlockBuilder(chain, signatures), sealer,
                    config.rewardAddress(), config.blockIntervalMillis(), System::currentTimeMillis).start();
            ApiServer api = new ApiServer(chain, pool).start(config.httpHost(), config.httpPort());
            return new Node(store, chain, pool, producer, api);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    public Blockchain chain() {
        return chain;
    }

    public TxPool pool() {
        return pool;
    }

    public int httpPort() {
        return api.port();
    }

    @Override
    public void close() {
        api.close();
        producer.close();
        store.close();
        LOG.info("node stopped at height {}", chain.head().height());
    }
}
