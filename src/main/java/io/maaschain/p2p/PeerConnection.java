package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.p2p.proto.Auth;
import io.maaschain.p2p.proto.Disconnect;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.Hello;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection: a Connect stream, its handshake, a bounded send queue that respects gRPC flow control, and
 * the requests waiting for answers. Frames from the peer arrive one at a time (gRPC serializes a call's callbacks);
 * after the handshake they go to {@link P2pService#onFrame}.
 */
final class PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    enum State { AWAIT_HELLO, AWAIT_AUTH, ACTIVE, CLOSED }

    /** The peer's head as last reported. */
    record PeerHead(Hash hash, long height, BigInteger totalWork) {}

    final P2pService service;
    final Direction direction;
    /** The socket address for inbound peers, the dialed address for outbound ones. */
    final PeerAddress remote;
    final long openedMillis;
    final SeenCache<Hash> knownTxs = new SeenCache<>(20_000);
    final SeenCache<Hash> knownBlocks = new SeenCache<>(2_048);
    final SeenCache<Hash> knownConsensus = new SeenCache<>(8_192);

    private final Object lock = new Object();
    private final byte[] localNonce;
    private final Hello localHello;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private long queuedBytes;
    private int dropped;
    private long nextRequestId = 1;
    private volatile State state = State.AWAIT_HELLO;
    private CallStreamObserver<Frame> out;
    private ManagedChannel channel;
    private ClientCall<Frame, Frame> clientCall;
    private Hello remoteHello;
    private Hash tlsBinding = Hash.ZERO;
    private volatile PublicKey peerId;
    private volatile PeerHead head;
    private volatile String closeReason;
    private volatile long authenticatedMillis;
    /** The peer head at which a sync from this peer last made no progress; skipped until the head changes. */
    volatile PeerHead noProgressAt;

    PeerConnection(P2pService service, Direction direction, PeerAddress remote, byte[] localNonce, Hello localHello, long now) {
        this.service = service;
        this.direction = direction;
        this.remote = remote;
        this.localNonce = localNonce;
        this.localHello = localHello;
        this.openedMillis = now;
    }

    // ---------------------------------------------------------------- wiring to a gRPC call

    /** Inbound: the server side of a Connect call. Returns the observer gRPC feeds the peer's frames to. */
    StreamObserver<Frame> attachServer(ServerCallStreamObserver<Frame> responses) {
        responses.setOnCancelHandler(() -> closed("the peer went away"));
        responses.setOnReadyHandler(this::drain);
        synchronized (lock) {
            out = responses;
        }
        start();
        return receiver();
    }

    /** Outbound: opens the Connect call on {@code ch}. */
    void attachClient(ManagedChannel ch) {
        this.channel = ch;
        this.clientCall = ch.newCall(FrameMarshaller.CONNECT, io.grpc.CallOptions.DEFAULT);
        StreamObserver<Frame> receiver = receiver();
        ClientResponseObserver<Frame, Frame> observer = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Frame> requests) {
                requests.setOnReadyHandler(PeerConnection.this::drain);
                synchronized (lock) {
                    out = requests;
                }
            }

            @Override
            public void onNext(Frame f) {
                receiver.onNext(f);
            }

            @Override
            public void onError(Throwable t) {
                receiver.onError(t);
            }

            @Override
            public void onCompleted() {
                receiver.onCompleted();
            }
        };
        io.grpc.stub.ClientCalls.asyncBidiStreamingCall(clientCall, observer);
        start();
    }

    private void start() {
        sendNow(Frame.newBuilder().setHello(localHello).build());
        service.scheduleHandshakeTimeout(this);
    }

    private StreamObserver<Frame> receiver() {
        return new StreamObserver<>() {
            @Override
            public void onNext(Frame f) {
                try {
                    receive(f);
                } catch (RuntimeException e) {
                    LOG.error("peer {}: failed handling a {} frame", describe(), f.getBodyCase(), e);
                    close("internal error handling a frame", true);
                }
            }

            @Override
            public void onError(Throwable t) {
                Status s = Status.fromThrowable(t);
                if (s.getCode() == Status.Code.RESOURCE_EXHAUSTED) service.onOversizedFrame(PeerConnection.this, s.getDescription());
                closed(describeStatus(s));
            }

            @Override
            public void onCompleted() {
                closed("the peer closed the stream");
            }
        };
    }

    private static String describeStatus(Status s) {
        return "stream ended: " + s.getCode() + (s.getDescription() == null ? "" : " (" + s.getDescription() + ")");
    }

    // ---------------------------------------------------------------- handshake

    private void receive(Frame f) {
        switch (state) {
            case ACTIVE -> service.onFrame(this, f);
            case AWAIT_HELLO -> onHello(f);
            case AWAIT_AUTH -> onAuth(f);
            case CLOSED -> { }
        }
    }

    private void onHello(Frame f) {
        if (f.getBodyCase() == Frame.BodyCase.DISCONNECT) {
            close("peer refused: " + clip(f.getDisconnect().getReason()), false);
            return;
        }
        if (f.getBodyCase() != Frame.BodyCase.HELLO) {
            refuse("expected Hello, got " + f.getBodyCase());
            return;
        }
        Hello h = f.getHello();
        PublicKey key;
        try {
            key = Handshake.checkHello(h, service.chainIdentity());
        } catch (Handshake.Refused r) {
            refuse(r.getMessage());
            return;
        }
        String refusal = service.refusalBeforeAuth(this, key);
        if (refusal != null) {
            refuse(refusal);
            return;
        }
        remoteHello = h;
        peerId = key;
        tlsBinding = direction == Direction.INBOUND ? service.localTlsBinding() : serverCertificateHash();
        if (tlsBinding == null) {
            refuse("TLS is on but the peer's certificate is unavailable");
            return;
        }
        state = State.AWAIT_AUTH;
        byte[] transcript = transcript(direction == Direction.OUTBOUND ? Handshake.ROLE_INITIATOR : Handshake.ROLE_RESPONDER);
        ByteString sig = ByteString.copyFrom(service.nodeKey().sign(transcript).toBytes());
        sendNow(Frame.newBuilder().setAuth(Auth.newBuilder().setSignature(sig)).build());
    }

    private void onAuth(Frame f) {
        if (f.getBodyCase() == Frame.BodyCase.DISCONNECT) {
            close("peer refused: " + clip(f.getDisconnect().getReason()), false);
            return;
        }
        if (f.getBodyCase() != Frame.BodyCase.AUTH) {
            refuse("expected Auth, got " + f.getBodyCase());
            return;
        }
        byte[] transcript = transcript(direction == Direction.OUTBOUND ? Handshake.ROLE_RESPONDER : Handshake.ROLE_INITIATOR);
        if (!Handshake.verify(peerId, transcript, f.getAuth().getSignature())) {
            refuse("handshake signature does not verify for node key " + peerId);
            return;
        }
        authenticatedMillis = service.now();
        state = State.ACTIVE;
        String refusal = service.onAuthenticated(this);
        if (refusal != null) refuse(refusal);
    }

    private byte[] transcript(int signerRole) {
        Hello initiator = direction == Direction.OUTBOUND ? localHello : remoteHello;
        Hello responder = direction == Direction.OUTBOUND ? remoteHello : localHello;
        return Handshake.transcript(signerRole, service.chainIdentity(), initiator, responder, tlsBinding);
    }

    private Hash serverCertificateHash() {
        if (!service.tls()) return Hash.ZERO;
        SSLSession session = clientCall.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) return null;
        try {
            return TlsCredentials.certificateHash(session.getPeerCertificates()[0]);
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private void refuse(String reason) {
        LOG.info("refused {} peer {} {}: {}", direction.name().toLowerCase(), remote, peerId == null ? "" : peerId, reason);
        close(reason, true);
    }

    // ---------------------------------------------------------------- sending

    /** Queues a frame; gossip that does not fit in the bounded queue is dropped, and a peer that keeps not reading is cut. */
    void send(Frame f) {
        boolean overflow;
        synchronized (lock) {
            if (state == State.CLOSED || out == null) return;
            int size = f.getSerializedSize();
            if (queue.isEmpty() && out.isReady()) {
                write(f);
                return;
            }
            overflow = queue.size() >= Protocol.MAX_SEND_QUEUE_FRAMES || queuedBytes + size > Protocol.MAX_SEND_QUEUE_BYTES;
            if (!overflow) {
                queue.add(f);
                queuedBytes += size;
                return;
            }
            dropped++;
            overflow = dropped > Protocol.MAX_DROPPED_FRAMES;
        }
        if (overflow) close("send queue overflowing: the peer does not read", true);
    }

    /** Writes at once, ahead of the queue (handshake and disconnect frames). */
    private void sendNow(Frame f) {
        synchronized (lock) {
            if (out != null) write(f);
        }
    }

    private void write(Frame f) {
        try {
            out.onNext(f);
        } catch (RuntimeException e) {
            LOG.debug("peer {}: write failed: {}", describe(), e.toString());
        }
    }

    private void drain() {
        synchronized (lock) {
            while (!queue.isEmpty() && out.isReady() && state != State.CLOSED) {
                Frame f = queue.poll();
                queuedBytes -= f.getSerializedSize();
                write(f);
            }
        }
    }

    // ---------------------------------------------------------------- requests

    /** Sends a request built around a fresh id; the future completes with the answer, or fails on timeout or close. */
    CompletableFuture<Frame> request(LongFunction<Frame> make, long timeoutMillis) {
        CompletableFuture<Frame> f = new CompletableFuture<>();
        if (state != State.ACTIVE) {
            f.completeExceptionally(new PeerGoneException(describe() + " is not connected"));
            return f;
        }
        if (pending.size() >= Protocol.MAX_PENDING_REQUESTS) {
            f.completeExceptionally(new PeerGoneException(describe() + " has too many requests in flight"));
            return f;
        }
        long id;
        synchronized (lock) {
            id = nextRequestId++;
        }
        pending.put(id, f);
        f.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(id));
        send(make.apply(id));
        return f;
    }

    /** Whether a request with this id was ever sent on this connection; an answer to any other id was never asked for. */
    boolean issued(long requestId) {
        synchronized (lock) {
            return requestId >= 1 && requestId < nextRequestId;
        }
    }

    /** Hands an answer to its request; false if none waits for this id (late, or never asked). */
    boolean complete(long requestId, Frame answer) {
        CompletableFuture<Frame> f = pending.remove(requestId);
        return f != null && f.complete(answer);
    }

    static final class PeerGoneException extends RuntimeException {
        PeerGoneException(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------- closing

    /** Closes the connection, telling the peer why when {@code notify}. */
    void close(String reason, boolean notify) {
        synchronized (lock) {
            if (state == State.CLOSED) return;
            state = State.CLOSED;
            closeReason = reason;
            queue.clear();
            if (out != null) {
                if (notify) write(Frame.newBuilder().setDisconnect(Disconnect.newBuilder().setReason(clip(reason))).build());
                try {
                    out.onCompleted();
                } catch (RuntimeException e) {
                    LOG.trace("peer {}: completing the stream failed: {}", describe(), e.toString());
                }
            }
        }
        finish();
    }

    /** The stream ended from the peer's side or the transport. */
    private void closed(String reason) {
        synchronized (lock) {
            if (state == State.CLOSED) return;
            state = State.CLOSED;
            closeReason = reason;
            queue.clear();
            if (direction == Direction.INBOUND && out != null) {
                try {
                    out.onCompleted();
                } catch (RuntimeException e) {
                    LOG.trace("peer {}: completing the stream failed: {}", describe(), e.toString());
                }
            }
        }
        finish();
    }

    private void finish() {
        List<CompletableFuture<Frame>> waiting = new ArrayList<>(pending.values());
        pending.clear();
        for (CompletableFuture<Frame> f : waiting) f.completeExceptionally(new PeerGoneException(describe() + " disconnected"));
        if (channel != null) {
            channel.shutdown();
            service.schedule(channel::shutdownNow, 2_000);
        }
        service.onClosed(this);
    }

    // ---------------------------------------------------------------- accessors

    State state() {
        return state;
    }

    boolean active() {
        return state == State.ACTIVE;
    }

    PublicKey peerId() {
        return peerId;
    }

    Hello remoteHello() {
        return remoteHello;
    }

    /** Whether the peer's Hello lists this feature. */
    boolean supports(String feature) {
        Hello h = remoteHello;
        return h != null && h.getFeaturesList().contains(feature);
    }

    PeerHead head() {
        return head;
    }

    void head(PeerHead h) {
        head = h;
    }

    String closeReason() {
        return closeReason;
    }

    long authenticatedMillis() {
        return authenticatedMillis;
    }

    byte[] localNonce() {
        return localNonce.clone();
    }

    /** The address the peer accepts connections on, if it gave one. */
    PeerAddress listenAddress() {
        if (direction == Direction.OUTBOUND) return remote;
        int port = remoteHello == null ? 0 : remoteHello.getListenPort();
        return port == 0 ? null : new PeerAddress(remote.host(), port);
    }

    String describe() {
        return remote + (peerId == null ? "" : " (" + peerId.toHex().substring(0, 16) + ")");
    }

    static String clip(String s) {
        return s.length() <= Protocol.MAX_REASON_CHARS ? s : s.substring(0, Protocol.MAX_REASON_CHARS);
    }

    @Override
    public String toString() {
        return "PeerConnection[" + direction + " " + describe() + " " + state + "]";
    }
}
