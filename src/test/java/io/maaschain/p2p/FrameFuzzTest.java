package io.maaschain.p2p;

import static io.maaschain.testing.FuzzInvariant.decodeOrReject;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.ledger.vote.ConsensusMessageCodec;
import io.maaschain.maas.artifact.ChunkManifest;
import io.maaschain.p2p.proto.Frame;
import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * Peer-to-peer frames after protobuf decoding: the bytes go through the node's own {@link FrameMarshaller}, then
 * every field of the frame goes through the same checks and decoders the node applies to it. Each check refuses with
 * its own typed answer (a reason string, {@link Handshake.Refused}, {@link CodecException}); anything else is a
 * finding. The canonical payloads inside are fuzzed for exact round trips by their own targets.
 */
class FrameFuzzTest {
    private static final Handshake.ChainIdentity LOCAL = new Handshake.ChainIdentity(1337, Hash.wrap(new byte[32]));
    private static final List<Class<? extends Exception>> CODEC = List.of(CodecException.class);

    @FuzzTest
    void frame(byte[] input) {
        Frame f = FrameMarshaller.INSTANCE.parse(new ByteArrayInputStream(input));
        switch (f.getBodyCase()) {
            case HELLO -> {
                try {
                    Handshake.checkHello(f.getHello(), LOCAL);
                } catch (Handshake.Refused refused) {
                    // typed refusal: the connection is closed with the reason
                }
            }
            case TRANSACTIONS -> f.getTransactions().getTransactionsList()
                    .forEach(b -> decodeOrReject(() -> TransactionCodec.decode(b.toByteArray()), CODEC));
            case NEW_BLOCK -> decodeOrReject(() -> BlockCodec.decode(f.getNewBlock().getBlock().toByteArray()), CODEC);
            case CONSENSUS -> decodeOrReject(() -> ConsensusMessageCodec.decode(f.getConsensus().getMessage().toByteArray(),
                    BlockCodec.MAX_BLOCK_BYTES + 16), CODEC);
            case GET_HEADERS -> Responder.checkGetHeaders(f.getGetHeaders());
            case GET_BLOCKS -> Responder.checkGetBlocks(f.getGetBlocks());
            case HEADERS -> f.getHeaders().getHeadersList()
                    .forEach(b -> decodeOrReject(() -> HeaderCodec.decode(b.toByteArray()), CODEC));
            case BLOCKS -> f.getBlocks().getBlocksList()
                    .forEach(b -> decodeOrReject(() -> BlockCodec.decode(b.toByteArray()), CODEC));
            case PEERS -> f.getPeers().getPeersList().stream().filter(P2pService::wellFormed)
                    .forEach(p -> new PeerAddress(p.getHost(), p.getPort()));
            case GET_ARTIFACT_CHUNK -> ArtifactExchange.checkGetChunk(f.getGetArtifactChunk());
            case ARTIFACT_MANIFEST -> {
                ByteString m = f.getArtifactManifest().getManifest();
                decodeOrReject(() -> ChunkManifest.decode(m.toByteArray(), Long.MAX_VALUE), CODEC);
            }
            default -> {
                // Status, Disconnect, Auth, GetPeers, GetArtifactManifest, ArtifactChunk: plain fields, checked
                // by size alone where the node reads them; BODY_NOT_SET: the malformed-frame penalty.
            }
        }
    }
}
