package io.maaschain.node.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.inference.LoadFailures;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving manager against a real chain and artifact store: what the chain says this node hosts gets served. */
class ServingManagerTest {
    static final KeyPair OWNER = Fixtures.key(1);
    /** The owner hosts its own model (a private model needs the owner's grant for any other host). */
    static final KeyPair NODE = OWNER;

    @TempDir Path dir;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    Blockchain chain;
    ArtifactStore store;
    ModelHost host;
    ServingManager manager;
    long nonce;

    @BeforeEach
    void open() throws Exception {
        chain = TestChain.open(new InMemoryStore(), TestChain.genesis(OWNER));
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
        host = new ModelHost(store, new ChainModelRegistry(chain), clock, 0,
                new LoadFailures(Duration.ofMinutes(1), Duration.ofMinutes(8)));
        manager = new ServingManager(chain, host, store, NODE.address());
    }

    @AfterEach
    void close() {
        manager.close();
        host.close();
        store.close();
    }

    Transaction tx(KeyPair from, Payload p) {
        return new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce++, 1, p).sign(from);
    }

    void block(Transaction... txs) throws Exception {
        chain.importBlock(TestChain.next(chain, List.of(txs), OWNER.address()), System.currentTimeMillis());
    }

    @Test
    void aHostedModelThatCannotLoadIsRetriedWithBackOffNotOnEveryBlock() throws Exception {
        byte[] notOnnx = "these bytes match their digest but are no onnx model".getBytes(StandardCharsets.US_ASCII);
        Hash digest = Sha256.hash(notOnnx);
        store.put(digest, new ByteArrayInputStream(notOnnx));
        block(tx(OWNER, new RegisterModel("broken", "1", digest, notOnnx.length, "onnx", "mit", 1, List.of(), List.of())),
                tx(NODE, new HostModel("broken", "1", 0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> host.loadFailures().total() == 1);

        for (int i = 0; i < 20; i++) block();
        Thread.sleep(300);
        assertThat(host.loadFailures().total()).as("no attempt while the first back-off (1 min) runs").isEqualTo(1);

        now.set(now.get().plus(Duration.ofMinutes(1)));
        block();
        await().atMost(Duration.ofSeconds(10)).until(() -> host.loadFailures().total() == 2);
        LoadFailures.Failure f = host.failure("broken", "1").orElseThrow();
        assertThat(f.attempts()).isEqualTo(2);
        assertThat(f.nextAttemptAt()).isEqualTo(now.get().plus(Duration.ofMinutes(2)));
        assertThat(f.reason()).contains("onnxruntime cannot load the model");

        now.set(now.get().plus(Duration.ofMinutes(1)));
        for (int i = 0; i < 5; i++) block();
        Thread.sleep(300);
        assertThat(host.loadFailures().total()).as("the second wait is twice the first").isEqualTo(2);
    }

    @Test
    void theRetryComesWhenTheWaitEndsEvenWithoutNewBlocks() throws Exception {
        byte[] notOnnx = "no model".getBytes(StandardCharsets.US_ASCII);
        Hash digest = Sha256.hash(notOnnx);
        store.put(digest, new ByteArrayInputStream(notOnnx));
        manager.close();
        host = new ModelHost(store, new ChainModelRegistry(chain), Clock.systemUTC(), 0,
                new LoadFailures(Duration.ofMillis(200), Duration.ofMillis(400)));
        manager = new ServingManager(chain, host, store, NODE.address());
        block(tx(OWNER, new RegisterModel("broken", "1", digest, notOnnx.length, "onnx", "mit", 1, List.of(), List.of())),
                tx(NODE, new HostModel("broken", "1", 0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> host.loadFailures().total() >= 3);
        assertThat(host.failure("broken", "1").orElseThrow().attempts()).isGreaterThanOrEqualTo(3);
    }
}
