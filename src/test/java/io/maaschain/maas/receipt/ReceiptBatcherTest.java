package io.maaschain.maas.receipt;

import static io.maaschain.testing.MarketChain.CALLER;
import static io.maaschain.testing.MarketChain.NODE;
import static io.maaschain.testing.MarketChain.OWNER;
import static io.maaschain.testing.MarketChain.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maaschain.api.Json;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.Deprecate;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.CrashableStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.MarketChain;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReceiptBatcherTest {
    static final Hash DIGEST = Fixtures.digest("iris artifact");
    static final long PRICE = 5;
    static final long HOST_PRICE = 2;
    static final ReceiptBatcher.Config NOW = new ReceiptBatcher.Config(0, 1, 10_000, 0, 50);

    MarketChain m;
    ReceiptLog log;
    final AtomicLong clock = new AtomicLong(2_000_000_000_000L);
    int calls;

    @BeforeEach
    void market() {
        m = new MarketChain();
        m.apply(OWNER, MarketChain.model("iris", "1.0.0", DIGEST, 1000, PRICE));
        m.apply(OWNER, new GrantAccess("iris", NODE.address(), 1, 1_000)); // the owner's consent to host a private model
        m.apply(NODE, new HostModel("iris", "1.0.0", HOST_PRICE));
        m.apply(CALLER, new Deposit(NODE.address(), 1_000));
        m.apply(OWNER, new GrantAccess("iris", CALLER.address(), 100, 1_000));
        log = ReceiptLog.open(new InMemoryStore(), NODE, Fixtures.CHAIN_ID);
    }

    final java.util.Map<KeyPair, Long> authorised = new java.util.HashMap<>();

    /** A paid call: the caller's signed request authorised its channel to pay everything it has called so far. */
    SignedReceipt success(KeyPair caller) {
        int i = calls++;
        Hash request = Sha256.hash(("req" + i).getBytes(StandardCharsets.UTF_8));
        long total = authorised.merge(caller, PRICE + HOST_PRICE, Long::sum);
        PaymentAuthorisation auth = PaymentAuthorisation.sign(caller,
                PaymentAuthorisation.channelId(Fixtures.CHAIN_ID, caller.address(), NODE.address()), total, request);
        return log.append(new ReceiptLog.Draft(clock.incrementAndGet(), "iris", "1.0.0", DIGEST, caller.address(),
                request, 200, Sha256.hash(("resp" + i).getBytes()), "", null, PRICE + HOST_PRICE, 1000, new PaidBy.Channel(auth)));
    }

    SignedReceipt denial() {
        int i = calls++;
        return log.append(new ReceiptLog.Draft(clock.incrementAndGet(), "iris", "1.0.0", DIGEST, STRANGER.address(),
                Sha256.hash(("req" + i).getBytes()), 403, null, "NO_GRANT", Sha256.hash("no".getBytes()), 0, 1000));
    }

    ReceiptBatcher batcher(TxPool pool) {
        return new ReceiptBatcher(m.chain, pool, log, NOW, clock::get);
    }

    @Test
    void settlesEachReceiptExactlyOnceEvenWithTwoBatchersTicking() {
        for (int i = 0; i < 5; i++) success(CALLER);
        denial();
        success(OWNER);
        long escrowBefore = m.escrow(CALLER).balance();
        long ownerBefore = m.balance(OWNER);
        ReceiptBatcher a = batcher(m.pool);
        ReceiptBatcher b = batcher(m.pool);
        assertThat(a.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        assertThat(a.tick()).isEqualTo(ReceiptBatcher.Outcome.WAITING);
        assertThat(b.tick()).isEqualTo(ReceiptBatcher.Outcome.WAITING);
        assertThat(m.pool.size()).isEqualTo(1);
        Block block = m.mine();
        ReceiptBatch batch = (ReceiptBatch) block.transactions().getFirst().payload();
        assertThat(batch.firstSeq()).isZero();
        assertThat(batch.lastSeq()).isEqualTo(6);
        assertThat(batch.receiptsRoot()).isEqualTo(io.maaschain.ledger.merkle.MerkleTree.root(
                log.range(0, 7).stream().map(s -> s.receipt().id()).toList()));
        assertThat(batch.charges()).extracting(ReceiptBatch.Charge::calls).containsExactlyInAnyOrder(5L, 1L);
        assertThat(m.cursor(NODE)).isEqualTo(7);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrowBefore - 5 * (PRICE + HOST_PRICE));
        assertThat(m.grant("iris", CALLER).used()).isEqualTo(5);
        assertThat(a.tick()).isEqualTo(ReceiptBatcher.Outcome.IDLE);
        assertThat(b.tick()).isEqualTo(ReceiptBatcher.Outcome.IDLE);
        assertThat(m.pool.size()).isZero();
        m.mine();
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrowBefore - 35);
        assertThat(m.balance(OWNER)).isEqualTo(ownerBefore + 5 * PRICE);
    }

    @Test
    void aRestartWithAnEmptyPoolCannotSettleTheSameReceiptsTwice() {
        for (int i = 0; i < 4; i++) success(CALLER);
        ReceiptBatcher before = batcher(m.pool);
        assertThat(before.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Transaction first = m.pool.select(10, m.chain.headState()).getFirst();
        // The node restarts: its pool is gone, the first batch tx may still be out there (a peer's pool).
        TxPool fresh = new TxPool(m.chain.transition(), new VerifiedSignatures(100), TxPool.Limits.DEFAULT);
        success(CALLER);
        ReceiptBatcher after = batcher(fresh);
        assertThat(after.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Transaction second = fresh.select(10, m.chain.headState()).getFirst();
        assertThat(second.nonce()).isEqualTo(first.nonce());
        long escrowBefore = m.escrow(CALLER).balance();
        Block b = m.mine(List.of(first, second));
        assertThat(b.transactions()).containsExactly(first);
        assertThat(m.cursor(NODE)).isEqualTo(4);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrowBefore - 4 * 7);
        fresh.onHeadChanged(List.of(), List.of(b), m.chain.headState());
        assertThat(after.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Block next = m.mine(fresh.select(10, m.chain.headState()));
        assertThat(((ReceiptBatch) next.transactions().getFirst().payload()).firstSeq()).isEqualTo(4);
        assertThat(m.cursor(NODE)).isEqualTo(5);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrowBefore - 5 * 7);
    }

    @Test
    void aBatchDroppedFromThePoolIsSubmittedAgain() {
        success(CALLER);
        TxPool pool = new TxPool(m.chain.transition(), new VerifiedSignatures(100), TxPool.Limits.DEFAULT);
        ReceiptBatcher batcher = batcher(pool);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Hash dropped = batcher.inFlight().values().iterator().next();
        // Evicted: the node key sends a higher-fee replacement at the same nonce out of band, then that one is lost too.
        pool = new TxPool(m.chain.transition(), new VerifiedSignatures(100), TxPool.Limits.DEFAULT);
        success(CALLER);
        ReceiptBatcher again = new ReceiptBatcher(m.chain, pool, log, NOW, clock::get);
        assertThat(again.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        assertThat(again.inFlight().values()).doesNotContain(dropped).hasSize(1);
        Transaction tx = pool.select(10, m.chain.headState()).getFirst();
        assertThat(((ReceiptBatch) tx.payload()).lastSeq()).isEqualTo(1);
        m.mine(List.of(tx));
        assertThat(m.cursor(NODE)).isEqualTo(2);
    }

    @Test
    void aStaleBatchThatCanNoLongerApplyIsReplacedAtItsNonce() {
        for (int i = 0; i < 3; i++) success(CALLER);
        ReceiptBatcher batcher = batcher(m.pool);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Transaction stale = m.pool.select(10, m.chain.headState()).getFirst();
        // Another batch of the same receipts (a previous run's, mined from a peer's pool) settles them first.
        TxPool elsewhere = new TxPool(m.chain.transition(), new VerifiedSignatures(100), TxPool.Limits.DEFAULT);
        ReceiptLog sameLog = log;
        Transaction other = new io.maaschain.ledger.tx.UnsignedTransaction(Fixtures.CHAIN_ID, NODE.publicKey(), stale.nonce(), 1,
                new ReceiptBatch(0, 1, io.maaschain.ledger.merkle.MerkleTree.root(sameLog.range(0, 2).stream().map(s -> s.receipt().id()).toList()),
                        List.of(new ReceiptBatch.Charge(CALLER.address(), "iris", "1.0.0", 2)))).sign(NODE);
        m.mine(List.of(other));
        assertThat(m.cursor(NODE)).isEqualTo(2);
        assertThat(elsewhere.size()).isZero();
        // The pool dropped the stale tx (its nonce is used); the batcher settles what is left from the cursor.
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Block b = m.mine();
        ReceiptBatch rest = (ReceiptBatch) b.transactions().getFirst().payload();
        assertThat(rest.firstSeq()).isEqualTo(2);
        assertThat(rest.lastSeq()).isEqualTo(2);
        assertThat(m.cursor(NODE)).isEqualTo(3);
    }

    /** A transaction sent with the node key that cannot apply at the account nonce must not hold settlement forever. */
    @Test
    void aForeignTransactionOfTheNodeKeyThatCannotApplyIsReplacedByABatch() throws Exception {
        for (int i = 0; i < 3; i++) success(CALLER);
        long nonce = new io.maaschain.state.WorldState(m.chain.headState()).account(NODE.address()).nonce();
        Transaction stuck = new UnsignedTransaction(Fixtures.CHAIN_ID, NODE.publicKey(), nonce, 1, new Deprecate("no-such-model", "1.0.0")).sign(NODE);
        m.pool.add(stuck, m.chain.headState());
        ReceiptBatcher batcher = batcher(m.pool);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.REPLACED);
        assertThat(m.pool.get(stuck.hash())).isEmpty();
        Transaction batch = m.pool.select(10, m.chain.headState()).getFirst();
        assertThat(batch.nonce()).isEqualTo(nonce);
        assertThat(batch.fee()).isGreaterThan(stuck.fee());
        assertThat(batch.payload()).isInstanceOf(ReceiptBatch.class);
        m.mine();
        assertThat(m.cursor(NODE)).isEqualTo(3);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.IDLE);
    }

    /** A pending transaction of the node key that does apply is waited for, not replaced. */
    @Test
    void aForeignTransactionOfTheNodeKeyThatAppliesIsWaitedFor() throws Exception {
        success(CALLER);
        long nonce = new io.maaschain.state.WorldState(m.chain.headState()).account(NODE.address()).nonce();
        Transaction transfer = Fixtures.transfer(NODE, STRANGER.address(), 1, nonce, 1);
        m.pool.add(transfer, m.chain.headState());
        ReceiptBatcher batcher = batcher(m.pool);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.WAITING);
        assertThat(m.pool.get(transfer.hash())).isPresent();
    }

    @Test
    void aPendingBatchTheChainWouldNowRefuseIsReplacedAtItsNonceWithAHigherFee() throws Exception {
        for (int i = 0; i < 3; i++) success(CALLER);
        ReceiptBatcher batcher = batcher(m.pool);
        MarketChain fork = new MarketChain();
        for (Block b : m.blocks) fork.chain.importBlock(b, b.header().timestampMillis());
        long escrowBefore = m.escrow(CALLER).balance();
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Block withFirst = m.mine();
        long nonce = withFirst.transactions().getFirst().nonce();
        success(CALLER);
        success(CALLER);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Transaction second = m.pool.select(10, m.chain.headState()).getFirst();
        assertThat(((ReceiptBatch) second.payload()).firstSeq()).isEqualTo(3);
        // A reorg to a branch where the node's nonce went to a transfer: the first batch is gone for good, and the
        // second (next nonce, starting at receipt 3) can no longer apply since the cursor is back at 0.
        Block f1 = TestChain.next(fork.chain, List.of(Fixtures.transfer(NODE, STRANGER.address(), 1, nonce, 1)), STRANGER.address());
        fork.chain.importBlock(f1, f1.header().timestampMillis());
        Block f2 = TestChain.next(fork.chain, List.of(), STRANGER.address());
        m.chain.importBlock(f1, f1.header().timestampMillis());
        m.chain.importBlock(f2, f2.header().timestampMillis());
        assertThat(m.cursor(NODE)).isZero();
        assertThat(m.pool.get(second.hash())).isPresent();
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.REPLACED);
        assertThat(m.pool.get(second.hash())).isEmpty();
        Transaction replacement = m.pool.select(10, m.chain.headState()).getFirst();
        assertThat(replacement.nonce()).isEqualTo(second.nonce());
        assertThat(replacement.fee()).isGreaterThan(second.fee());
        assertThat(((ReceiptBatch) replacement.payload()).firstSeq()).isZero();
        m.mine();
        assertThat(m.cursor(NODE)).isEqualTo(5);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrowBefore - 5 * 7);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.IDLE);
    }

    @Test
    void aReorgThatUndoesASettlementLetsTheSameBatchSettleAgainOnce() throws Exception {
        for (int i = 0; i < 3; i++) success(CALLER);
        ReceiptBatcher batcher = batcher(m.pool);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        long escrowBefore = m.escrow(CALLER).balance();
        // A second chain shares every block so far, then grows a longer branch without the batch.
        MarketChain fork = new MarketChain();
        for (Block b : m.blocks) fork.chain.importBlock(b, b.header().timestampMillis());
        Block withBatch = m.mine();
        batcher.onHeadChanged(List.of(), List.of(withBatch));
        assertThat(m.cursor(NODE)).isEqualTo(3);
        assertThat(log.batchOf(1).orElseThrow().txHash()).isEqualTo(withBatch.transactions().getFirst().hash());
        Block f1 = TestChain.next(fork.chain, List.of(), STRANGER.address());
        fork.chain.importBlock(f1, f1.header().timestampMillis());
        Block f2 = TestChain.next(fork.chain, List.of(), STRANGER.address());
        m.chain.importBlock(f1, f1.header().timestampMillis());
        m.chain.importBlock(f2, f2.header().timestampMillis());
        assertThat(m.chain.head().hash()).isEqualTo(f2.hash());
        assertThat(m.cursor(NODE)).isZero();
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrowBefore);
        // The pool took the batch back; the batcher waits for it rather than making another.
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.WAITING);
        Block again = m.mine();
        assertThat(again.transactions()).extracting(Transaction::hash).containsExactly(withBatch.transactions().getFirst().hash());
        assertThat(m.cursor(NODE)).isEqualTo(3);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrowBefore - 3 * 7);
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.IDLE);
    }

    @Test
    void aReorgThatInvalidatesTheBatchTxGetsANewBatch() throws Exception {
        for (int i = 0; i < 2; i++) success(CALLER);
        ReceiptBatcher batcher = batcher(m.pool);
        MarketChain fork = new MarketChain();
        for (Block b : m.blocks) fork.chain.importBlock(b, b.header().timestampMillis());
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Block withBatch = m.mine();
        assertThat(m.cursor(NODE)).isEqualTo(2);
        // On the other branch, the node key's nonce went to a transfer: the batch tx can never apply there.
        Block f1 = TestChain.next(fork.chain, List.of(Fixtures.transfer(NODE, STRANGER.address(), 1, withBatch.transactions().getFirst().nonce(), 1)),
                STRANGER.address());
        fork.chain.importBlock(f1, f1.header().timestampMillis());
        Block f2 = TestChain.next(fork.chain, List.of(), STRANGER.address());
        m.chain.importBlock(f1, f1.header().timestampMillis());
        m.chain.importBlock(f2, f2.header().timestampMillis());
        assertThat(m.cursor(NODE)).isZero();
        assertThat(m.pool.size()).isZero();
        long escrowBefore = m.escrow(CALLER).balance();
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Block b = m.mine();
        batcher.onHeadChanged(List.of(), List.of(b));
        assertThat(m.cursor(NODE)).isEqualTo(2);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrowBefore - 2 * 7);
        assertThat(log.batchOf(0).orElseThrow().txHash()).isEqualTo(b.transactions().getFirst().hash());
    }

    @Test
    void settledReceiptsCarryProofsThatVerifyAndTamperingIsCaught() throws Exception {
        for (int i = 0; i < 6; i++) success(CALLER);
        SignedReceipt denied = denial();
        ReceiptBatcher batcher = batcher(m.pool);
        ReceiptProofs proofs = new ReceiptProofs(log, m.chain, m.pool);
        assertThat(proofs.evidence(denied.id()).orElseThrow().status()).isEqualTo(ReceiptEvidence.UNSETTLED);
        batcher.tick();
        assertThat(proofs.evidence(denied.id()).orElseThrow().status()).isEqualTo(ReceiptEvidence.PENDING);
        m.submit(STRANGER, new Transfer(OWNER.address(), 3));
        Block b = m.mine();
        m.mine();
        for (long seq = 0; seq < 7; seq++) {
            ReceiptEvidence e = proofs.evidence(seq).orElseThrow();
            assertThat(e.status()).isEqualTo(ReceiptEvidence.SETTLED);
            assertThat(e.settlement().blockHash()).isEqualTo(b.hash());
            assertThat(e.settlement().confirmations()).isEqualTo(2);
            ReceiptVerifier.Report report = ReceiptVerifier.verify(e, true);
            assertThat(report.ok()).as(report.failure() == null ? "" : report.failure()).isTrue();
            JsonNode json = Json.MAPPER.valueToTree(e.toJson());
            assertThat(ReceiptVerifier.verify(ReceiptEvidence.fromJson(json), true).ok()).isTrue();
        }
        JsonNode good = Json.MAPPER.valueToTree(proofs.evidence(denied.id()).orElseThrow().toJson());
        assertThat(failure(good, j -> ((ObjectNode) j).put("encoded", flip(j.get("encoded").asText(), 200)))).contains("malformed", "'id'");
        assertThat(failure(good, j -> ((ObjectNode) j).put("encoded", flip(((ObjectNode) j).remove("id") == null ? "" : j.get("encoded").asText(), 200))))
                .contains("node signature");
        assertThat(failure(good, j -> ((ObjectNode) j).put("signature", flip(j.get("signature").asText(), 3)))).contains("node signature");
        assertThat(failure(good, j -> ((com.fasterxml.jackson.databind.node.ArrayNode) j.get("batch").get("proof").get("path"))
                .set(0, Json.MAPPER.getNodeFactory().textNode(flip(j.get("batch").get("proof").get("path").get(0).asText(), 0)))))
                .contains("batch inclusion");
        assertThat(failure(good, j -> ((ObjectNode) j.get("batch").get("proof")).put("leafIndex", 2))).contains("batch inclusion");
        assertThat(failure(good, j -> ((ObjectNode) j.get("batch")).put("receiptsRoot", flip(j.get("batch").get("receiptsRoot").asText(), 5))))
                .contains("batch inclusion");
        assertThat(failure(good, j -> ((ObjectNode) j.get("settlement")).put("tx", flip(j.get("settlement").get("tx").asText(), 120))))
                .containsAnyOf("batch transaction");
        assertThat(failure(good, j -> ((ObjectNode) j.get("settlement")).put("header", flip(j.get("settlement").get("header").asText(), 60))))
                .contains("block header");
        // The block holds two transactions: point the proof at the other one.
        assertThat(failure(good, j -> ((ObjectNode) j.get("settlement").get("txProof"))
                .put("leafIndex", 1 - j.get("settlement").get("txProof").get("leafIndex").asInt()))).contains("tx inclusion");
        assertThat(failure(good, j -> ((ObjectNode) j).remove("settlement"))).contains("settlement");
    }

    interface Edit {
        void apply(JsonNode j);
    }

    static String failure(JsonNode good, Edit edit) {
        JsonNode copy = good.deepCopy();
        edit.apply(copy);
        try {
            ReceiptVerifier.Report r = ReceiptVerifier.verify(ReceiptEvidence.fromJson(copy), true);
            assertThat(r.ok()).as("tampered evidence must not verify").isFalse();
            return r.failure();
        } catch (io.maaschain.codec.CodecException e) {
            return "malformed: " + e.getMessage();
        }
    }

    static String flip(String hex, int byteIndex) {
        byte[] b = io.maaschain.codec.Hex.decode(hex);
        b[byteIndex % b.length] ^= 0x01;
        return io.maaschain.codec.Hex.encode(b);
    }

    @Test
    void batchesStopBeforeTheTransactionSizeLimit() {
        for (int i = 0; i < 60; i++) {
            KeyPair caller = Fixtures.key(100 + i);
            log.append(new ReceiptLog.Draft(clock.incrementAndGet(), "a-rather-long-model-name-for-the-batch-size-limit-test", "1.0.0-rc1+build",
                    DIGEST, caller.address(), Hash.ZERO, 200, Hash.ZERO, "", null, 0, 0));
        }
        BatchBuilder.Built built = BatchBuilder.build(log.range(0, 60).stream().map(ReceiptLog.Stored::receipt).toList(), 10_000);
        assertThat(built.batch().receiptCount()).isLessThan(60);
        Transaction tx = new io.maaschain.ledger.tx.UnsignedTransaction(Fixtures.CHAIN_ID, NODE.publicKey(), 0, 1, built.batch()).sign(NODE);
        assertThat(tx.size()).isLessThanOrEqualTo(4096);
        int perCharge = 20 + 4 + "a-rather-long-model-name-for-the-batch-size-limit-test".length() + 4 + "1.0.0-rc1+build".length() + 8;
        assertThat(tx.size() + perCharge).isGreaterThan(4096);
    }

    @Test
    void onlySyncedReceiptsAreSettled() {
        CrashableStore store = new CrashableStore();
        log = ReceiptLog.open(store, NODE, Fixtures.CHAIN_ID, new ReceiptLog.Options(100, 0, () -> "boot-a"));
        for (int i = 0; i < 5; i++) success(CALLER);
        assertThat(log.durableNextSeq()).isZero();
        // The disk refuses to sync: nothing is settled, not even what is written.
        store.failSyncs = true;
        ReceiptBatcher batcher = batcher(m.pool);
        org.assertj.core.api.Assertions.assertThatThrownBy(batcher::tick).isInstanceOf(io.maaschain.storage.StorageException.class);
        assertThat(m.pool.size()).isZero();

        // On a healthy disk the batcher syncs first: every receipt its batch names would survive a power loss.
        CrashableStore healthy = new CrashableStore();
        log = ReceiptLog.open(healthy, NODE, Fixtures.CHAIN_ID, new ReceiptLog.Options(100, 0, () -> "boot-a"));
        for (int i = 0; i < 5; i++) success(CALLER);
        assertThat(healthy.isDurable(io.maaschain.storage.Column.RECEIPTS, ReceiptLog.seqKey(0))).isFalse();
        assertThat(batcher(m.pool).tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        ReceiptBatch batch = (ReceiptBatch) m.mine().transactions().getFirst().payload();
        assertThat(batch.lastSeq()).isEqualTo(4);
        for (long s = batch.firstSeq(); s <= batch.lastSeq(); s++) {
            assertThat(healthy.isDurable(io.maaschain.storage.Column.RECEIPTS, ReceiptLog.seqKey(s))).as("receipt %d", s).isTrue();
        }
    }

    @Test
    void aGapLeftByAMachineCrashIsSettledWithoutChargeAndSettlementGoesOnPastIt() {
        CrashableStore store = new CrashableStore();
        log = ReceiptLog.open(store, NODE, Fixtures.CHAIN_ID, new ReceiptLog.Options(20, 0, () -> "boot-a"));
        for (int i = 0; i < 3; i++) success(CALLER);
        log.sync();
        success(CALLER);
        success(CALLER);
        // Power loss: receipts 3 and 4 were never synced; the log resumes at its reservation, 20.
        log = ReceiptLog.open(store.machineCrash(), NODE, Fixtures.CHAIN_ID, new ReceiptLog.Options(20, 0, () -> "boot-b"));
        assertThat(log.gaps()).containsExactly(new ReceiptLog.Gap(3, 20));
        assertThat(success(CALLER).receipt().seq()).isEqualTo(20);
        success(CALLER);
        long escrow = m.escrow(CALLER).balance();
        ReceiptBatcher batcher = batcher(m.pool);

        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        ReceiptBatch first = (ReceiptBatch) m.mine().transactions().getFirst().payload();
        assertThat(first.firstSeq()).isZero();
        assertThat(first.lastSeq()).isEqualTo(2);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrow - 3 * (PRICE + HOST_PRICE));

        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        Block gapBlock = m.mine();
        ReceiptBatch gap = (ReceiptBatch) gapBlock.transactions().getFirst().payload();
        assertThat(gap.firstSeq()).isEqualTo(3);
        assertThat(gap.lastSeq()).isEqualTo(19);
        assertThat(gap.receiptsRoot()).isEqualTo(ReceiptBatcher.GAP_ROOT);
        assertThat(gap.charges()).isEmpty();
        assertThat(m.cursor(NODE)).isEqualTo(20);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrow - 3 * (PRICE + HOST_PRICE));
        batcher.onHeadChanged(List.of(), List.of(gapBlock));
        assertThat(log.batchOf(10)).map(BatchRecord::receiptsRoot).contains(ReceiptBatcher.GAP_ROOT);

        assertThat(m.pool.size()).as("onHeadChanged ticked and submitted the next batch").isEqualTo(1);
        ReceiptBatch last = (ReceiptBatch) m.mine().transactions().getFirst().payload();
        assertThat(last.firstSeq()).isEqualTo(20);
        assertThat(last.lastSeq()).isEqualTo(21);
        assertThat(m.cursor(NODE)).isEqualTo(22);
        assertThat(m.escrow(CALLER).balance()).isEqualTo(escrow - 5 * (PRICE + HOST_PRICE));
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.IDLE);
    }

}
