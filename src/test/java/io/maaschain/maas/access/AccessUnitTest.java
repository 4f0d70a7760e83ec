package io.maaschain.maas.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessUnitTest {
    static final KeyPair ALICE = Fixtures.key(1);

    @Test
    void apiKeyFilesHoldOnlyHashesAndChangesAreSeenAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(ApiKeys.FILE);
        ApiKeys keys = ApiKeys.open(file);
        assertThat(keys.entries()).isEmpty();
        String key = ApiKeys.create(file, ALICE.address(), "alice", new SecureRandom(), 5);
        assertThat(key).matches("mck_[0-9a-f]{64}");
        assertThat(Files.readString(file)).doesNotContain(key.substring(4)).contains(ApiKeys.hash(key).toHex());
        assertThat(keys.account(key)).contains(ALICE.address());
        assertThat(keys.account(key + "0")).isEmpty();
        assertThat(keys.account("mck_" + "1".repeat(64))).isEmpty();
        String id = ApiKeys.hash(key).toHex().substring(0, 8);
        assertThat(ApiKeys.revoke(file, id)).isTrue();
        assertThat(keys.account(key)).isEmpty();
    }

    @Test
    void theDevKeyIsCreatedOnceAndReused(@TempDir Path dir) throws Exception {
        Address dev = ALICE.address();
        String first = ApiKeys.ensureDevKey(dir, dev, new SecureRandom(), 1);
        String again = ApiKeys.ensureDevKey(dir, dev, new SecureRandom(), 2);
        assertThat(again).isEqualTo(first);
        assertThat(Files.readString(dir.resolve(ApiKeys.DEV_KEY_FILE)).strip()).isEqualTo(first);
        assertThat(ApiKeys.open(dir.resolve(ApiKeys.FILE)).account(first)).contains(dev);
    }

    @Test
    void theReplayGuardIsBoundedAndForgetsOnlyExpiredNonces() {
        ReplayGuard g = new ReplayGuard(1_000, 2, 0);
        g.record(ALICE.publicKey(), "nonce-aaa", 10_000, 10_000);
        assertThatThrownBy(() -> g.record(ALICE.publicKey(), "nonce-aaa", 10_000, 10_001)).isInstanceOf(AccessDenied.class)
                .hasMessageStartingWith("REPLAYED");
        g.record(Fixtures.key(2).publicKey(), "nonce-aaa", 10_000, 10_002);
        assertThatThrownBy(() -> g.record(ALICE.publicKey(), "nonce-bbb", 10_000, 10_003))
                .isInstanceOfSatisfying(AccessDenied.class, e -> assertThat(e.status()).isEqualTo(429));
        g.record(ALICE.publicKey(), "nonce-bbb", 11_500, 11_500);
        assertThat(g.size()).isEqualTo(1);
        assertThatThrownBy(() -> g.checkFresh(8_000, 10_000)).hasMessageStartingWith("STALE_REQUEST");
        assertThatThrownBy(() -> new ReplayGuard(1_000, 2, 50_000).checkFresh(49_999, 50_000)).hasMessageContaining("before this node started");
    }
}
