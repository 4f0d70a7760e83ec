package io.maaschain.p2p;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.PeerGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Frame (de)serialization for the Connect stream. Unlike the stock protobuf marshaller it does not fail the call on
 * bytes that do not parse: it hands back a frame with no body, so the connection can penalise the sender and say why.
 * gRPC has already bounded the frame size before this runs.
 */
final class FrameMarshaller implements MethodDescriptor.Marshaller<Frame> {
    static final FrameMarshaller INSTANCE = new FrameMarshaller();
    /** The Connect method of docs/p2p.md with this marshaller on both sides. */
    static final MethodDescriptor<Frame, Frame> CONNECT = PeerGrpc.getConnectMethod().toBuilder(INSTANCE, INSTANCE).build();

    private FrameMarshaller() {}

    @Override
    public InputStream stream(Frame value) {
        return value.toByteString().newInput();
    }

    @Override
    public Frame parse(InputStream stream) {
        try {
            return Frame.parseFrom(stream);
        } catch (InvalidProtocolBufferException e) {
            return Frame.getDefaultInstance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
