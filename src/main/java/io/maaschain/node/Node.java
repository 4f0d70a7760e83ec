package io.maaschain.node;

import io.maaschain.api.ApiServer;
import io.maaschain.api.ArtifactRoutes;
import io.maaschain.api.CommitAvailability;
import io.maaschain.api.ConsensusStatus;
import io.maaschain.api.ExplorerRoutes;
import io.maaschain.api.HeadEvents;
import io.maaschain.api.AuditRoutes;
import io.maaschain.api.InferenceRoutes;
import io.maaschain.api.LineageRoutes;
import io.maaschain.api.NetworkStatus;
import io.maaschain.api.OpenApiRoutes;
import io.maaschain.api.ReceiptRoutes;
import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.BlockchainView;
import io.maaschain.chain.consensus.ConsensusDriver;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.pow.PowEngine;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.maas.access.ApiKeys;
import io.maaschain.maas.access.Metering;
import io.maaschain.maas.access.ReplayGuard;
import io.maaschain.maas.access.SignedRequestVerifier;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.FreeSpaceProbe;
import io.maaschain.maas.artifact.UploadPolicy;
import io.maaschain.maas.inference.InferenceGateway;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.maas.inference.OipJson;
import io.maaschain.maas.inference.RemoteOipBackend;
import io.maaschain.maas.receipt.ReceiptBatcher;
import io.maaschain.maas.artifact.ArtifactAccess;
import io.maaschain.node.serving.ArtifactReplicator;
import io.maaschain.node.serving.ChainModelRegistry;
import io.maaschain.node.serving.ServingManager;
import io.maaschain.node.serving.StoreArtifactProvider;
import io.maaschain.p2p.P2pConfig;
import io.maaschain.p2p.P2pService;
import io.maaschain.p2p.PeerAddress;
import io.maaschain.state.Permissions;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.storage.SecretFiles;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One running node: database, chain, transaction pool, peer-to-peer service, block producer and REST server,
 * started in that order and stopped in reverse. Everything that reads the clock or spawns threads lives here.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    public static final String VERSION = "0.1.0";

    private final List<AutoCloseable> stopOrder;
    private final Blockchain chain;
    private final TxPool pool;
    private final KeyPair nodeKey;
    private final Optional<P2pService> p2p;
    private final ApiServer api;
    private final ArtifactStore artifacts;
    private final ModelHost models;

    private Node(List<AutoCloseable> stopOrder, Blockchain chain, TxPool pool, KeyPair nodeKey, Optional<P2pService> p2p, ApiServer api,
                 ArtifactStore artifacts, ModelHost models) {
        this.stopOrder = stopOrder;
        this.chain = chain;
        this.pool = pool;
        this.nodeKey = nodeKey;
        this.p2p = p2p;
        this.api = api;
        this.artifacts = artifacts;
        this.models = models;
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    public ModelHost models() {
        return models;
    }

    public static Node start(NodeConfig config) throws IOException {
        Genesis genesis = GenesisParser.parse(Files.readString(config.genesisFile()));
        ConsensusEngine engine = ConsensusFactory.create(genesis);
        KeyPair nodeKey = loadOrCreateNodeKey(config.nodeKeyFile());
        List<AutoCloseable> started = new ArrayList<>();
        // What can commit a block (peer sync, block production, consensus): stopped right after the API, before anything
        // a commit notifies (serving, metering and its receipt log) stops (docs/operator-guide.md, "Stopping a node").
        List<AutoCloseable> blockWriters = new ArrayList<>();
        try {
            RocksDbStore store = RocksDbStore.open(config.databaseDir());
            started.add(store);
            AdminSocket admin = AdminSocket.start(store, config.dataDir());
            if (admin != null) started.add(admin);
            VerifiedSignatures signatures = new VerifiedSignatures(1_000_000);
            Blockchain chain = Blockchain.open(store, genesis, engine, signatures);
            TxPool pool = new TxPool(chain.transition(), signatures, TxPool.Limits.DEFAULT);
            chain.addListener((removed, added, head) -> pool.onHeadChanged(removed, added, chain.headState()));
            LOG.info("chain {} ({}) at height {}, head {}", genesis.params().chainId(), engine.kind(), chain.head().height(), chain.head().hash());

            Optional<P2pService> p2p = Optional.empty();
            if (config.network().isPresent()) {
                NodeConfig.Network n = config.network().get();
                boolean permissioned = Permissions.isPermissioned(chain.headState());
                if (permissioned && !n.tls()) {
                    throw new IllegalArgumentException("a permissioned chain requires TLS for peer traffic: set [p2p] tls = true");
                }
                P2pConfig p2pConfig = new P2pConfig(n.host(), n.port(), n.bootnodes().stream().map(PeerAddress::parse).toList(),
                        n.maxInbound(), n.maxOutbound(), n.tls(), key -> Permissions.mayConnect(chain.headState(), key), 0,
                        P2pConfig.DEFAULT_BAN_MILLIS, P2pConfig.Timing.DEFAULT);
                P2pService service = P2pService.start(p2pConfig, chain, pool, nodeKey, System::currentTimeMillis);
                started.add(service);
                blockWriters.add(service);
                pool.addListener(service::announceTransaction);
                p2p = Optional.of(service);
            }

            Optional<ConsensusLoop> consensus = Optional.empty();
            if (engine instanceof PowEngine) {
                if (config.mining().enabled()) {
                    Address reward = config.mining().rewardAddress().orElse(nodeKey.address());
                    BlockSealer sealer = SealerFactory.create(engine, config.mining().threads());
                    BlockProducer producer = new BlockProducer(chain, pool, new BlockBuilder(chain, signatures), sealer,
                            reward, config.mining().blockIntervalMillis(), System::currentTimeMillis,
                            p2p.isPresent() ? new SecureRandom() : null).start();
                    started.add(producer);
                    blockWriters.add(producer);
                }
            } else {
                ConsensusLoop loop = startConsensus(config, chain, pool, signatures, nodeKey, p2p);
                started.add(loop);
                blockWriters.add(loop);
                consensus = Optional.of(loop);
            }
            NodeConfig.Artifacts bounds = config.artifacts();
            ArtifactStore artifacts = ArtifactStore.open(ArtifactStore.defaultRoot(config.dataDir()),
                    ArtifactStore.Limits.DEFAULT.withStaleUploadAge(bounds.uploadExpiry()),
                    new UploadPolicy(bounds.accountQuotaBytes(), bounds.diskReserveBytes(), FreeSpaceProbe.FILE_STORE, Clock.systemUTC()));
            started.add(artifacts);
            started.add(scheduleUploadExpiry(artifacts, bounds.uploadExpiry()));
            // One access rule for artifacts, over REST and p2p alike (docs/api.md, "Artifacts").
            ArtifactAccess artifactAccess = new ArtifactAccess(chain, artifacts);
            ModelHost models = new ModelHost(artifacts, new ChainModelRegistry(chain));
            started.add(models);
            int peerLimit = config.network().map(n -> n.maxInbound() + n.maxOutbound()).orElse(0);
            NodeMetrics metrics = new NodeMetrics(chain, pool, p2p, models, peerLimit);
            consensus.ifPresent(metrics::watchConsensus);
            started.add(metrics);
            CommitAvailability commits = commitAvailability(consensus, p2p, chain);
            started.add(scheduleArtifactRechecks(models, metrics, config.artifactRecheck()));
            // Artifact replication: peers may fetch what the chain's access rule allows them, and artifacts of hosted models
            // missing here are fetched from peers (docs/p2p.md, "Artifacts").
            ArtifactReplicator replicator = null;
            if (p2p.isPresent()) {
                p2p.get().artifactProvider(new StoreArtifactProvider(artifacts, artifactAccess));
                replicator = new ArtifactReplicator(artifacts, p2p.get().artifactFetch(), ArtifactReplicator.Settings.DEFAULT);
                started.add(replicator);
            }
            started.add(new ServingManager(chain, models, artifacts, nodeKey.address(), replicator));
            Metering metering = Metering.start(store, chain, pool, nodeKey, config.dataDir().resolve(ApiKeys.FILE),
                    ReceiptBatcher.Config.DEFAULT, System::currentTimeMillis);
            started.add(metering);
            new ReceiptMetrics(metrics.registry(), chain, metering);
            InferenceGateway gateway = new InferenceGateway(models, observed(metering.hooks(), new InferenceMetrics(metrics.registry())),
                    OipJson.Limits.DEFAULT, Clock.systemUTC());
            serveRemote(models, config.serving().remote());

            HeadEvents headEvents = new HeadEvents(chain);
            started.add(headEvents);
            NetworkStatus network = p2p.<NetworkStatus>map(P2pNetworkStatus::new).orElse(NetworkStatus.NONE);
            ApiServer api = new ApiServer(chain, pool, network, consensusStatus(consensus, config.mining().enabled(), nodeKey), commits)
                    .register(app -> new ArtifactRoutes(artifacts, artifactAccess,
                            new SignedRequestVerifier(new ReplayGuard(System.currentTimeMillis())), System::currentTimeMillis).register(app))
                    .register(app -> new InferenceRoutes(gateway, InferenceRoutes.DEFAULT_MAX_REQUEST_BYTES, VERSION, commits).register(app))
                    .register(app -> new ReceiptRoutes(metering.proofs(), metering.access()).register(app))
                    .register(app -> new AuditRoutes(metering.audit(), nodeKey.address()).register(app))
                    .register(app -> new LineageRoutes(chain).register(app))
                    .register(headEvents::register)
                    .register(app -> new ExplorerRoutes().register(app))
                    .register(app -> new OpenApiRoutes().register(app))
                    .register(app -> app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape())))
                    .start(config.httpHost(), config.httpPort());
            started.add(api);
            return new Node(stopOrder(started, blockWriters), chain, pool, nodeKey, p2p, api, artifacts, models);
        } catch (RuntimeException | IOException | Error e) {
            closeAll(started.reversed());
            throw e;
        }
    }

    /**
     * Reverse start order, except that everything that can commit a block stops first after the API (which stops taking
     * requests): the last block is committed while the services it notifies still run, and none after they stop.
     */
    static List<AutoCloseable> stopOrder(List<AutoCloseable> started, List<AutoCloseable> blockWriters) {
        List<AutoCloseable> order = new ArrayList<>();
        AutoCloseable api = started.getLast();
        order.add(api);
        order.addAll(blockWriters.reversed());
        for (AutoCloseable c : started.reversed()) if (c != api && !blockWriters.contains(c)) order.add(c);
        return order;
    }

    /**
     * The consensus loop of a vote-based engine. With [mining] enabled the node key signs as a validator, behind
     * slashing protection kept in the data directory; the protocol decides whether that key is in the validator set.
     * Without it the node follows: it runs the protocol with no signer, which tracks finality from peers' votes.
     */
    private static ConsensusLoop startConsensus(NodeConfig config, Blockchain chain, TxPool pool, VerifiedSignatures signatures, KeyPair nodeKey,
                                                Optional<P2pService> p2p) {
        GuardedSigner signer = config.mining().enabled()
                ? new GuardedSigner(nodeKey, chain.transition().params().chainId(), SigningHistoryFile.in(config.dataDir()))
                : null;
        ConsensusProtocol protocol = ConsensusKinds.protocol(chain.engine(), new BlockchainView(chain, System::currentTimeMillis),
                Optional.ofNullable(signer), nodeKey);
        ConsensusDriver.Network network = p2p.isPresent() ? p2p.get()::broadcastConsensus : message -> { };
        ConsensusDriver driver = new ConsensusDriver(chain, pool, new BlockBuilder(chain, signatures), protocol, signer, nodeKey, network);
        ConsensusLoop loop = new ConsensusLoop(driver, System::currentTimeMillis);
        chain.addListener((removed, added, head) -> loop.onHeadChanged());
        p2p.ifPresent(s -> s.consensusListener(loop::onMessage));
        LOG.info("consensus {}: {} with node key {}", chain.engine().kind(), signer != null ? "validating" : "following", nodeKey.publicKey());
        return loop.start();
    }

    private static ConsensusStatus consensusStatus(Optional<ConsensusLoop> loop, boolean validating, KeyPair nodeKey) {
        return new ConsensusStatus() {
            @Override
            public Optional<Map<String, Object>> local() {
                return loop.map(l -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("signing", validating);
                    m.put("key", nodeKey.publicKey().toHex());
                    m.put("protocol", l.describe());
                    m.put("halted", l.halted().orElse(null));
                    return m;
                });
            }

            @Override
            public Optional<String> halted() {
                return loop.flatMap(ConsensusLoop::halted);
            }
        };
    }

    /** A node further behind its best peer than this is still catching up: what it accepted now would wait for sync. */
    static final long FAR_BEHIND_BLOCKS = 64;

    /** Why transactions submitted now could not be committed: consensus halted, or still syncing far behind the peers. */
    private static CommitAvailability commitAvailability(Optional<ConsensusLoop> consensus, Optional<P2pService> p2p, Blockchain chain) {
        CommitAvailability halted = () -> consensus.flatMap(ConsensusLoop::halted).map(reason -> "consensus halted: " + reason);
        CommitAvailability syncing = () -> p2p.map(P2pService::syncState)
                .filter(s -> s.bestPeerHeight() - chain.head().height() > FAR_BEHIND_BLOCKS)
                .map(s -> "still syncing: the head is at height " + chain.head().height() + ", peers are at " + s.bestPeerHeight());
        return halted.and(syncing);
    }

    /** The metering hooks, with every call also counted in the inference metrics. */
    private static InferenceGateway.Hooks observed(InferenceGateway.Hooks hooks, InferenceMetrics metrics) {
        return new InferenceGateway.Hooks(hooks.authorizer(), call -> {
            hooks.observer().onCall(call);
            metrics.onCall(call);
        }, hooks.decorator());
    }

    /** Models answered by remote OIP v2 servers; a server that cannot be reached is logged and skipped. */
    private static void serveRemote(ModelHost models, List<NodeConfig.RemoteModel> remote) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (NodeConfig.RemoteModel r : remote) {
            models.expect(r.name(), r.version());
            try {
                models.serveRemote(r.name(), r.version(), RemoteOipBackend.connect(http, r.url(), r.name(), r.version(), Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                LOG.error("cannot serve {}@{} through {}: {}", r.name(), r.version(), r.url(), e.getMessage());
            }
        }
    }

    /** Deletes abandoned partial uploads: checked every quarter of the expiry, at most every 10 minutes. */
    private static AutoCloseable scheduleUploadExpiry(ArtifactStore artifacts, Duration expiry) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "artifact-upload-expiry"));
        long every = Math.max(1, Math.min(expiry.toSeconds() / 4, 600));
        timer.scheduleWithFixedDelay(() -> {
            try {
                artifacts.expireAbandonedUploads();
            } catch (RuntimeException e) {
                LOG.error("expiring partial uploads failed", e);
            }
        }, every, every, TimeUnit.SECONDS);
        return timer::shutdownNow;
    }

    /** Re-checks every served artifact against the chain on a schedule; each refusal is logged as an ALERT and counted. */
    private static AutoCloseable scheduleArtifactRechecks(ModelHost models, NodeMetrics metrics, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "artifact-recheck"));
        timer.scheduleWithFixedDelay(() -> {
            try {
                metrics.artifactIntegrityFailures(models.recheck().size());
            } catch (RuntimeException e) {
                LOG.error("artifact re-check failed", e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** The node's network identity; created (owner-only permissions) on first start. */
    static KeyPair loadOrCreateNodeKey(Path file) throws IOException {
        if (Files.exists(file)) return KeyPem.privateKeyFromPem(Files.readString(file));
        Files.createDirectories(file.toAbsolutePath().getParent());
        KeyPair key = KeyPair.generate(new SecureRandom());
        SecretFiles.writeOwnerOnly(file, KeyPem.privateKeyToPem(key));
        LOG.info("created node key {} with id {}", file, key.publicKey());
        return key;
    }

    public Blockchain chain() {
        return chain;
    }

    public TxPool pool() {
        return pool;
    }

    public KeyPair nodeKey() {
        return nodeKey;
    }

    public Optional<P2pService> p2p() {
        return p2p;
    }

    /** The HTTP server, for tests that check its routes against the OpenAPI document. */
    public io.javalin.Javalin httpServer() {
        return api.javalin();
    }

    public int httpPort() {
        return api.port();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}", c.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void close() {
        closeAll(stopOrder);
        LOG.info("node stopped at height {}", chain.head().height());
    }
}
