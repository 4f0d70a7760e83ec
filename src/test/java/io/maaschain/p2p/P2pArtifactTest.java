package io.maaschain.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.p2p.proto.ArtifactChunk;
import io.maaschain.p2p.proto.ArtifactStatus;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.GetArtifactChunk;
import io.maaschain.p2p.proto.GetArtifactManifest;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The artifact frames on the wire: what a node answers, and what it penalises, with a hand-driven peer on the other end. */
class P2pArtifactTest {
    static final Hash DIGEST = Sha256.hash("artifact".getBytes(StandardCharsets.UTF_8));
    static final Hash SECRET = Sha256.hash("secret".getBytes(StandardCharsets.UTF_8));
    static final int CHUNK = 2 << 20;
    static final byte[] MANIFEST = new byte[117];
    static final KeyPair DENIED_KEY = Fixtures.key(611);

    final Genesis genesis = TestChain.genesis(Fixtures.key(1));
    TestNode a;
    Handshake.ChainIdentity chainId;

    /** One artifact of one 2 MiB chunk whose byte i is i mod 251; SECRET exists but is refused to DENIED_KEY. */
    static final ArtifactProvider PROVIDER = new ArtifactProvider() {
        @Override
        public boolean mayServe(Hash digest, PublicKey peer) {
            return !(digest.equals(SECRET) && peer.equals(DENIED_KEY.publicKey()));
        }

        @Override
        public Optional<byte[]> manifest(Hash digest) {
            return digest.equals(DIGEST) || digest.equals(SECRET) ? Optional.of(MANIFEST) : Optional.empty();
        }

        @Override
        public Optional<ByteBuffer> readChunk(Hash digest, int index, int offset, int length) {
            if (!(digest.equals(DIGEST) || digest.equals(SECRET)) || index != 0 || (long) offset + length > CHUNK) return Optional.empty();
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++) b[i] = (byte) ((offset + i) % 251);
            return Optional.of(ByteBuffer.wrap(b));
        }
    };

    @BeforeEach
    void start() throws Exception {
        a = TestNode.start(0, genesis, c -> c);
        a.p2p.artifactProvider(PROVIDER);
        chainId = new Handshake.ChainIdentity(Fixtures.CHAIN_ID, a.chain.genesisHash());
    }

    @AfterEach
    void stop() {
        a.close();
    }

    RawPeer connect(KeyPair key) throws Exception {
        RawPeer raw = RawPeer.connect(a.address(), chainId, key);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.p2p.peers().stream().anyMatch(p -> p.id().equals(key.publicKey())));
        return raw;
    }

    static ByteString bytes(Hash h) {
        return ByteString.copyFrom(h.toBytes());
    }

    Frame ask(RawPeer raw, Frame request, Frame.BodyCase answer) throws InterruptedException {
        raw.send(request);
        Frame f = raw.await(answer, 5_000);
        assertThat(f).as("answer %s", answer).isNotNull();
        return f;
    }

    static Frame getChunk(long id, Hash digest, int index, int offset, int length) {
        return Frame.newBuilder().setGetArtifactChunk(GetArtifactChunk.newBuilder().setRequestId(id).setDigest(bytes(digest))
                .setIndex(index).setOffset(offset).setLength(length)).build();
    }

    int scoreOf(KeyPair key) {
        return a.p2p.peers().stream().filter(p -> p.id().equals(key.publicKey())).findFirst().map(PeerInfo::score).orElse(Integer.MIN_VALUE);
    }

    void awaitBanned(KeyPair key, String reasonPart) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.p2p.bans()).anySatisfy(ban -> {
            assertThat(ban.id()).isEqualTo(key.publicKey());
            assertThat(ban.reason()).contains(reasonPart);
        }));
    }

    @Test
    void manifestsAndPiecesAreServedNotFoundOrDenied() throws Exception {
        try (RawPeer raw = connect(Fixtures.key(601)); RawPeer denied = connect(DENIED_KEY)) {
            Frame m = ask(raw, Frame.newBuilder().setGetArtifactManifest(GetArtifactManifest.newBuilder().setRequestId(7).setDigest(bytes(DIGEST))).build(),
                    Frame.BodyCase.ARTIFACT_MANIFEST);
            assertThat(m.getArtifactManifest().getRequestId()).isEqualTo(7);
            assertThat(m.getArtifactManifest().getStatus()).isEqualTo(ArtifactStatus.ARTIFACT_OK);
            assertThat(m.getArtifactManifest().getManifest().toByteArray()).isEqualTo(MANIFEST);

            Frame c = ask(raw, getChunk(8, DIGEST, 0, CHUNK - 1000, 1000), Frame.BodyCase.ARTIFACT_CHUNK);
            ArtifactChunk chunk = c.getArtifactChunk();
            assertThat(chunk.getStatus()).isEqualTo(ArtifactStatus.ARTIFACT_OK);
            assertThat(chunk.getRequestId()).isEqualTo(8);
            assertThat(chunk.getOffset()).isEqualTo(CHUNK - 1000);
            assertThat(chunk.getData().toByteArray()).isEqualTo(PROVIDER.readChunk(DIGEST, 0, CHUNK - 1000, 1000).orElseThrow().array());

            // Past the chunk's end, a chunk that does not exist, an artifact not stored: not found, not penalised.
            assertThat(ask(raw, getChunk(9, DIGEST, 0, CHUNK - 10, 11), Frame.BodyCase.ARTIFACT_CHUNK).getArtifactChunk().getStatus())
                    .isEqualTo(ArtifactStatus.ARTIFACT_NOT_FOUND);
            assertThat(ask(raw, getChunk(10, DIGEST, 1, 0, 10), Frame.BodyCase.ARTIFACT_CHUNK).getArtifactChunk().getStatus())
                    .isEqualTo(ArtifactStatus.ARTIFACT_NOT_FOUND);
            Hash unknown = Sha256.hash(new byte[] {1});
            Frame nf = ask(raw, Frame.newBuilder().setGetArtifactManifest(GetArtifactManifest.newBuilder().setRequestId(11).setDigest(bytes(unknown))).build(),
                    Frame.BodyCase.ARTIFACT_MANIFEST);
            assertThat(nf.getArtifactManifest().getStatus()).isEqualTo(ArtifactStatus.ARTIFACT_NOT_FOUND);
            assertThat(nf.getArtifactManifest().getManifest()).isEmpty();

            // The access rule speaks first.
            Frame d = ask(denied, Frame.newBuilder().setGetArtifactManifest(GetArtifactManifest.newBuilder().setRequestId(1).setDigest(bytes(SECRET))).build(),
                    Frame.BodyCase.ARTIFACT_MANIFEST);
            assertThat(d.getArtifactManifest().getStatus()).isEqualTo(ArtifactStatus.ARTIFACT_DENIED);
            assertThat(d.getArtifactManifest().getManifest()).isEmpty();
            Frame dc = ask(denied, getChunk(2, SECRET, 0, 0, 100), Frame.BodyCase.ARTIFACT_CHUNK);
            assertThat(dc.getArtifactChunk().getStatus()).isEqualTo(ArtifactStatus.ARTIFACT_DENIED);
            assertThat(dc.getArtifactChunk().getData()).isEmpty();
            assertThat(ask(denied, getChunk(3, DIGEST, 0, 0, 100), Frame.BodyCase.ARTIFACT_CHUNK).getArtifactChunk().getStatus())
                    .isEqualTo(ArtifactStatus.ARTIFACT_OK);

            assertThat(scoreOf(Fixtures.key(601))).isZero();
            assertThat(scoreOf(DENIED_KEY)).isZero();
        }
    }

    @Test
    void aPieceRequestOverTheLimitIsAViolation() throws Exception {
        KeyPair key = Fixtures.key(602);
        try (RawPeer raw = connect(key)) {
            raw.send(getChunk(1, DIGEST, 0, 0, ArtifactFetch.MAX_PIECE_BYTES + 1));
            raw.send(Frame.newBuilder().setGetArtifactManifest(GetArtifactManifest.newBuilder().setRequestId(2)
                    .setDigest(ByteString.copyFrom(new byte[31]))).build());
            awaitBanned(key, "PROTOCOL_VIOLATION");
        }
    }

    @Test
    void anAnswerToARequestNeverSentIsAViolation() throws Exception {
        KeyPair key = Fixtures.key(603);
        try (RawPeer raw = connect(key)) {
            for (int i = 0; i < 2; i++) {
                raw.send(Frame.newBuilder().setArtifactChunk(ArtifactChunk.newBuilder().setRequestId(1_000_000 + i)
                        .setData(ByteString.copyFrom(new byte[1000]))).build());
            }
            awaitBanned(key, "unsolicited");
        }
    }

    @Test
    void malformedOrMissingAnswersCostTheAnsweringPeer() throws Exception {
        KeyPair key = Fixtures.key(604);
        try (RawPeer raw = connect(key)) {
            ArtifactFetch fetch = a.p2p.artifactFetch();
            assertThat(fetch.connectedPeers()).contains(key.publicKey());

            // A refusal fails the future without a penalty (asked first: the node's own GetPeers to this mute peer time out after 5 s).
            int before = scoreOf(key);
            CompletableFuture<ArtifactFetch.ManifestAnswer> refused = fetch.requestManifest(key.publicKey(), DIGEST);
            GetArtifactManifest mreq = raw.await(Frame.BodyCase.GET_ARTIFACT_MANIFEST, 5_000).getGetArtifactManifest();
            raw.send(Frame.newBuilder().setArtifactManifest(io.maaschain.p2p.proto.ArtifactManifest.newBuilder().setRequestId(mreq.getRequestId())
                    .setStatus(ArtifactStatus.ARTIFACT_DENIED)).build());
            assertThat(refused.get().status()).isEqualTo(ArtifactFetch.Status.DENIED);
            assertThat(scoreOf(key)).isGreaterThanOrEqualTo(before);

            // A piece one byte short.
            CompletableFuture<ByteBuffer> shortPiece = fetch.requestChunk(key.publicKey(), DIGEST, 3, 10, 1000);
            GetArtifactChunk req = raw.await(Frame.BodyCase.GET_ARTIFACT_CHUNK, 5_000).getGetArtifactChunk();
            assertThat(req.getIndex()).isEqualTo(3);
            assertThat(req.getOffset()).isEqualTo(10);
            assertThat(req.getLength()).isEqualTo(1000);
            raw.send(Frame.newBuilder().setArtifactChunk(ArtifactChunk.newBuilder().setRequestId(req.getRequestId()).setIndex(3).setOffset(10)
                    .setData(ByteString.copyFrom(new byte[999]))).build());
            assertThatThrownBy(shortPiece::get).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ArtifactFetch.ProtocolViolation.class);
            assertThat(scoreOf(key)).isLessThanOrEqualTo(-50);

            // A good one goes through.
            CompletableFuture<ByteBuffer> good = fetch.requestChunk(key.publicKey(), DIGEST, 0, 0, 4);
            req = raw.await(Frame.BodyCase.GET_ARTIFACT_CHUNK, 5_000).getGetArtifactChunk();
            raw.send(Frame.newBuilder().setArtifactChunk(ArtifactChunk.newBuilder().setRequestId(req.getRequestId())
                    .setData(ByteString.copyFrom(new byte[] {1, 2, 3, 4}))).build());
            ByteBuffer got = good.get();
            byte[] four = new byte[4];
            got.get(four);
            assertThat(four).isEqualTo(new byte[] {1, 2, 3, 4});

            // No answer at all: a timeout (5 s with the test timing), and a penalty of 10 (less at most 1 point recovered meanwhile).
            int beforeSilence = scoreOf(key);
            CompletableFuture<ByteBuffer> silent = fetch.requestChunk(key.publicKey(), DIGEST, 0, 0, 10);
            assertThatThrownBy(silent::get).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
            assertThat(scoreOf(key)).isLessThanOrEqualTo(beforeSilence - 9);
        }
    }

    @Test
    void peersWhoseHelloDoesNotListTheFeatureAreNotAsked() throws Exception {
        KeyPair key = Fixtures.key(605);
        try (RawPeer old = RawPeer.connect(a.address(), chainId, key, h -> h.toBuilder().clearFeatures().build())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> a.p2p.peers().stream().anyMatch(p -> p.id().equals(key.publicKey())));
            assertThat(a.p2p.artifactFetch().connectedPeers()).doesNotContain(key.publicKey());
            CompletableFuture<ByteBuffer> f = a.p2p.artifactFetch().requestChunk(key.publicKey(), DIGEST, 0, 0, 10);
            assertThatThrownBy(f::get).cause().isInstanceOf(ArtifactFetch.Unavailable.class).hasMessageContaining("artifacts/1");
            assertThat(old.await(Frame.BodyCase.GET_ARTIFACT_CHUNK, 300)).isNull();
        }
        try (RawPeer bad = RawPeer.open(a.address(), chainId, Fixtures.key(606), h -> h.toBuilder().addFeatures("x".repeat(33)).build())) {
            Frame bye = bad.await(Frame.BodyCase.DISCONNECT, 5_000);
            assertThat(bye).isNotNull();
            assertThat(bye.getDisconnect().getReason()).contains("feature");
        }
    }

    @Test
    void fetchingFromAPeerThatIsNotConnectedFailsAtOnce() {
        CompletableFuture<ByteBuffer> f = a.p2p.artifactFetch().requestChunk(Fixtures.key(699).publicKey(), DIGEST, 0, 0, 10);
        assertThatThrownBy(f::get).cause().isInstanceOf(ArtifactFetch.Unavailable.class);
    }
}
