package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.ValidatorSeals;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ConsensusMessageCodec;
import io.maaschain.p2p.proto.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flood gossip of consensus messages (votes and bft proposals). A message is identified by the SHA-256 of its bytes
 * as received; it is checked (size, decoding, that its signer may sign on this node's head, signature) before it is
 * relayed to the peers not known to have it and handed to the local consensus loop. The signer check
 * ({@link io.maaschain.consensus.ConsensusEngine#maySign}) is a set lookup, done before the signature so that junk from
 * keys outside every validator set costs no verification and travels no further. Whether the message is still useful
 * is the protocol's business: it sees every well-signed message of a validator once.
 */
final class ConsensusGossip {
    private static final Logger LOG = LoggerFactory.getLogger(ConsensusGossip.class);
    /** A proposal's framing beyond its block: tag, valid round and the block's length prefix. */
    private static final int PROPOSAL_OVERHEAD = 64;

    private final P2pService service;
    private final long chainId;
    private final int maxMessageBytes;
    /** Recent messages are replayed to each newly connected peer: see {@link #onPeerConnected}. */
    static final int MAX_RECENT_MESSAGES = 2048;
    static final long MAX_RECENT_BYTES = 32L * 1024 * 1024;

    private final SeenCache<Hash> seen = new SeenCache<>(50_000);
    private final ArrayDeque<Recent> recent = new ArrayDeque<>();
    private long recentBytes;
    private volatile Consumer<ConsensusMessage> listener;
    private final Predicate<PublicKey> maySign;

    ConsensusGossip(P2pService service, ChainParams params, Predicate<PublicKey> maySign) {
        this.service = service;
        this.chainId = params.chainId();
        this.maxMessageBytes = messageLimit(params);
        this.maySign = maySign;
    }

    /** The largest consensus message a chain needs: a proposal carrying its largest block with the largest header. */
    static int messageLimit(ChainParams params) {
        return params.maxBlockBytes() + 4 * params.maxBlockTransactions() + HeaderCodec.MAX_HEADER_BYTES + PROPOSAL_OVERHEAD;
    }

    private record Recent(Hash id, byte[] bytes) {}

    void listener(Consumer<ConsensusMessage> l) {
        this.listener = l;
    }

    /** Sends a message of the local validator to every peer (and remembers it, so echoes are dropped). */
    void broadcast(ConsensusMessage message, List<PeerConnection> peers) {
        byte[] bytes = ConsensusMessageCodec.encode(message);
        Hash id = Sha256.hash(bytes);
        seen.add(id);
        remember(id, bytes);
        relay(id, bytes, null, peers);
    }

    /**
     * Sends a newly connected peer the recent messages it is not known to have. Messages travel once and are never
     * asked for again, so without this, votes cast while two validators were not connected (at start-up, after a
     * restart or a broken connection) would be lost for good and a round could wait forever for them.
     */
    void onPeerConnected(PeerConnection peer) {
        List<Recent> copy;
        synchronized (recent) {
            copy = new ArrayList<>(recent);
        }
        for (Recent r : copy) {
            if (peer.knownConsensus.add(r.id())) peer.send(frame(r.bytes()));
        }
    }

    private void remember(Hash id, byte[] bytes) {
        synchronized (recent) {
            recent.addLast(new Recent(id, bytes));
            recentBytes += bytes.length;
            while (recent.size() > MAX_RECENT_MESSAGES || (recentBytes > MAX_RECENT_BYTES && recent.size() > 1)) {
                recentBytes -= recent.removeFirst().bytes().length;
            }
        }
    }

    void onMessage(PeerConnection from, io.maaschain.p2p.proto.ConsensusMessage frame, List<PeerConnection> peers) {
        ByteString raw = frame.getMessage();
        if (raw.size() > maxMessageBytes) {
            service.penalize(from, Misbehavior.OVERSIZED_FRAME, "consensus message of " + raw.size() + " bytes, limit " + maxMessageBytes);
            return;
        }
        byte[] bytes = raw.toByteArray();
        Hash id = Sha256.hash(bytes);
        from.knownConsensus.add(id);
        if (seen.contains(id)) return;
        ConsensusMessage message;
        try {
            message = ConsensusMessageCodec.decode(bytes, maxMessageBytes);
        } catch (CodecException | IllegalArgumentException e) {
            service.penalize(from, Misbehavior.INVALID_CONSENSUS_MESSAGE, "undecodable consensus message: " + e.getMessage());
            return;
        }
        PublicKey signer = signer(message);
        if (signer != null && !maySign.test(signer)) {
            // Not marked seen: once this node's head reaches a set that holds the signer, the message counts again.
            service.penalize(from, Misbehavior.CONSENSUS_MESSAGE_FROM_NON_VALIDATOR, "consensus message signed by " + signer.address()
                    + ", which is in no validator set of this node's head");
            return;
        }
        String bad = badSignature(message);
        if (bad != null) {
            service.penalize(from, Misbehavior.INVALID_CONSENSUS_MESSAGE, bad);
            return;
        }
        if (!seen.add(id)) return;
        remember(id, bytes);
        relay(id, bytes, from, peers);
        deliver(message, from.describe());
    }

    /**
     * A statement the node saw in a block (already checked on import) that is not a consensus message of its own:
     * the proposal statement of a block stored on a side branch, so a double proposal that never becomes anyone's head
     * still reaches the protocol's equivocation check.
     */
    void observe(ConsensusMessage message) {
        deliver(message, "a side-branch block");
    }

    private void deliver(ConsensusMessage message, String from) {
        Consumer<ConsensusMessage> l = listener;
        if (l != null) {
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                LOG.warn("consensus listener failed on a message from {}", from, e);
            }
        }
    }

    /** The key that signed the message; null for a proposal whose block has no validator seal (refused as a bad signature). */
    private static PublicKey signer(ConsensusMessage message) {
        return switch (message) {
            case ConsensusMessage.VoteMessage v -> v.vote().validator();
            case ConsensusMessage.Proposal p -> p.block().header().seal() instanceof ValidatorSeal seal ? seal.proposerKey() : null;
        };
    }

    /** Null if the message's signature verifies for this chain, else why not. */
    private String badSignature(ConsensusMessage message) {
        return switch (message) {
            case ConsensusMessage.VoteMessage v -> v.vote().verify(chainId) ? null
                    : "vote by " + v.vote().validator() + " with a bad signature";
            case ConsensusMessage.Proposal p -> {
                if (!(p.block().header().seal() instanceof ValidatorSeal seal)) yield "proposal whose block has no validator seal";
                try {
                    ValidatorSeals.requireSignedByProposer(p.block().header(), seal, chainId);
                    yield null;
                } catch (Rejection r) {
                    yield "proposal at height " + p.block().height() + ": " + r.getMessage();
                }
            }
        };
    }

    private static Frame frame(byte[] bytes) {
        return Frame.newBuilder().setConsensus(io.maaschain.p2p.proto.ConsensusMessage.newBuilder().setMessage(ByteString.copyFrom(bytes))).build();
    }

    private static void relay(Hash id, byte[] bytes, PeerConnection from, List<PeerConnection> peers) {
        Frame frame = frame(bytes);
        for (PeerConnection p : peers) {
            if (p != from && p.knownConsensus.add(id)) p.send(frame);
        }
    }
}
