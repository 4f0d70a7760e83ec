package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.GetPeers;
import io.maaschain.p2p.proto.Peers;
import io.maaschain.p2p.proto.PeerGrpc;
import io.maaschain.txpool.TxPool;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer-to-peer layer of a node: a gRPC server and client for the Connect stream of docs/p2p.md, the authenticated
 * handshake, discovery (bootnodes, peer exchange, redial with backoff), gossip of transactions and blocks, header-first
 * sync, and peer scoring with temporary bans. Start with {@link #start}, stop with {@link #close}.
 */
public final class P2pService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(P2pService.class);
    /** Unauthenticated inbound connections allowed beyond maxInbound while their handshakes run. */
    private static final int HANDSHAKE_SLACK = 8;
    private static final long SCORE_RECOVERY_MILLIS = 10_000;
    private static final Context.Key<CallInfo> CALL_INFO = Context.key("maaschain-p2p-call");

    private final P2pConfig config;
    private final Blockchain chain;
    private final KeyPair nodeKey;
    private final LongSupplier clock;
    private final Handshake.ChainIdentity chainIdentity;
    private final int maxMessageBytes;
    private final SecureRandom random = new SecureRandom();
    private final TlsCredentials tlsCredentials;
    private final SslContext clientSsl;
    private final PeerScores scores;
    private final AddressBook addressBook;
    private final Gossip gossip;
    private final ConsensusGossip consensus;
    private final Responder responder;
    private final Synchronizer sync;
    private final ArtifactExchange artifacts;
    private final ExecutorService ioExecutor;
    private final ScheduledExecutorService scheduler;
    private final Set<PeerConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<PublicKey, PeerConnection> active = new ConcurrentHashMap<>();
    private final Map<PeerAddress, PeerConnection> outboundByAddress = new ConcurrentHashMap<>();
    private volatile boolean statusDirty = true;
    private volatile boolean recheckAdmission;
    private volatile boolean closed;
    private Server server;

    private P2pService(P2pConfig config, Blockchain chain, TxPool pool, KeyPair nodeKey, LongSupplier clock) throws SSLException {
        this.config = config;
        this.chain = chain;
        this.nodeKey = nodeKey;
        this.clock = clock;
        this.chainIdentity = new Handshake.ChainIdentity(chain.transition().params().chainId(), chain.genesisHash());
        this.maxMessageBytes = Protocol.messageLimit(chain.transition().params(), config.maxMessageBytes());
        this.tlsCredentials = config.tls() ? TlsCredentials.selfSigned(random, clock.getAsLong()) : null;
        this.clientSsl = config.tls() ? TlsCredentials.clientContext() : null;
        this.scores = new PeerScores(config.banMillis(), SCORE_RECOVERY_MILLIS);
        this.addressBook = new AddressBook(config.timing().backoffBaseMillis(), config.timing().backoffMaxMillis(), new java.util.Random(random.nextLong()));
        this.gossip = new Gossip(this, chain, pool);
        this.consensus = new ConsensusGossip(this, chain.transition().params(), new SignerFilter(chain));
        this.responder = new Responder(chain, maxMessageBytes);
        this.sync = new Synchronizer(this, chain, config.timing().requestTimeoutMillis());
        this.artifacts = new ArtifactExchange(this, config.timing().requestTimeoutMillis());
        this.ioExecutor = Executors.newCachedThreadPool(daemonThreads("p2p-io"));
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2, daemonThreads("p2p-timer"));
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
    }

    /**
     * Starts listening, dials the bootnodes and begins gossip and sync.
     *
     * @param clock milliseconds since the epoch; passed to block import and used for bans and backoff
     */
    public static P2pService start(P2pConfig config, Blockchain chain, TxPool pool, KeyPair nodeKey, LongSupplier clock) throws IOException {
        P2pService s = new P2pService(config, chain, pool, nodeKey, clock);
        try {
            s.startServer();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        for (PeerAddress b : config.bootnodes()) s.addressBook.add(b, null, true);
        chain.addListener((removed, added, head) -> s.onHeadChanged(added, head));
        s.sync.start();
        Timing t = new Timing(config.timing());
        s.every(t.dial, s::dialMore);
        s.every(25, s::flushGossip);
        s.every(t.status, () -> s.statusDirty = true);
        s.every(t.peerExchange, s::exchangePeers);
        LOG.info("p2p listening on {}:{} as node {} ({}; {} bootnodes)", config.listenHost(), s.port(), nodeKey.publicKey(),
                config.tls() ? "TLS" : "plaintext", config.bootnodes().size());
        return s;
    }

    private record Timing(long dial, long status, long peerExchange) {
        Timing(P2pConfig.Timing t) {
            this(t.dialIntervalMillis(), t.statusIntervalMillis(), t.peerExchangeMillis());
        }
    }

    private void startServer() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder(PeerGrpc.SERVICE_NAME)
                .addMethod(FrameMarshaller.CONNECT, ServerCalls.asyncBidiStreamingCall(this::accept))
                .build();
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(config.listenHost(), config.listenPort()))
                .maxInboundMessageSize(maxMessageBytes)
                .maxInboundMetadataSize(8 * 1024)
                .maxConcurrentCallsPerConnection(4)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTime(60, TimeUnit.SECONDS)
                .executor(ioExecutor)
                .addStreamTracerFactory(new Tracer())
                .addService(service);
        if (tlsCredentials != null) b.sslContext(tlsCredentials.serverContext());
        server = b.build().start();
    }

    // ---------------------------------------------------------------- public API

    /** The TCP port peers connect to (the bound one, when the config asked for port 0). */
    public int port() {
        return server.getPort();
    }

    /** This node's identity on the network: the public half of its node key. */
    public PublicKey nodeId() {
        return nodeKey.publicKey();
    }

    /** Authenticated peers, in no particular order. */
    public List<PeerInfo> peers() {
        long now = now();
        List<PeerInfo> out = new ArrayList<>();
        for (PeerConnection c : active.values()) {
            PeerConnection.PeerHead h = c.head();
            out.add(new PeerInfo(c.peerId(), c.remote, c.direction, c.remoteHello() == null ? "" : c.remoteHello().getClient(),
                    h == null ? -1 : h.height(), h == null ? null : h.hash(), h == null ? BigInteger.ZERO : h.totalWork(),
                    scores.score(c.peerId(), now), c.authenticatedMillis()));
        }
        return out;
    }

    public SyncState syncState() {
        return sync.state();
    }

    /** Peers currently refused for misbehaving. */
    public List<BanInfo> bans() {
        return scores.bans(now());
    }

    /** Pushes a transaction the local pool accepted to all peers (once; repeats are ignored). */
    public void announceTransaction(Transaction tx) {
        gossip.announce(tx);
    }

    /** Sends a consensus message of the local validator (a vote, a bft proposal) to every peer. */
    public void broadcastConsensus(io.maaschain.ledger.vote.ConsensusMessage message) {
        if (!closed) consensus.broadcast(message, activePeers());
    }

    /**
     * Where well-formed, correctly signed consensus messages from peers go (the node's consensus loop), each once.
     * Called on a network thread: it must not block.
     */
    public void consensusListener(java.util.function.Consumer<io.maaschain.ledger.vote.ConsensusMessage> listener) {
        consensus.listener(listener);
    }

    /** Hands the local consensus a statement seen in a block that stayed on a side branch (nothing is relayed). */
    void observeConsensus(io.maaschain.ledger.vote.ConsensusMessage message) {
        consensus.observe(message);
    }

    /**
     * Lets peers fetch artifacts from this node (docs/p2p.md, "Artifacts"). Until a provider is set, every artifact
     * request is answered not found.
     */
    public void artifactProvider(ArtifactProvider provider) {
        artifacts.provider(provider);
    }

    /** Fetching artifacts from peers by digest. */
    public ArtifactFetch artifactFetch() {
        return artifacts;
    }

    /** Adds an address to dial and keep redialing, like a bootnode. */
    public void addPeer(PeerAddress address) {
        addressBook.add(address, null, true);
        scheduler.execute(this::dialMore);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        sync.stop();
        scheduler.shutdownNow();
        for (PeerConnection c : List.copyOf(connections)) c.close("node shutting down", true);
        if (server != null) {
            server.shutdown();
            try {
                if (!server.awaitTermination(2, TimeUnit.SECONDS)) server.shutdownNow();
            } catch (InterruptedException e) {
                server.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        ioExecutor.shutdownNow();
        LOG.info("p2p stopped");
    }

    // ---------------------------------------------------------------- connections

    private StreamObserver<Frame> accept(StreamObserver<Frame> responses) {
        ServerCallStreamObserver<Frame> r = (ServerCallStreamObserver<Frame>) responses;
        CallInfo info = CALL_INFO.get();
        SocketAddress socket = info == null || info.attributes == null ? null : info.attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (closed || !(socket instanceof InetSocketAddress inet)) {
            r.onError(Status.UNAVAILABLE.withDescription("not accepting peers").asRuntimeException());
            return discard();
        }
        long inbound = connections.stream().filter(c -> c.direction == Direction.INBOUND).count();
        if (inbound >= (long) config.maxInbound() + HANDSHAKE_SLACK) {
            LOG.debug("refusing inbound connection from {}: too many inbound connections", inet);
            r.onError(Status.RESOURCE_EXHAUSTED.withDescription("too many inbound connections").asRuntimeException());
            return discard();
        }
        PeerConnection c = newConnection(Direction.INBOUND, PeerAddress.of(inet));
        info.connection = c;
        connections.add(c);
        return c.attachServer(r);
    }

    private static StreamObserver<Frame> discard() {
        return new StreamObserver<>() {
            @Override public void onNext(Frame value) {}
            @Override public void onError(Throwable t) {}
            @Override public void onCompleted() {}
        };
    }

    private PeerConnection newConnection(Direction direction, PeerAddress remote) {
        byte[] nonce = new byte[Protocol.NONCE_BYTES];
        random.nextBytes(nonce);
        int listenPort = server == null ? 0 : port();
        return new PeerConnection(this, direction, remote, nonce, Handshake.hello(chainIdentity, nodeKey.publicKey(), nonce, listenPort), now());
    }

    private void dialMore() {
        if (closed) return;
        long outbound = connections.stream().filter(c -> c.direction == Direction.OUTBOUND).count();
        int want = (int) (config.maxOutbound() - outbound);
        if (want <= 0) return;
        Set<PeerAddress> busy = new HashSet<>(outboundByAddress.keySet());
        for (PeerConnection c : active.values()) {
            PeerAddress a = c.listenAddress();
            if (a != null) busy.add(a);
        }
        long now = now();
        for (PeerAddress a : addressBook.dueForDial(now, want, busy, id -> active.containsKey(id) || scores.ban(id, now).isPresent())) {
            dial(a);
        }
    }

    private void dial(PeerAddress address) {
        addressBook.onDialStarted(address, now());
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(address.host(), address.port())
                .maxInboundMessageSize(maxMessageBytes)
                .maxInboundMetadataSize(8 * 1024)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .executor(ioExecutor)
                .disableRetry();
        if (clientSsl != null) b.sslContext(clientSsl);
        else b.usePlaintext();
        PeerConnection c = newConnection(Direction.OUTBOUND, address);
        outboundByAddress.put(address, c);
        connections.add(c);
        LOG.debug("dialing {}", address);
        c.attachClient(b.build());
    }

    // ---------------------------------------------------------------- callbacks from connections

    Handshake.ChainIdentity chainIdentity() {
        return chainIdentity;
    }

    KeyPair nodeKey() {
        return nodeKey;
    }

    boolean tls() {
        return tlsCredentials != null;
    }

    Hash localTlsBinding() {
        return tlsCredentials == null ? Hash.ZERO : tlsCredentials.certificateHash();
    }

    long now() {
        return clock.getAsLong();
    }

    Synchronizer sync() {
        return sync;
    }

    void schedule(Runnable task, long delayMillis) {
        if (scheduler.isShutdown()) {
            task.run();
            return;
        }
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    void scheduleHandshakeTimeout(PeerConnection c) {
        schedule(() -> {
            if (c.state() == PeerConnection.State.AWAIT_HELLO || c.state() == PeerConnection.State.AWAIT_AUTH) {
                LOG.info("peer {}: handshake timed out", c.describe());
                c.close("handshake timed out", true);
            }
        }, config.timing().handshakeTimeoutMillis());
    }

    /** Checks made once the peer's Hello names its key, before signing anything for it. Null to go on. */
    String refusalBeforeAuth(PeerConnection c, PublicKey key) {
        if (closed) return "node shutting down";
        if (key.equals(nodeKey.publicKey())) {
            if (c.direction == Direction.OUTBOUND) addressBook.markSelf(c.remote);
            return "connected to itself";
        }
        var ban = scores.ban(key, now());
        if (ban.isPresent()) return "banned until " + java.time.Instant.ofEpochMilli(ban.get().untilMillis()) + ": " + ban.get().reason();
        if (!config.admission().test(key)) return "node key " + key + " is not admitted";
        return null;
    }

    /** The peer proved its key. Registers it unless a limit or an existing connection says no (then the reason). */
    String onAuthenticated(PeerConnection c) {
        PublicKey id = c.peerId();
        PeerConnection replaced = null;
        synchronized (this) {
            if (closed) return "node shutting down";
            PeerConnection existing = active.get(id);
            if (existing != null) {
                if (!keepNew(existing, c)) return "already connected to this node";
                replaced = existing;
            }
            if (c.direction == Direction.INBOUND && replaced == null) {
                long inbound = active.values().stream().filter(p -> p.direction == Direction.INBOUND).count();
                if (inbound >= config.maxInbound()) return "too many inbound peers";
            }
            active.put(id, c);
        }
        if (replaced != null) replaced.close("replaced by another connection to the same node", true);
        if (c.direction == Direction.OUTBOUND) addressBook.onConnected(c.remote, id);
        else if (c.listenAddress() != null) addressBook.add(c.listenAddress(), id, false);
        LOG.info("connected {} peer {} ({}), {} peers", c.direction.name().toLowerCase(), c.describe(), c.remoteHello().getClient(), active.size());
        c.send(statusFrame());
        consensus.onPeerConnected(c);
        requestPeers(c);
        return null;
    }

    /**
     * Of two connections to the same node, both ends keep the same one: the newer if both were opened the same way
     * (the old one is likely dead), else the one dialed by the node with the smaller key.
     */
    private boolean keepNew(PeerConnection existing, PeerConnection fresh) {
        if (existing.direction == fresh.direction) return true;
        boolean weAreSmaller = Arrays.compareUnsigned(nodeKey.publicKey().toBytes(), fresh.peerId().toBytes()) < 0;
        Direction keep = weAreSmaller ? Direction.OUTBOUND : Direction.INBOUND;
        return fresh.direction == keep;
    }

    void onClosed(PeerConnection c) {
        connections.remove(c);
        if (c.direction == Direction.OUTBOUND) outboundByAddress.remove(c.remote, c);
        boolean wasActive = c.peerId() != null && active.remove(c.peerId(), c);
        if (wasActive) LOG.info("disconnected peer {}: {}", c.describe(), c.closeReason());
        else LOG.debug("connection {} ended before authenticating: {}", c.describe(), c.closeReason());
        if (c.direction == Direction.OUTBOUND && !closed) {
            if (c.authenticatedMillis() > 0) addressBook.onDisconnected(c.remote, now());
            else addressBook.onDialFailed(c.remote, now());
        }
    }

    void onOversizedFrame(PeerConnection c, String detail) {
        penalize(c, Misbehavior.OVERSIZED_FRAME, detail == null ? "frame over " + maxMessageBytes + " bytes" : detail);
    }

    /** Lowers the peer's score and bans (and disconnects) it at the threshold; an unauthenticated peer is just cut off. */
    void penalize(PeerConnection c, Misbehavior m, String detail) {
        PublicKey id = c.peerId();
        if (id == null || c.state() == PeerConnection.State.AWAIT_AUTH) {
            LOG.info("peer {} misbehaved before authenticating ({}: {}); disconnecting", c.describe(), m, detail);
            c.close(m + ": " + detail, true);
            return;
        }
        LOG.warn("peer {} penalised {} for {}: {}", c.describe(), m.penalty, m, detail);
        scores.penalize(id, m, detail, now()).ifPresent(ban -> {
            LOG.warn("banned peer {} for {} s: {}", c.describe(), (ban.untilMillis() - now()) / 1000, ban.reason());
            PeerConnection a = active.get(id);
            c.close("banned: " + ban.reason(), true);
            if (a != null) a.close("banned: " + ban.reason(), true);
        });
    }

    /** Penalises a node key that may no longer be connected (a report that arrives after the connection ended). */
    void penalizeKey(PublicKey id, Misbehavior m, String detail) {
        PeerConnection c = active.get(id);
        if (c != null) {
            penalize(c, m, detail);
            return;
        }
        LOG.warn("peer {} penalised {} for {}: {}", id.toHex().substring(0, 16), m.penalty, m, detail);
        scores.penalize(id, m, detail, now()).ifPresent(ban -> LOG.warn("banned peer {} for {} s: {}", id.toHex().substring(0, 16),
                (ban.untilMillis() - now()) / 1000, ban.reason()));
    }

    PeerConnection activePeer(PublicKey id) {
        return active.get(id);
    }

    /** A frame from an authenticated peer. */
    void onFrame(PeerConnection c, Frame f) {
        switch (f.getBodyCase()) {
            case HELLO, AUTH -> penalize(c, Misbehavior.PROTOCOL_VIOLATION, "handshake frame after the handshake");
            case STATUS -> onStatus(c, f.getStatus());
            case DISCONNECT -> c.close("peer disconnected: " + PeerConnection.clip(f.getDisconnect().getReason()), false);
            case TRANSACTIONS -> gossip.onTransactions(c, f.getTransactions());
            case NEW_BLOCK -> gossip.onNewBlock(c, f.getNewBlock());
            case CONSENSUS -> consensus.onMessage(c, f.getConsensus(), activePeers());
            case GET_HEADERS -> {
                String bad = Responder.checkGetHeaders(f.getGetHeaders());
                if (bad != null) penalize(c, Misbehavior.PROTOCOL_VIOLATION, "GetHeaders with " + bad);
                else c.send(Frame.newBuilder().setHeaders(responder.headers(f.getGetHeaders())).build());
            }
            case GET_BLOCKS -> {
                String bad = Responder.checkGetBlocks(f.getGetBlocks());
                if (bad != null) penalize(c, Misbehavior.PROTOCOL_VIOLATION, "GetBlocks with " + bad);
                else c.send(Frame.newBuilder().setBlocks(responder.blocks(f.getGetBlocks())).build());
            }
            case GET_PEERS -> c.send(Frame.newBuilder().setPeers(peersFor(c, f.getGetPeers().getRequestId())).build());
            case HEADERS -> c.complete(f.getHeaders().getRequestId(), f);
            case BLOCKS -> c.complete(f.getBlocks().getRequestId(), f);
            case PEERS -> c.complete(f.getPeers().getRequestId(), f);
            case GET_ARTIFACT_MANIFEST -> artifacts.onGetManifest(c, f.getGetArtifactManifest());
            case GET_ARTIFACT_CHUNK -> artifacts.onGetChunk(c, f.getGetArtifactChunk());
            case ARTIFACT_MANIFEST -> artifacts.onAnswer(c, f.getArtifactManifest().getRequestId(), f);
            case ARTIFACT_CHUNK -> artifacts.onAnswer(c, f.getArtifactChunk().getRequestId(), f);
            case BODY_NOT_SET -> penalize(c, Misbehavior.MALFORMED_FRAME, "frame does not parse or has no body");
        }
    }

    private void onStatus(PeerConnection c, io.maaschain.p2p.proto.Status s) {
        if (s.getHeadHash().size() != Hash.LENGTH || s.getTotalWork().size() > Protocol.MAX_TOTAL_WORK_BYTES) {
            penalize(c, Misbehavior.PROTOCOL_VIOLATION, "Status with malformed fields");
            return;
        }
        c.head(new PeerConnection.PeerHead(Hash.wrap(s.getHeadHash().toByteArray()), s.getHeadHeight(), new BigInteger(1, s.getTotalWork().toByteArray())));
        sync.onPeerStatus(c);
    }

    // ---------------------------------------------------------------- gossip, status, peer exchange

    List<PeerConnection> activePeers() {
        return new ArrayList<>(active.values());
    }

    private void onHeadChanged(List<io.maaschain.ledger.block.Block> added, io.maaschain.chain.Head head) {
        if (closed) return;
        statusDirty = true;
        recheckAdmission = true;
        gossip.onHeadChanged(added, head, activePeers(), sync.syncing());
    }

    private void flushGossip() {
        if (recheckAdmission) {
            recheckAdmission = false;
            dropUnadmitted();
        }
        List<PeerConnection> peers = activePeers();
        gossip.flush(peers);
        if (statusDirty) {
            statusDirty = false;
            Frame status = statusFrame();
            for (PeerConnection p : peers) p.send(status);
        }
    }

    /** The admission rule may read chain state (a permissioned member list): after a head change, peers it now refuses go. */
    private void dropUnadmitted() {
        for (PeerConnection c : activePeers()) {
            if (!config.admission().test(c.peerId())) {
                LOG.info("peer {} is no longer admitted; disconnecting", c.describe());
                c.close("node key " + c.peerId() + " is no longer admitted", true);
            }
        }
    }

    private Frame statusFrame() {
        var head = chain.head();
        byte[] work = head.totalWork().toByteArray();
        if (work.length > 1 && work[0] == 0) work = Arrays.copyOfRange(work, 1, work.length);
        return Frame.newBuilder().setStatus(io.maaschain.p2p.proto.Status.newBuilder()
                .setHeadHash(ByteString.copyFrom(head.hash().toBytes()))
                .setHeadHeight(head.height())
                .setTotalWork(ByteString.copyFrom(work))).build();
    }

    private void exchangePeers() {
        for (PeerConnection c : activePeers()) requestPeers(c);
    }

    private void requestPeers(PeerConnection c) {
        c.request(id -> Frame.newBuilder().setGetPeers(GetPeers.newBuilder().setRequestId(id)).build(), config.timing().requestTimeoutMillis())
                .thenAccept(answer -> onPeers(c, answer))
                .exceptionally(e -> null);
    }

    private void onPeers(PeerConnection c, Frame answer) {
        if (answer.getBodyCase() != Frame.BodyCase.PEERS || answer.getPeers().getPeersCount() > Protocol.MAX_PEERS_PER_FRAME) {
            penalize(c, Misbehavior.PROTOCOL_VIOLATION, "bad answer to GetPeers");
            return;
        }
        for (io.maaschain.p2p.proto.PeerAddress p : answer.getPeers().getPeersList()) {
            if (!wellFormed(p)) {
                penalize(c, Misbehavior.PROTOCOL_VIOLATION, "malformed peer address in Peers");
                return;
            }
            PublicKey key = p.getNodeKey().isEmpty() ? null : PublicKey.wrap(p.getNodeKey().toByteArray());
            if (nodeKey.publicKey().equals(key)) continue;
            addressBook.add(new PeerAddress(p.getHost(), p.getPort()), key, false);
        }
    }

    /** A peer address from a Peers frame that a {@link PeerAddress} and an optional node key can hold. */
    static boolean wellFormed(io.maaschain.p2p.proto.PeerAddress p) {
        return !p.getHost().isEmpty() && p.getHost().length() <= PeerAddress.MAX_HOST_LENGTH && p.getPort() >= 1 && p.getPort() <= 65535
                && (p.getNodeKey().size() == 0 || p.getNodeKey().size() == PublicKey.LENGTH);
    }

    /** Up to 64 addresses: connected peers that accept connections first, then others from the address book. */
    private Peers peersFor(PeerConnection asker, long requestId) {
        Peers.Builder out = Peers.newBuilder().setRequestId(requestId);
        Set<PeerAddress> added = new HashSet<>();
        for (PeerConnection c : active.values()) {
            if (c == asker || out.getPeersCount() >= Protocol.MAX_PEERS_PER_FRAME) continue;
            PeerAddress a = c.listenAddress();
            if (a == null || !added.add(a)) continue;
            out.addPeers(io.maaschain.p2p.proto.PeerAddress.newBuilder().setHost(a.host()).setPort(a.port())
                    .setNodeKey(ByteString.copyFrom(c.peerId().toBytes())));
        }
        PeerAddress askerAddress = asker.listenAddress();
        for (PeerAddress a : addressBook.sample(Protocol.MAX_PEERS_PER_FRAME)) {
            if (out.getPeersCount() >= Protocol.MAX_PEERS_PER_FRAME) break;
            if (a.equals(askerAddress) || !added.add(a)) continue;
            var b = io.maaschain.p2p.proto.PeerAddress.newBuilder().setHost(a.host()).setPort(a.port());
            PublicKey id = addressBook.idOf(a);
            if (id != null) b.setNodeKey(ByteString.copyFrom(id.toBytes()));
            out.addPeers(b);
        }
        return out.build();
    }

    // ---------------------------------------------------------------- plumbing

    private void every(long periodMillis, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("p2p periodic task failed", e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Per-call state shared between the stream tracer (which sees transport attributes and close status) and the call. */
    private static final class CallInfo {
        volatile Attributes attributes;
        volatile PeerConnection connection;
    }

    /** Gives each inbound call its transport attributes, and reports frames gRPC refused as oversized. */
    private final class Tracer extends ServerStreamTracer.Factory {
        @Override
        public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
            CallInfo info = new CallInfo();
            return new ServerStreamTracer() {
                @Override
                public Context filterContext(Context context) {
                    return context.withValue(CALL_INFO, info);
                }

                @Override
                public void serverCallStarted(ServerCallInfo<?, ?> callInfo) {
                    info.attributes = callInfo.getAttributes();
                }

                @Override
                public void streamClosed(Status status) {
                    PeerConnection c = info.connection;
                    if (c != null && status.getCode() == Status.Code.RESOURCE_EXHAUSTED && !closed) {
                        try {
                            ioExecutor.execute(() -> onOversizedFrame(c, status.getDescription()));
                        } catch (java.util.concurrent.RejectedExecutionException e) {
                            LOG.debug("not scoring an oversized frame during shutdown");
                        }
                    }
                }
            };
        }
    }
}
