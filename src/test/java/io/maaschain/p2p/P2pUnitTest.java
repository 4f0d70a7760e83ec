package io.maaschain.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.ChainParams;
import io.maaschain.p2p.proto.Hello;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class P2pUnitTest {
    static final Handshake.ChainIdentity CHAIN = new Handshake.ChainIdentity(7, Sha256.hash(new byte[] {1}));

    static Hello hello(KeyPair k, int nonceSeed) {
        return Handshake.hello(CHAIN, k.publicKey(), Sha256.hash(new byte[] {(byte) nonceSeed}).toBytes(), 30333);
    }

    @Test
    void handshakeSignaturesBindRoleNoncesAndTheTlsCertificate() throws Exception {
        KeyPair i = Fixtures.key(1);
        KeyPair r = Fixtures.key(2);
        Hello hi = hello(i, 1);
        Hello hr = hello(r, 2);
        Hash cert = Sha256.hash(new byte[] {9});
        byte[] signed = Handshake.transcript(Handshake.ROLE_INITIATOR, CHAIN, hi, hr, cert);
        // docs/p2p.md: 4 + 26 (tag) + 1 (role) + 8 (chain id) + 32 (genesis) + 4 * 32 (keys, nonces) + 32 (TLS binding).
        assertThat(signed).hasSize(231);
        assertThat(java.util.Arrays.copyOfRange(signed, 0, 31)).isEqualTo(
                io.maaschain.codec.Hex.decode("0000001a" + io.maaschain.codec.Hex.encode("maaschain/p2p/handshake/v1".getBytes()) + "01"));
        ByteString sig = ByteString.copyFrom(i.sign(signed).toBytes());
        assertThat(Handshake.verify(i.publicKey(), signed, sig)).isTrue();
        // Reflected as the responder's, seen through another certificate (a relay), or with another nonce: refused.
        assertThat(Handshake.verify(i.publicKey(), Handshake.transcript(Handshake.ROLE_RESPONDER, CHAIN, hi, hr, cert), sig)).isFalse();
        assertThat(Handshake.verify(i.publicKey(), Handshake.transcript(Handshake.ROLE_INITIATOR, CHAIN, hi, hr, Hash.ZERO), sig)).isFalse();
        assertThat(Handshake.verify(i.publicKey(), Handshake.transcript(Handshake.ROLE_INITIATOR, CHAIN, hi, hello(r, 3), cert), sig)).isFalse();
        assertThat(Handshake.verify(r.publicKey(), signed, sig)).isFalse();
        assertThat(Handshake.verify(i.publicKey(), signed, ByteString.copyFrom(new byte[10]))).isFalse();

        assertThat(Handshake.checkHello(hi, CHAIN)).isEqualTo(i.publicKey());
        assertThatThrownBy(() -> Handshake.checkHello(hi, new Handshake.ChainIdentity(8, CHAIN.genesisHash())))
                .hasMessageContaining("chain id");
        assertThatThrownBy(() -> Handshake.checkHello(hi.toBuilder().setNonce(ByteString.copyFrom(new byte[5])).build(), CHAIN))
                .hasMessageContaining("nonce");
    }

    @Test
    void selfSignedCertificatesWork() {
        TlsCredentials a = TlsCredentials.selfSigned(new SecureRandom(), System.currentTimeMillis());
        TlsCredentials b = TlsCredentials.selfSigned(new SecureRandom(), System.currentTimeMillis());
        assertThat(a.certificateHash()).isNotEqualTo(b.certificateHash());
    }

    @Test
    void locatorIsDenseNearTheHeadThenSparseAndEndsAtGenesis() throws Exception {
        Blockchain chain = TestChain.open(new InMemoryStore(), TestChain.genesis());
        for (int i = 0; i < 1000; i++) chain.importBlock(TestChain.next(chain, List.of(), Fixtures.key(3).address()), Long.MAX_VALUE / 2);
        List<Hash> loc = Synchronizer.locator(chain.index(), 1000, null);
        List<Long> heights = loc.stream().map(h -> chain.index().header(h).height()).toList();
        assertThat(heights.subList(0, 10)).containsExactly(1000L, 999L, 998L, 997L, 996L, 995L, 994L, 993L, 992L, 991L);
        assertThat(heights.getLast()).isZero();
        assertThat(loc.size()).isLessThan(30);
        assertThat(heights).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(Responder.forkHeight(chain.index(), loc)).isEqualTo(1000);
        assertThat(Responder.forkHeight(chain.index(), List.of(Hash.ZERO, chain.index().canonicalHash(42)))).isEqualTo(42);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        AddressBook book = new AddressBook(1_000, 60_000, new Random(1));
        for (int f = 1; f <= 6; f++) {
            long base = 1_000L << (f - 1);
            assertThat(book.backoff(f)).isBetween((long) (base * 0.8), (long) (base * 1.2));
        }
        assertThat(book.backoff(30)).isBetween(48_000L, 72_000L);

        PeerAddress p = PeerAddress.parse("10.0.0.1:30333");
        book.add(p, null, true);
        assertThat(book.dueForDial(0, 5, Set.of(), k -> false)).containsExactly(p);
        book.onDialStarted(p, 0);
        book.onDialFailed(p, 0);
        assertThat(book.dueForDial(500, 5, Set.of(), k -> false)).isEmpty();
        assertThat(book.dueForDial(1_300, 5, Set.of(), k -> false)).containsExactly(p);
    }

    @Test
    void peerAddressesParse() {
        assertThat(PeerAddress.parse("node.example:30333")).isEqualTo(new PeerAddress("node.example", 30333));
        assertThat(PeerAddress.parse("[::1]:7")).isEqualTo(new PeerAddress("::1", 7));
        assertThat(new PeerAddress("::1", 7).toString()).isEqualTo("[::1]:7");
        assertThatThrownBy(() -> PeerAddress.parse("::1:7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerAddress.parse("host:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerAddress.parse("host")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageLimitFitsTheLargestBlock() {
        assertThat(Protocol.messageLimit(new ChainParams(1, 1, 1000, 1 << 20), 0)).isEqualTo(Protocol.MIN_MESSAGE_BYTES);
        assertThat(Protocol.messageLimit(new ChainParams(1, 1, 1000, 32 << 20), 0)).isGreaterThan(32 << 20);
        assertThatThrownBy(() -> Protocol.messageLimit(new ChainParams(1, 1, 1000, 32 << 20), 1 << 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scoresRecoverAndBansExpire() {
        PeerScores s = new PeerScores(1_000, 100);
        KeyPair k = Fixtures.key(4);
        assertThat(s.penalize(k.publicKey(), Misbehavior.INVALID_BLOCK, "x", 0)).isEmpty();
        assertThat(s.score(k.publicKey(), 0)).isEqualTo(-50);
        assertThat(s.score(k.publicKey(), 2_000)).isEqualTo(-30);
        assertThat(s.penalize(k.publicKey(), Misbehavior.INVALID_BLOCK, "x", 5_000)).isEmpty();
        assertThat(s.penalize(k.publicKey(), Misbehavior.INVALID_SEAL, "bad pow", 5_000)).hasValueSatisfying(b -> assertThat(b.reason()).contains("bad pow"));
        assertThat(s.ban(k.publicKey(), 5_500)).isPresent();
        assertThat(s.ban(k.publicKey(), 6_000)).isEmpty();
        assertThat(s.bans(6_000)).isEmpty();
    }
}
