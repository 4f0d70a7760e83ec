package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.p2p.proto.ArtifactChunk;
import io.maaschain.p2p.proto.ArtifactManifest;
import io.maaschain.p2p.proto.ArtifactStatus;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.GetArtifactChunk;
import io.maaschain.p2p.proto.GetArtifactManifest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artifact replication on the wire (docs/p2p.md, "Artifacts"): answers GetArtifactManifest and GetArtifactChunk from
 * the {@link ArtifactProvider}, and sends them for the node's {@link ArtifactFetch}, checking the answers' form.
 * Serving runs on the connection's own thread, one request at a time per peer: reading a piece of at most 1 MiB from
 * disk is short, and gRPC flow control then keeps a peer from queueing more reads than its connection carries.
 */
final class ArtifactExchange implements ArtifactFetch {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactExchange.class);

    private final P2pService service;
    private final long timeoutMillis;
    private volatile ArtifactProvider provider = ArtifactProvider.NONE;

    ArtifactExchange(P2pService service, long timeoutMillis) {
        this.service = service;
        this.timeoutMillis = timeoutMillis;
    }

    void provider(ArtifactProvider p) {
        provider = p == null ? ArtifactProvider.NONE : p;
    }

    // ---------------------------------------------------------------- serving

    void onGetManifest(PeerConnection c, GetArtifactManifest req) {
        if (req.getDigest().size() != Hash.LENGTH) {
            service.penalize(c, Misbehavior.PROTOCOL_VIOLATION, "GetArtifactManifest with a digest of " + req.getDigest().size() + " bytes");
            return;
        }
        Hash digest = Hash.wrap(req.getDigest().toByteArray());
        ArtifactManifest.Builder out = ArtifactManifest.newBuilder().setRequestId(req.getRequestId());
        ArtifactProvider p = provider;
        try {
            if (!p.mayServe(digest, c.peerId())) {
                LOG.info("refused the manifest of artifact {} to peer {}: not allowed", digest, c.describe());
                out.setStatus(ArtifactStatus.ARTIFACT_DENIED);
            } else {
                Optional<byte[]> m = p.manifest(digest);
                if (m.isPresent() && m.get().length >= Protocol.MIN_ARTIFACT_MANIFEST_BYTES && m.get().length <= Protocol.MAX_ARTIFACT_MANIFEST_BYTES) {
                    out.setStatus(ArtifactStatus.ARTIFACT_OK).setManifest(UnsafeByteOperations.unsafeWrap(m.get()));
                    LOG.debug("sent the manifest of artifact {} to peer {}", digest, c.describe());
                } else {
                    if (m.isPresent()) LOG.warn("cannot send the manifest of artifact {}: {} bytes is over the frame limit", digest, m.get().length);
                    out.setStatus(ArtifactStatus.ARTIFACT_NOT_FOUND);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot answer a manifest request for artifact {} from {}: {}", digest, c.describe(), e.toString());
            out.setStatus(ArtifactStatus.ARTIFACT_NOT_FOUND).clearManifest();
        }
        c.send(Frame.newBuilder().setArtifactManifest(out).build());
    }

    void onGetChunk(PeerConnection c, GetArtifactChunk req) {
        String bad = checkGetChunk(req);
        if (bad != null) {
            service.penalize(c, Misbehavior.PROTOCOL_VIOLATION, "GetArtifactChunk with " + bad);
            return;
        }
        Hash digest = Hash.wrap(req.getDigest().toByteArray());
        ArtifactChunk.Builder out = ArtifactChunk.newBuilder().setRequestId(req.getRequestId()).setIndex(req.getIndex()).setOffset(req.getOffset());
        ArtifactProvider p = provider;
        try {
            if (!p.mayServe(digest, c.peerId())) {
                LOG.info("refused chunk {} of artifact {} to peer {}: not allowed", req.getIndex(), digest, c.describe());
                out.setStatus(ArtifactStatus.ARTIFACT_DENIED);
            } else {
                Optional<ByteBuffer> data = p.readChunk(digest, req.getIndex(), req.getOffset(), req.getLength());
                if (data.isPresent() && data.get().remaining() == req.getLength()) {
                    out.setStatus(ArtifactStatus.ARTIFACT_OK).setData(UnsafeByteOperations.unsafeWrap(data.get()));
                } else {
                    out.setStatus(ArtifactStatus.ARTIFACT_NOT_FOUND);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot answer a chunk request for artifact {} from {}: {}", digest, c.describe(), e.toString());
            out.setStatus(ArtifactStatus.ARTIFACT_NOT_FOUND).clearData();
        }
        c.send(Frame.newBuilder().setArtifactChunk(out).build());
    }

    /** Null if the request is within limits, else what is wrong with it. */
    static String checkGetChunk(GetArtifactChunk req) {
        if (req.getDigest().size() != Hash.LENGTH) return "a digest of " + req.getDigest().size() + " bytes";
        if (req.getLength() < 1 || req.getLength() > Protocol.MAX_ARTIFACT_PIECE_BYTES) return "length " + Integer.toUnsignedString(req.getLength());
        if (req.getIndex() < 0 || req.getOffset() < 0) return "index or offset out of range";
        return null;
    }

    // ---------------------------------------------------------------- answers

    /** An ArtifactManifest or ArtifactChunk frame: to its request, ignored if late, a violation if never asked for. */
    void onAnswer(PeerConnection c, long requestId, Frame f) {
        if (c.complete(requestId, f)) return;
        if (c.issued(requestId)) {
            LOG.debug("late {} from {} (request {})", f.getBodyCase(), c.describe(), requestId);
        } else {
            service.penalize(c, Misbehavior.PROTOCOL_VIOLATION, "unsolicited " + f.getBodyCase() + " (request id " + requestId + " was never sent)");
        }
    }

    // ---------------------------------------------------------------- fetching

    @Override
    public List<PublicKey> connectedPeers() {
        return service.activePeers().stream().filter(c -> c.supports(Protocol.FEATURE_ARTIFACTS)).map(PeerConnection::peerId).toList();
    }

    @Override
    public CompletableFuture<ManifestAnswer> requestManifest(PublicKey peer, Hash digest) {
        ByteString d = ByteString.copyFrom(digest.toBytes());
        return ask(peer, id -> Frame.newBuilder().setGetArtifactManifest(GetArtifactManifest.newBuilder().setRequestId(id).setDigest(d)).build(),
                "manifest", (c, answer) -> {
                    if (answer.getBodyCase() != Frame.BodyCase.ARTIFACT_MANIFEST) throw violation(c, "answered GetArtifactManifest with " + answer.getBodyCase());
                    ArtifactManifest m = answer.getArtifactManifest();
                    return switch (m.getStatus()) {
                        case ARTIFACT_OK -> {
                            int n = m.getManifest().size();
                            if (n < Protocol.MIN_ARTIFACT_MANIFEST_BYTES || n > Protocol.MAX_ARTIFACT_MANIFEST_BYTES) {
                                throw violation(c, "ArtifactManifest of " + n + " bytes");
                            }
                            yield new ManifestAnswer(Status.FOUND, m.getManifest().toByteArray());
                        }
                        case ARTIFACT_NOT_FOUND -> new ManifestAnswer(Status.NOT_FOUND, new byte[0]);
                        case ARTIFACT_DENIED -> new ManifestAnswer(Status.DENIED, new byte[0]);
                        case UNRECOGNIZED -> throw violation(c, "ArtifactManifest with an unknown status");
                    };
                });
    }

    @Override
    public CompletableFuture<ByteBuffer> requestChunk(PublicKey peer, Hash digest, int index, int offset, int length) {
        if (index < 0 || offset < 0 || length < 1 || length > Protocol.MAX_ARTIFACT_PIECE_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad chunk range: index " + index + ", offset " + offset + ", length " + length));
        }
        ByteString d = ByteString.copyFrom(digest.toBytes());
        return ask(peer, id -> Frame.newBuilder().setGetArtifactChunk(GetArtifactChunk.newBuilder().setRequestId(id).setDigest(d)
                        .setIndex(index).setOffset(offset).setLength(length)).build(),
                "chunk", (c, answer) -> {
                    if (answer.getBodyCase() != Frame.BodyCase.ARTIFACT_CHUNK) throw violation(c, "answered GetArtifactChunk with " + answer.getBodyCase());
                    ArtifactChunk a = answer.getArtifactChunk();
                    return switch (a.getStatus()) {
                        case ARTIFACT_OK -> {
                            if (a.getIndex() != index || a.getOffset() != offset) {
                                throw violation(c, "ArtifactChunk for chunk " + a.getIndex() + " at " + a.getOffset() + ", asked for chunk " + index + " at " + offset);
                            }
                            if (a.getData().size() != length) throw violation(c, "ArtifactChunk of " + a.getData().size() + " bytes, asked for " + length);
                            yield a.getData().asReadOnlyByteBuffer();
                        }
                        case ARTIFACT_NOT_FOUND -> throw new Refused(Status.NOT_FOUND, "peer " + c.describe() + " does not have chunk " + index + " of " + digest);
                        case ARTIFACT_DENIED -> throw new Refused(Status.DENIED, "peer " + c.describe() + " refuses artifact " + digest + " to this node");
                        case UNRECOGNIZED -> throw violation(c, "ArtifactChunk with an unknown status");
                    };
                });
    }

    @Override
    public void reportInvalidData(PublicKey peer, String detail) {
        PeerConnection c = service.activePeer(peer);
        if (c != null) service.penalize(c, Misbehavior.INVALID_ARTIFACT_DATA, detail);
        else service.penalizeKey(peer, Misbehavior.INVALID_ARTIFACT_DATA, detail);
    }

    private interface AnswerCheck<T> {
        T check(PeerConnection c, Frame answer);
    }

    private <T> CompletableFuture<T> ask(PublicKey peer, java.util.function.LongFunction<Frame> make, String what, AnswerCheck<T> check) {
        PeerConnection c = service.activePeer(peer);
        if (c == null) return CompletableFuture.failedFuture(new Unavailable("peer " + peer + " is not connected"));
        if (!c.supports(Protocol.FEATURE_ARTIFACTS)) {
            return CompletableFuture.failedFuture(new Unavailable("peer " + c.describe() + " does not speak " + Protocol.FEATURE_ARTIFACTS));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        c.request(make, timeoutMillis).whenComplete((answer, error) -> {
            if (error != null) {
                Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (e instanceof TimeoutException) {
                    service.penalize(c, Misbehavior.TIMEOUT, "no answer to an artifact " + what + " request");
                    result.completeExceptionally(e);
                } else {
                    result.completeExceptionally(new Unavailable(e.getMessage()));
                }
                return;
            }
            try {
                result.complete(check.check(c, answer));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private ProtocolViolation violation(PeerConnection c, String detail) {
        service.penalize(c, Misbehavior.PROTOCOL_VIOLATION, detail);
        return new ProtocolViolation(detail);
    }
}
