package io.maaschain.maas.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.maas.access.AccessDenied;
import io.maaschain.maas.access.ReplayGuard;
import io.maaschain.maas.access.RequestSignature;
import io.maaschain.maas.access.SignedRequestVerifier;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one access rule for reading artifacts (REST and p2p), read from chain state, and the signed requests that tell
 * the REST routes who asks.
 */
class ArtifactAccessTest {
    static final KeyPair OWNER = Fixtures.key(1);
    static final KeyPair COPYCAT = Fixtures.key(2);
    static final KeyPair HOST = Fixtures.key(3);
    static final KeyPair STRANGER = Fixtures.key(4);
    static final KeyPair UPLOADER = Fixtures.key(5);
    static final Hash SECRET = Fixtures.digest("secret weights");
    static final Hash OPEN = Fixtures.digest("open weights");

    @TempDir Path dir;
    Blockchain chain;
    ArtifactStore store;
    ArtifactAccess access;
    final Map<Address, Long> nonces = new HashMap<>();

    @BeforeEach
    void chain() throws Exception {
        chain = TestChain.open(new InMemoryStore(), TestChain.genesis(OWNER, COPYCAT, HOST, STRANGER, UPLOADER));
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT, 2);
        access = new ArtifactAccess(chain, store);
        block(tx(OWNER, register("secret", SECRET)),
                tx(OWNER, register("open", OPEN)),
                tx(OWNER, new SetVisibility("open", true)),
                tx(OWNER, new GrantAccess("secret", HOST.address(), 1, 1_000_000)),
                tx(HOST, new HostModel("secret", "1", 0)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    Transaction tx(KeyPair from, Payload payload) {
        long nonce = nonces.merge(from.address(), 1L, Long::sum) - 1;
        return new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, payload).sign(from);
    }

    void block(Transaction... txs) throws Rejection {
        chain.importBlock(TestChain.next(chain, List.of(txs), Fixtures.key(2999).address()), System.currentTimeMillis());
    }

    static RegisterModel register(String name, Hash digest) {
        return new RegisterModel(name, "1", digest, 100, "onnx", "mit", 1, List.of(), List.of());
    }

    boolean may(Hash digest, KeyPair who) {
        return access.mayRead(digest, who.address());
    }

    @Test
    void aPrivateArtifactGoesToItsOwnerAndHostsOnlyAPublicOneToAnyone() {
        assertThat(may(SECRET, HOST)).isTrue();
        assertThat(may(SECRET, OWNER)).isTrue();
        assertThat(may(SECRET, STRANGER)).isFalse();
        assertThat(access.mayRead(SECRET, null)).as("anonymous").isFalse();
        assertThat(access.mayRead(SECRET, Address.wrap(new byte[20]))).isFalse();
        assertThat(may(OPEN, STRANGER)).isTrue();
        assertThat(access.mayRead(OPEN, null)).as("a public artifact needs no authentication").isTrue();
    }

    @Test
    void followsVisibilityAndHostingAsTheChainChanges() throws Exception {
        block(tx(OWNER, new SetVisibility("secret", true)));
        assertThat(may(SECRET, STRANGER)).isTrue();
        assertThat(access.mayRead(SECRET, null)).isTrue();
        block(tx(OWNER, new SetVisibility("secret", false)));
        assertThat(may(SECRET, STRANGER)).isFalse();
        // Hosting a private model takes its owner's consent (a grant); then the host may read it.
        block(tx(OWNER, new GrantAccess("secret", STRANGER.address(), 1, 1_000_000)), tx(STRANGER, new HostModel("secret", "1", 0)));
        assertThat(may(SECRET, STRANGER)).isTrue();
    }

    @Test
    void aDigestNamedByAPublicAndAPrivateVersionStaysPrivate() throws Exception {
        block(tx(COPYCAT, register("copy", SECRET)), tx(COPYCAT, new SetVisibility("copy", true)));
        assertThat(access.registrations(SECRET)).hasSize(2);
        assertThat(may(SECRET, STRANGER)).isFalse();
        assertThat(access.mayRead(SECRET, null)).isFalse();
        assertThat(may(SECRET, COPYCAT)).as("owning a public copy proves no possession of the bytes").isFalse();
        assertThat(may(SECRET, HOST)).isTrue();
        assertThat(may(SECRET, OWNER)).isTrue();
        // Both public: anyone.
        block(tx(OWNER, new SetVisibility("secret", true)));
        assertThat(access.mayRead(SECRET, null)).isTrue();
        assertThat(may(SECRET, STRANGER)).isTrue();
    }

    @Test
    void registeringAPrivateCopyLaterGrantsNothingToItsOwnerOrHosts() throws Exception {
        block(tx(COPYCAT, register("copy", SECRET)), tx(COPYCAT, new GrantAccess("copy", STRANGER.address(), 1, 1_000_000)));
        block(tx(STRANGER, new HostModel("copy", "1", 0)), tx(COPYCAT, new HostModel("copy", "1", 0)));
        assertThat(may(SECRET, COPYCAT)).isFalse();
        assertThat(may(SECRET, STRANGER)).isFalse();
        assertThat(may(SECRET, HOST)).isTrue();
        assertThat(may(SECRET, OWNER)).isTrue();
        // A later version of the original model naming the same digest: its hosts are in too.
        block(tx(OWNER, new io.maaschain.ledger.tx.NewVersion(new RegisterModel("secret", "2", SECRET, 100, "onnx", "mit", 1, List.of(), List.of()))),
                tx(OWNER, new GrantAccess("secret", UPLOADER.address(), 1, 1_000_000)));
        block(tx(UPLOADER, new HostModel("secret", "2", 0)));
        assertThat(may(SECRET, UPLOADER)).isTrue();
    }

    @Test
    void anArtifactNoVersionNamesGoesOnlyToItsUploaders() throws Exception {
        byte[] bytes = "not registered yet".getBytes(StandardCharsets.UTF_8);
        Hash digest = io.maaschain.crypto.Sha256.hash(bytes);
        try (ArtifactUpload u = store.beginUpload(digest, 0, UPLOADER.address(), bytes.length)) {
            u.append(new ByteArrayInputStream(bytes));
            u.complete();
        }
        assertThat(may(digest, UPLOADER)).isTrue();
        assertThat(may(digest, STRANGER)).isFalse();
        assertThat(may(digest, OWNER)).isFalse();
        assertThat(access.mayRead(digest, null)).isFalse();
        // Once a private version names it, the rule of registered artifacts applies: its owner, not the uploader.
        block(tx(OWNER, register("late", digest)));
        assertThat(may(digest, OWNER)).isTrue();
        assertThat(may(digest, UPLOADER)).isFalse();
    }

    // ---------------------------------------------------------------- signed requests

    static final long NOW = 1_800_000_000_000L;
    final SignedRequestVerifier verifier = new SignedRequestVerifier(new ReplayGuard(60_000, 1_000, NOW - 1_000));

    Optional<PublicKey> check(Map<String, String> headers, String method, String path, long now) {
        return verifier.verify(method, path, ArtifactRequests.bodyHash(method, SECRET), headers::get, now);
    }

    @Test
    void aSignedRequestNamesItsAccountAndAnUnsignedOneNoOne() {
        String path = ArtifactRequests.path(SECRET, "");
        Map<String, String> h = ArtifactRequests.sign(HOST, "GET", path, SECRET, "nonce-0001", NOW);
        assertThat(check(h, "GET", path, NOW)).contains(HOST.publicKey());
        assertThat(check(Map.of(), "GET", path, NOW)).isEmpty();
        // PUT signs the artifact digest in place of the body hash.
        Map<String, String> put = ArtifactRequests.sign(UPLOADER, "PUT", path, SECRET, "nonce-0002", NOW);
        assertThat(check(put, "PUT", path, NOW)).contains(UPLOADER.publicKey());
    }

    @Test
    void badSignaturesAreRefused() {
        String path = ArtifactRequests.path(SECRET, "");
        Map<String, String> h = new HashMap<>(ArtifactRequests.sign(HOST, "GET", path, SECRET, "nonce-0003", NOW));
        assertThatThrownBy(() -> check(h, "HEAD", path, NOW)).as("another method").isInstanceOf(AccessDenied.class)
                .extracting(e -> ((AccessDenied) e).code()).isEqualTo("BAD_SIGNATURE");
        assertThatThrownBy(() -> check(h, "GET", ArtifactRequests.path(OPEN, ""), NOW)).as("another artifact")
                .isInstanceOf(AccessDenied.class).extracting(e -> ((AccessDenied) e).code()).isEqualTo("BAD_SIGNATURE");
        // Another key claimed for the same signature: the request does not become the host's.
        Map<String, String> stolen = new HashMap<>(h);
        stolen.put(RequestSignature.KEY_HEADER, STRANGER.publicKey().toHex());
        assertThatThrownBy(() -> check(stolen, "GET", path, NOW)).isInstanceOf(AccessDenied.class).hasMessageContaining("BAD_SIGNATURE");
        char[] sig = h.get(RequestSignature.SIGNATURE_HEADER).toCharArray();
        sig[10] = sig[10] == '0' ? '1' : '0';
        h.put(RequestSignature.SIGNATURE_HEADER, new String(sig));
        assertThatThrownBy(() -> check(h, "GET", path, NOW)).isInstanceOf(AccessDenied.class).hasMessageContaining("BAD_SIGNATURE");
        Map<String, String> partial = new HashMap<>(ArtifactRequests.sign(HOST, "GET", path, SECRET, "nonce-0004", NOW));
        partial.remove(RequestSignature.NONCE_HEADER);
        assertThatThrownBy(() -> check(partial, "GET", path, NOW)).isInstanceOf(AccessDenied.class)
                .satisfies(e -> assertThat(((AccessDenied) e).status()).isEqualTo(401));
    }

    @Test
    void replayedAndExpiredSignaturesAreRefused() {
        String path = ArtifactRequests.path(SECRET, "");
        Map<String, String> h = ArtifactRequests.sign(HOST, "GET", path, SECRET, "nonce-0005", NOW);
        assertThat(check(h, "GET", path, NOW)).isPresent();
        assertThatThrownBy(() -> check(h, "GET", path, NOW + 1)).isInstanceOf(AccessDenied.class).hasMessageContaining("REPLAYED");
        Map<String, String> old = ArtifactRequests.sign(HOST, "GET", path, SECRET, "nonce-0006", NOW);
        assertThatThrownBy(() -> check(old, "GET", path, NOW + 60_001)).isInstanceOf(AccessDenied.class).hasMessageContaining("STALE_REQUEST");
        Map<String, String> future = ArtifactRequests.sign(HOST, "GET", path, SECRET, "nonce-0007", NOW + 60_001);
        assertThatThrownBy(() -> check(future, "GET", path, NOW)).isInstanceOf(AccessDenied.class).hasMessageContaining("STALE_REQUEST");
        assertThat(Arrays.asList(check(ArtifactRequests.sign(HOST, "GET", path, SECRET, "nonce-0008", NOW + 59_000), "GET", path, NOW)))
                .as("within the window").allMatch(Optional::isPresent);
    }

    @Test
    void theSignedMessageIsTheBytesDocsApiMdShows() {
        Hash digest = Hash.fromHex("0c2fdb3e8d9fbc55f0a4e6ee2bd58ceec58dc8d6f0b71d7a0f5e5b3c2e7a0e11");
        byte[] message = RequestSignature.message("GET", ArtifactRequests.path(digest, "/manifest"), ArtifactRequests.bodyHash("GET", digest),
                "a1b2c3d4e5f60718", 1_765_000_000_000L);
        String text = "maaschain/request/v1\0GET\n/api/v1/artifacts/" + digest.toHex() + "/manifest\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\na1b2c3d4e5f60718\n1765000000000";
        assertThat(message).isEqualTo(text.getBytes(StandardCharsets.US_ASCII)).hasSize(212);
        assertThat(io.maaschain.crypto.Sha256.hash(message).toHex()).isEqualTo("d771ede8cdf7ca77b680ab07e8daa272c1f6587e2c0299042155c6eb45c26b78");
        assertThat(ArtifactRequests.bodyHash("PUT", digest)).isEqualTo(digest);
    }
}
