package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.p2p.proto.Auth;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.Hello;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hand-driven peer that speaks raw bytes on the Connect stream, to play a misbehaving node in tests. */
final class RawPeer implements AutoCloseable {
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> CONNECT = FrameMarshaller.CONNECT.toBuilder(RAW, RAW).build();

    final KeyPair key;
    private final ManagedChannel channel;
    private final StreamObserver<byte[]> out;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    volatile boolean ended;

    private RawPeer(PeerAddress to, KeyPair key) {
        this.key = key;
        this.channel = NettyChannelBuilder.forAddress(to.host(), to.port()).usePlaintext().maxInboundMessageSize(64 << 20).build();
        ClientCall<byte[], byte[]> call = channel.newCall(CONNECT, CallOptions.DEFAULT);
        this.out = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                try {
                    received.add(Frame.parseFrom(value));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                ended = true;
            }

            @Override
            public void onCompleted() {
                ended = true;
            }
        });
    }

    /** Connects and sends a Hello, without waiting. */
    static RawPeer open(PeerAddress to, Handshake.ChainIdentity chain, KeyPair key) {
        return open(to, chain, key, h -> h);
    }

    /** Like {@link #open}, with the Hello changed by {@code tweak} first. */
    static RawPeer open(PeerAddress to, Handshake.ChainIdentity chain, KeyPair key, java.util.function.UnaryOperator<Hello> tweak) {
        RawPeer p = new RawPeer(to, key);
        p.hello = tweak.apply(Handshake.hello(chain, key.publicKey(), nonce(key), 0));
        p.send(Frame.newBuilder().setHello(p.hello).build());
        p.chain = chain;
        return p;
    }

    private Hello hello;
    private Handshake.ChainIdentity chain;

    private static byte[] nonce(KeyPair key) {
        return io.maaschain.crypto.Sha256.hash((key.publicKey().toHex() + System.nanoTime()).getBytes()).toBytes();
    }

    /** Completes the handshake as the initiator; throws if the other side refuses or its signature is wrong. */
    static RawPeer connect(PeerAddress to, Handshake.ChainIdentity chain, KeyPair key) throws InterruptedException {
        return connect(to, chain, key, h -> h);
    }

    static RawPeer connect(PeerAddress to, Handshake.ChainIdentity chain, KeyPair key, java.util.function.UnaryOperator<Hello> tweak)
            throws InterruptedException {
        RawPeer p = open(to, chain, key, tweak);
        Frame theirs = p.next(5_000);
        if (theirs == null || !theirs.hasHello()) throw new IllegalStateException("no Hello from peer: " + theirs);
        byte[] mine = Handshake.transcript(Handshake.ROLE_INITIATOR, chain, p.hello, theirs.getHello(), Hash.ZERO);
        p.send(Frame.newBuilder().setAuth(Auth.newBuilder().setSignature(ByteString.copyFrom(key.sign(mine).toBytes()))).build());
        Frame auth = p.next(5_000);
        if (auth == null || !auth.hasAuth()) throw new IllegalStateException("no Auth from peer: " + auth);
        byte[] expected = Handshake.transcript(Handshake.ROLE_RESPONDER, chain, p.hello, theirs.getHello(), Hash.ZERO);
        if (!Handshake.verify(io.maaschain.crypto.PublicKey.wrap(theirs.getHello().getNodeKey().toByteArray()), expected, auth.getAuth().getSignature())) {
            throw new IllegalStateException("peer's handshake signature does not verify");
        }
        return p;
    }

    void send(Frame f) {
        sendRaw(f.toByteArray());
    }

    synchronized void sendRaw(byte[] bytes) {
        out.onNext(bytes);
    }

    Frame next(long timeoutMillis) throws InterruptedException {
        return received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Waits for a frame of the given kind, skipping others; null on timeout. */
    Frame await(Frame.BodyCase kind, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            Frame f = next(Math.max(1, deadline - System.currentTimeMillis()));
            if (f != null && f.getBodyCase() == kind) return f;
        }
        return null;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
