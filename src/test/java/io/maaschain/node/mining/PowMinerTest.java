package io.maaschain.node.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.maaschain.consensus.pow.PowParameters;
import io.maaschain.consensus.pow.PowSealVerifier;
import io.maaschain.consensus.pow.Sha256dNonceSearch;
import io.maaschain.consensus.pow.TestHeaders;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.PowSeal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PowMinerTest {
    /** About one hash in 2^16 meets it. */
    private static final int EASY_BITS = 0x1f00ffff;
    /** Target 1: no hash will meet it, so only cancel() ends the job. */
    private static final int IMPOSSIBLE_BITS = 0x03000001;
    private static final ExecutorService CALLER = Executors.newCachedThreadPool();

    @AfterAll
    static void shutDown() {
        CALLER.shutdownNow();
    }

    @Test
    void twoThreadsFindAValidSeal() throws InterruptedException {
        try (PowMiner miner = new PowMiner(2)) {
            Header template = TestHeaders.header(21, EASY_BITS);
            Header sealed = miner.mine(template).orElseThrow();
            assertThat(sealed.withSeal(template.seal())).isEqualTo(template);
            PowSealVerifier verifier = new PowSealVerifier(new PowParameters(EASY_BITS, EASY_BITS, 1000, 10, false, 0));
            assertThat(verifier.check(sealed, EASY_BITS).isValid()).isTrue();
            assertThat(miner.hashCount()).isPositive();
        }
    }

    @Test
    void portablePathMinesToo() throws InterruptedException {
        try (PowMiner miner = new PowMiner(2, Sha256dNonceSearch::portable)) {
            Header sealed = miner.mine(TestHeaders.header(22, EASY_BITS)).orElseThrow();
            assertThat(sealed.hash().toHex()).startsWith("0000");
        }
    }

    @Test
    void minesRepeatedlyWithTheSameThreads() throws InterruptedException {
        try (PowMiner miner = new PowMiner(2)) {
            for (int i = 0; i < 20; i++) {
                Header sealed = miner.mine(TestHeaders.header(100 + i, EASY_BITS)).orElseThrow();
                assertThat(sealed.hash().toHex()).startsWith("0000");
            }
        }
    }

    @Test
    void cancelStopsPromptly() throws Exception {
        try (PowMiner miner = new PowMiner(2)) {
            Future<Optional<Header>> job = CALLER.submit(() -> miner.mine(TestHeaders.header(23, IMPOSSIBLE_BITS)));
            await().atMost(Duration.ofSeconds(10)).until(() -> miner.hashCount() > 0);
            long before = System.nanoTime();
            miner.cancel();
            assertThat(job.get(2, TimeUnit.SECONDS)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(500));
            // Nothing hashes after mine() returned.
            long count = miner.hashCount();
            Thread.sleep(50);
            assertThat(miner.hashCount()).isEqualTo(count);
            // The miner is reusable after a cancel.
            assertThat(miner.mine(TestHeaders.header(24, EASY_BITS))).isPresent();
        }
    }

    @Test
    void closeEndsAJobInProgressAndLaterJobs() throws Exception {
        PowMiner miner = new PowMiner(2);
        CompletableFuture<Optional<Header>> job = CompletableFuture.supplyAsync(() -> {
            try {
                return miner.mine(TestHeaders.header(25, IMPOSSIBLE_BITS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, CALLER);
        await().atMost(Duration.ofSeconds(10)).until(() -> miner.hashCount() > 0);
        miner.close();
        assertThat(job.get(2, TimeUnit.SECONDS)).isEmpty();
        assertThat(miner.mine(TestHeaders.header(26, EASY_BITS))).isEmpty();
    }

    @Test
    void oneJobAtATime() throws Exception {
        try (PowMiner miner = new PowMiner(1)) {
            Future<Optional<Header>> job = CALLER.submit(() -> miner.mine(TestHeaders.header(27, IMPOSSIBLE_BITS)));
            await().atMost(Duration.ofSeconds(10)).until(() -> miner.hashCount() > 0);
            assertThatThrownBy(() -> miner.mine(TestHeaders.header(28, EASY_BITS))).hasMessage("already mining");
            miner.cancel();
            assertThat(job.get(2, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void interruptingTheCallerCancelsTheJob() throws Exception {
        try (PowMiner miner = new PowMiner(2)) {
            Future<Optional<Header>> job = CALLER.submit(() -> miner.mine(TestHeaders.header(29, IMPOSSIBLE_BITS)));
            await().atMost(Duration.ofSeconds(10)).until(() -> miner.hashCount() > 0);
            job.cancel(true);
            // The workers see the stop flag and the miner accepts a new job.
            await().atMost(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() ->
                    assertThat(miner.mine(TestHeaders.header(30, EASY_BITS))).isPresent());
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new PowMiner(0)).hasMessageContaining("at least one");
        try (PowMiner miner = new PowMiner(1)) {
            assertThatThrownBy(() -> miner.mine(TestHeaders.header(31, 0x04923456))).hasMessageContaining("negative");
        }
        try (PowMiner defaults = new PowMiner()) {
            assertThat(defaults.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void sealKeepsTheTemplatesBits() throws InterruptedException {
        try (PowMiner miner = new PowMiner(2)) {
            Header sealed = miner.mine(TestHeaders.header(32, EASY_BITS)).orElseThrow();
            assertThat(((PowSeal) sealed.seal()).bits()).isEqualTo(EASY_BITS);
        }
    }
}
