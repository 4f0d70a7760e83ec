package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import io.maaschain.p2p.proto.Hello;
import java.nio.charset.StandardCharsets;

/**
 * The authentication handshake (docs/p2p.md, "Handshake"). Each side sends a Hello with a fresh nonce, then an Auth
 * whose signature, by its node key, covers a transcript of both Hellos' identities and nonces, the chain, the TLS
 * certificate of the responder, and the signer's role. The roles keep a signature from being reflected back.
 */
final class Handshake {
    static final byte[] DOMAIN = "maaschain/p2p/handshake/v1".getBytes(StandardCharsets.US_ASCII);
    static final int ROLE_INITIATOR = 1;
    static final int ROLE_RESPONDER = 2;

    private Handshake() {}

    /** The chain both ends must be on. */
    record ChainIdentity(long chainId, Hash genesisHash) {}

    static Hello hello(ChainIdentity chain, PublicKey nodeKey, byte[] nonce, int listenPort) {
        return Hello.newBuilder()
                .setProtocolVersion(Protocol.VERSION)
                .setChainId(chain.chainId())
                .setGenesisHash(ByteString.copyFrom(chain.genesisHash().toBytes()))
                .setNodeKey(ByteString.copyFrom(nodeKey.toBytes()))
                .setNonce(ByteString.copyFrom(nonce))
                .setListenPort(listenPort)
                .setClient(Protocol.CLIENT)
                .addFeatures(Protocol.FEATURE_ARTIFACTS)
                .build();
    }

    /** A Hello refused before any signature is checked, with the reason to log and send. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** Checks a received Hello against the local chain; returns the peer's claimed key. */
    static PublicKey checkHello(Hello h, ChainIdentity local) throws Refused {
        if (h.getProtocolVersion() != Protocol.VERSION) throw new Refused("protocol version " + h.getProtocolVersion() + ", this node speaks " + Protocol.VERSION);
        if (h.getNodeKey().size() != PublicKey.LENGTH) throw new Refused("node key is " + h.getNodeKey().size() + " bytes");
        if (h.getNonce().size() != Protocol.NONCE_BYTES) throw new Refused("nonce is " + h.getNonce().size() + " bytes");
        if (h.getGenesisHash().size() != Hash.LENGTH) throw new Refused("genesis hash is " + h.getGenesisHash().size() + " bytes");
        if (h.getClient().length() > Protocol.MAX_CLIENT_CHARS) throw new Refused("client string is longer than " + Protocol.MAX_CLIENT_CHARS);
        if (h.getFeaturesCount() > Protocol.MAX_FEATURES) throw new Refused(h.getFeaturesCount() + " features, more than " + Protocol.MAX_FEATURES);
        for (String f : h.getFeaturesList()) {
            if (f.isEmpty() || f.length() > Protocol.MAX_FEATURE_CHARS) throw new Refused("a feature name of " + f.length() + " characters");
        }
        if (h.getListenPort() > 65535) throw new Refused("listen port " + h.getListenPort() + " out of range");
        if (h.getChainId() != local.chainId()) throw new Refused("chain id " + h.getChainId() + " differs from ours, " + local.chainId());
        Hash genesis = Hash.wrap(h.getGenesisHash().toByteArray());
        if (!genesis.equals(local.genesisHash())) throw new Refused("genesis " + genesis + " differs from ours, " + local.genesisHash());
        return PublicKey.wrap(h.getNodeKey().toByteArray());
    }

    /**
     * The bytes each side signs. {@code tlsBinding} is SHA-256 of the responder's TLS certificate (DER) as the signer
     * sees it, or {@link Hash#ZERO} without TLS.
     */
    static byte[] transcript(int signerRole, ChainIdentity chain, Hello initiator, Hello responder, Hash tlsBinding) {
        return new ByteWriter(256)
                .bytes(DOMAIN)
                .u8(signerRole)
                .u64(chain.chainId())
                .raw(chain.genesisHash().toBytes())
                .raw(initiator.getNodeKey().toByteArray())
                .raw(initiator.getNonce().toByteArray())
                .raw(responder.getNodeKey().toByteArray())
                .raw(responder.getNonce().toByteArray())
                .raw(tlsBinding.toBytes())
                .toByteArray();
    }

    static Signature sign(KeyPair key, byte[] transcript) {
        return key.sign(transcript);
    }

    static boolean verify(PublicKey key, byte[] transcript, ByteString signature) {
        if (signature.size() != Signature.LENGTH) return false;
        try {
            return key.verify(transcript, Signature.wrap(signature.toByteArray()));
        } catch (CodecException e) {
            return false;
        }
    }
}
