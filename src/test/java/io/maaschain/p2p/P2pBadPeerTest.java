package io.maaschain.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.maaschain.consensus.pow.CompactTarget;
import io.maaschain.consensus.pow.PowSealVerifier;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.PowSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.NewBlock;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Misbehaving peers are refused or banned, and the honest nodes carry on. */
class P2pBadPeerTest {
    final Genesis genesis = TestChain.genesis(Fixtures.key(1));
    final List<TestNode> nodes = new ArrayList<>();
    TestNode a;
    TestNode b;
    Handshake.ChainIdentity chainId;

    @BeforeEach
    void honestPair() throws Exception {
        a = TestNode.start(0, genesis, c -> c);
        nodes.add(a);
        b = TestNode.start(1, genesis, c -> c.withBootnodes(List.of(a.address())));
        nodes.add(b);
        chainId = new Handshake.ChainIdentity(Fixtures.CHAIN_ID, a.chain.genesisHash());
        await().atMost(Duration.ofSeconds(10)).until(() -> b.p2p.peers().size() == 1);
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
    }

    void honestNodesStillConverge() throws Exception {
        a.mine(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.chain.head().hash().equals(a.chain.head().hash()));
        assertThat(b.p2p.peers()).extracting(PeerInfo::id).containsExactly(a.p2p.nodeId());
    }

    void awaitBanned(KeyPair key, String reasonPart) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.p2p.bans())
                .anySatisfy(ban -> {
                    assertThat(ban.id()).isEqualTo(key.publicKey());
                    assertThat(ban.reason()).contains(reasonPart);
                }));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.p2p.peers().stream().noneMatch(p -> p.id().equals(key.publicKey())));
    }

    @Test
    void aNodeOnAnotherGenesisIsRefusedAtTheHandshake() throws Exception {
        TestNode stranger = TestNode.start(5, TestChain.genesis(Fixtures.key(99)), c -> c.withBootnodes(List.of(a.address())));
        nodes.add(stranger);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> stranger.p2p.peers().isEmpty()
                && a.p2p.peers().stream().noneMatch(p -> p.id().equals(stranger.p2p.nodeId())));

        try (RawPeer raw = RawPeer.open(a.address(), new Handshake.ChainIdentity(Fixtures.CHAIN_ID, stranger.chain.genesisHash()), Fixtures.key(501))) {
            Frame bye = raw.await(Frame.BodyCase.DISCONNECT, 5_000);
            assertThat(bye).isNotNull();
            assertThat(bye.getDisconnect().getReason()).contains("genesis");
        }
        honestNodesStillConverge();
    }

    @Test
    void keysOutsideTheAdmissionListAreRefused() throws Exception {
        TestNode closed = TestNode.start(6, genesis, c -> c.withAdmission(Set.of(a.nodeKey.publicKey())::contains));
        nodes.add(closed);
        try (RawPeer raw = RawPeer.open(closed.address(), chainId, Fixtures.key(502))) {
            Frame bye = raw.await(Frame.BodyCase.DISCONNECT, 5_000);
            assertThat(bye).isNotNull();
            assertThat(bye.getDisconnect().getReason()).contains("not admitted");
        }
        a.p2p.addPeer(closed.address());
        await().atMost(Duration.ofSeconds(10)).until(() -> closed.p2p.peers().size() == 1);
    }

    @Test
    void peersDroppedFromTheAdmissionListAreDisconnectedOnTheNextHeadChange() throws Exception {
        Set<io.maaschain.crypto.PublicKey> members = java.util.concurrent.ConcurrentHashMap.newKeySet();
        members.add(a.nodeKey.publicKey());
        TestNode c = TestNode.start(6, genesis, cfg -> cfg.withAdmission(members::contains).withBootnodes(List.of(a.address())));
        nodes.add(c);
        await().atMost(Duration.ofSeconds(10)).until(() -> c.p2p.peers().size() == 1);
        members.clear();
        a.mine(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> c.p2p.peers().isEmpty() && c.height() == 1);
    }

    @Test
    void aGarbageFrameGetsThePeerBannedAndRefusedOnReturn() throws Exception {
        KeyPair key = Fixtures.key(503);
        try (RawPeer raw = RawPeer.connect(a.address(), chainId, key)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> a.p2p.peers().size() == 2);
            raw.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
            awaitBanned(key, "MALFORMED_FRAME");
        }
        try (RawPeer again = RawPeer.open(a.address(), chainId, key)) {
            Frame bye = again.await(Frame.BodyCase.DISCONNECT, 5_000);
            assertThat(bye).isNotNull();
            assertThat(bye.getDisconnect().getReason()).contains("banned");
        }
        honestNodesStillConverge();
    }

    @Test
    void anOversizedFrameGetsThePeerBanned() throws Exception {
        KeyPair key = Fixtures.key(504);
        int limit = Protocol.messageLimit(a.chain.transition().params(), 0);
        try (RawPeer raw = RawPeer.connect(a.address(), chainId, key)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> a.p2p.peers().size() == 2);
            raw.sendRaw(new byte[limit + 1]);
            awaitBanned(key, "OVERSIZED_FRAME");
        }
        honestNodesStillConverge();
    }

    @Test
    void aBlockWithInvalidProofOfWorkGetsThePeerBanned() throws Exception {
        KeyPair key = Fixtures.key(505);
        Block valid = TestChain.next(a.chain, List.of(), Fixtures.key(77).address());
        Header h = valid.header();
        int bits = ((PowSeal) h.seal()).bits();
        Header broken = h;
        for (long nonce = ((PowSeal) h.seal()).nonce() + 1; PowSealVerifier.meets(broken.hash(), CompactTarget.toTarget(bits)); nonce++) {
            broken = h.withSeal(new PowSeal(bits, nonce));
        }
        Block bad = new Block(broken, valid.transactions());
        try (RawPeer raw = RawPeer.connect(a.address(), chainId, key)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> a.p2p.peers().size() == 2);
            raw.send(Frame.newBuilder().setNewBlock(NewBlock.newBuilder().setBlock(ByteString.copyFrom(BlockCodec.encode(bad)))).build());
            awaitBanned(key, "INVALID_SEAL");
        }
        assertThat(a.height()).isZero();
        honestNodesStillConverge();
    }
}
