package io.maaschain.api;

import static io.maaschain.testing.MarketChain.CALLER;
import static io.maaschain.testing.MarketChain.NODE;
import static io.maaschain.testing.MarketChain.OTHER;
import static io.maaschain.testing.MarketChain.OWNER;
import static io.maaschain.testing.MarketChain.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.tx.AllowSpendingKey;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.maas.receipt.PaidBy;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.Deprecate;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Withdraw;
import io.maaschain.maas.access.ApiKeys;
import io.maaschain.maas.access.CallerAuthenticator;
import io.maaschain.maas.access.MeteredAccess;
import io.maaschain.maas.access.ReplayGuard;
import io.maaschain.maas.access.RequestSignature;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.maas.inference.InferenceGateway;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.maas.inference.ModelRef;
import io.maaschain.maas.inference.ModelRegistry;
import io.maaschain.maas.inference.OipJson;
import io.maaschain.maas.receipt.Receipt;
import io.maaschain.maas.receipt.ReceiptBatcher;
import io.maaschain.maas.receipt.ReceiptEvidence;
import io.maaschain.maas.receipt.ReceiptLog;
import io.maaschain.maas.receipt.ReceiptProofs;
import io.maaschain.maas.receipt.ReceiptVerifier;
import io.maaschain.maas.receipt.SignedReceipt;
import io.maaschain.maas.receipt.UsageAudit;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.MarketChain;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access control, metering and receipts on the inference API, over a real socket, against a real chain and pool. */
class MeteredInferenceTest {
    static final String BODY = "{\"id\":\"r1\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.0,3.4,1.5,0.2]}]}";
    static final long PRICE = 5;
    static final long HOST_PRICE = 2;
    static final long FEE = PRICE + HOST_PRICE;

    @TempDir Path dir;
    MarketChain m;
    ArtifactStore store;
    ModelHost host;
    ApiServer server;
    ReceiptLog log;
    MeteredAccess access;
    ReceiptBatcher batcher;
    String base;
    String callerKey;
    Hash irisDigest;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        m = new MarketChain();
        byte[] iris = DevModel.onnxBytes();
        irisDigest = Sha256.hash(iris);
        m.apply(OWNER, MarketChain.model(DevModel.NAME, DevModel.VERSION, irisDigest, iris.length, PRICE));
        m.apply(OWNER, new GrantAccess(DevModel.NAME, NODE.address(), 1, 1_000)); // the owner's consent to host a private model
        m.apply(NODE, new HostModel(DevModel.NAME, DevModel.VERSION, HOST_PRICE));
        m.apply(OWNER, new GrantAccess(DevModel.NAME, CALLER.address(), 3, 1_000));
        m.apply(CALLER, new Deposit(NODE.address(), 100));

        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
        store.put(irisDigest, new ByteArrayInputStream(iris));
        ModelRegistry.InMemory registry = ModelRegistry.inMemory();
        registry.register(new ModelRef(DevModel.NAME, DevModel.VERSION, irisDigest, iris.length, "onnx"));
        host = new ModelHost(store, registry);
        host.serveLocal(DevModel.NAME, null);

        Path keys = dir.resolve(ApiKeys.FILE);
        callerKey = ApiKeys.create(keys, CALLER.address(), "caller", new SecureRandom(), 1);
        m.apply(CALLER, new AllowSpendingKey(NODE.address(), ApiKeys.hash(callerKey), 1_000, 1_000)); // the account lets its key spend
        log = ReceiptLog.open(m.store, NODE, Fixtures.CHAIN_ID);
        access = new MeteredAccess(m.chain, log, new CallerAuthenticator(ApiKeys.open(keys), new ReplayGuard(System.currentTimeMillis() - 60_000)));
        batcher = new ReceiptBatcher(m.chain, m.pool, log, new ReceiptBatcher.Config(0, 1, 10_000, 0, 50), System::currentTimeMillis);
        InferenceGateway gateway = new InferenceGateway(host, new InferenceGateway.Hooks(access, access, access), OipJson.Limits.DEFAULT, Clock.systemUTC());
        server = new ApiServer(m.chain, m.pool);
        new InferenceRoutes(gateway).register(server.javalin());
        new ReceiptRoutes(new ReceiptProofs(log, m.chain, m.pool), access).register(server.javalin());
        new AuditRoutes(new UsageAudit(log), log.node()).register(server.javalin());
        new LineageRoutes(m.chain).register(server.javalin());
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        host.close();
        store.close();
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String error() {
            return body.path("error").asText();
        }

        Hash receiptId() {
            return Hash.fromHex(raw.headers().firstValue(ReceiptRoutes.RECEIPT_ID_HEADER).orElseThrow());
        }
    }

    Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), io.maaschain.api.Json.MAPPER.readTree(r.body()), r);
    }

    HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    Reply withKey(String key) throws Exception {
        return send(post("/v2/models/iris/infer", BODY).header("Authorization", "Bearer " + key));
    }

    /** What each caller has authorised so far: every signed call authorises one more fee on top. */
    final Map<KeyPair, Long> authorised = new java.util.HashMap<>();

    Reply signed(KeyPair key, String path, long timestamp, String nonce) throws Exception {
        return signedPaying(key, path, timestamp, nonce, authorised.merge(key, FEE, Long::sum));
    }

    Reply signedPaying(KeyPair key, String path, long timestamp, String nonce, long total) throws Exception {
        HttpRequest.Builder b = post(path, BODY);
        RequestSignature.signPaid(key, Fixtures.CHAIN_ID, NODE.address(), total, "POST", path, BODY.getBytes(StandardCharsets.UTF_8), nonce, timestamp)
                .forEach(b::header);
        return send(b);
    }

    Reply signed(KeyPair key) throws Exception {
        return signed(key, "/v2/models/iris/infer", System.currentTimeMillis(), UUID.randomUUID().toString());
    }

    /** A new API key for {@code account}, which the account allows to spend up to 1000 of its channel with the node. */
    String allowedKey(KeyPair account) throws Exception {
        String key = ApiKeys.create(dir.resolve(ApiKeys.FILE), account.address(), "key", new SecureRandom(), 2);
        m.apply(account, new AllowSpendingKey(NODE.address(), ApiKeys.hash(key), 1_000, 1_000));
        return key;
    }

    @Test
    void aPaidCallRunsOnlyWhenTheCallerSignedForItAndItsReceiptRecordsTheAuthorisation() throws Exception {
        m.apply(OWNER, new SetVisibility(DevModel.NAME, true));
        m.apply(STRANGER, new Deposit(NODE.address(), 10 * FEE));
        String path = "/v2/models/iris/infer";
        // Signed but with no authorisation: 402 says how much to authorise, on which channel.
        HttpRequest.Builder unpaid = post(path, BODY);
        RequestSignature.sign(STRANGER, "POST", path, BODY.getBytes(StandardCharsets.UTF_8), "nonce-unpaid", System.currentTimeMillis()).forEach(unpaid::header);
        Reply r = send(unpaid);
        assertDenied(r, 402, "PAYMENT_REQUIRED", STRANGER);
        assertThat(r.error()).contains("at least " + FEE).contains(PaymentAuthorisation.channelId(Fixtures.CHAIN_ID, STRANGER.address(), NODE.address()).toHex());
        Reply ok = signedPaying(STRANGER, path, System.currentTimeMillis(), "nonce-paid-1", FEE);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(receipt(ok).paidBy()).isInstanceOfSatisfying(PaidBy.Channel.class, c -> assertThat(c.authorisation().authorised()).isEqualTo(FEE));
        // The same cumulative amount again would pay nothing new: the node asks for 2 x FEE.
        assertDenied(signedPaying(STRANGER, path, System.currentTimeMillis(), "nonce-paid-2", FEE), 402, "PAYMENT_REQUIRED", STRANGER);
        assertThat(signedPaying(STRANGER, path, System.currentTimeMillis(), "nonce-paid-3", 2 * FEE).status()).isEqualTo(200);
        // An authorisation signed for another node's channel does not verify here.
        HttpRequest.Builder elsewhere = post(path, BODY);
        RequestSignature.signPaid(STRANGER, Fixtures.CHAIN_ID, OTHER.address(), 3 * FEE, "POST", path, BODY.getBytes(StandardCharsets.UTF_8),
                "nonce-paid-4", System.currentTimeMillis()).forEach(elsewhere::header);
        assertThat(send(elsewhere).status()).isEqualTo(401);
        // Settlement carries the highest authorisation and the chain charges exactly that.
        batcher.tick();
        m.mine();
        assertThat(m.escrow(STRANGER).balance()).isEqualTo(10 * FEE - 2 * FEE);
        assertThat(m.escrow(STRANGER).settled()).isEqualTo(2 * FEE);
        // The next call must authorise beyond what was settled.
        assertDenied(signedPaying(STRANGER, path, System.currentTimeMillis(), "nonce-paid-5", 2 * FEE), 402, "PAYMENT_REQUIRED", STRANGER);
        assertThat(signedPaying(STRANGER, path, System.currentTimeMillis(), "nonce-paid-6", 3 * FEE).status()).isEqualTo(200);
    }

    @Test
    void aPolicyContractDecidesWhoMayCallAndAtWhatPriceAndSettlementFollowsIt() throws Exception {
        m.apply(OWNER, new SetVisibility(DevModel.NAME, true));
        m.apply(STRANGER, new Deposit(NODE.address(), 100));
        byte[] code = io.maaschain.contracts.TestContracts.policy();
        m.apply(OWNER, new io.maaschain.ledger.tx.DeployCode(code, 1_000_000));
        long nonce = new io.maaschain.state.WorldState(m.chain.headState()).account(OWNER.address()).nonce();
        m.apply(OWNER, new io.maaschain.ledger.tx.Instantiate(Sha256.hash(code), new byte[0], 0, 100_000));
        io.maaschain.crypto.Address policy = io.maaschain.state.ContractRecords.contractAddress(OWNER.address(), nonce);
        m.apply(OWNER, new io.maaschain.ledger.tx.SetModelPolicy(DevModel.NAME, java.util.Optional.of(policy)));

        // Until set, the policy answers nine zero bytes: a denial, with the contract's reason.
        assertDenied(withKey(allowedKey(STRANGER)), 403, "POLICY_DENIED", STRANGER);
        byte[] allow = java.nio.ByteBuffer.allocate(9).order(java.nio.ByteOrder.LITTLE_ENDIAN).put((byte) 1).putLong(11).array();
        m.apply(OWNER, new io.maaschain.ledger.tx.CallContract(policy, "set", allow, 0, 100_000));
        Reply paid = signedPaying(STRANGER, "/v2/models/iris/infer", System.currentTimeMillis(), "policy-1", 11 + HOST_PRICE);
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(200);
        assertThat(receipt(paid).fee()).as("the policy's price plus the host's").isEqualTo(11 + HOST_PRICE);
        batcher.tick();
        m.mine();
        assertThat(m.escrow(STRANGER).balance()).isEqualTo(100 - 11 - HOST_PRICE);
        assertThat(new io.maaschain.state.WorldState(m.chain.headState()).account(policy).balance()).isEqualTo(11);

        byte[] deny = java.util.Arrays.copyOf("\0closed".getBytes(StandardCharsets.US_ASCII), 9);
        m.apply(OWNER, new io.maaschain.ledger.tx.CallContract(policy, "set", deny, 0, 100_000));
        Reply refused = signedPaying(STRANGER, "/v2/models/iris/infer", System.currentTimeMillis(), "policy-2", 2 * (11 + HOST_PRICE));
        assertDenied(refused, 403, "POLICY_DENIED", STRANGER);
        assertThat(refused.error()).contains("closed");
    }

    @Test
    void anApiKeyPaysOnlyWithinTheAllowanceItsAccountSigned() throws Exception {
        m.apply(OWNER, new SetVisibility(DevModel.NAME, true));
        m.apply(STRANGER, new Deposit(NODE.address(), 10 * FEE));
        String key = ApiKeys.create(dir.resolve(ApiKeys.FILE), STRANGER.address(), "operator-made", new SecureRandom(), 5);
        assertDenied(withKey(key), 402, "NO_ALLOWANCE", STRANGER);
        m.apply(STRANGER, new AllowSpendingKey(NODE.address(), ApiKeys.hash(key), 2 * FEE, 1_000));
        Reply first = withKey(key);
        assertThat(first.status()).isEqualTo(200);
        assertThat(receipt(first).paidBy()).isEqualTo(new PaidBy.SpendingKey(ApiKeys.hash(key)));
        assertThat(withKey(key).status()).isEqualTo(200);
        assertDenied(withKey(key), 402, "ALLOWANCE_EXHAUSTED", STRANGER);
        batcher.tick();
        m.mine();
        assertThat(m.escrow(STRANGER).balance()).isEqualTo(10 * FEE - 2 * FEE);
        assertDenied(withKey(key), 402, "ALLOWANCE_EXHAUSTED", STRANGER);
    }

    Receipt receipt(Reply r) {
        SignedReceipt s = log.get(r.receiptId()).orElseThrow().receipt();
        assertThat(s.hasValidSignature()).isTrue();
        return s.receipt();
    }

    void assertDenied(Reply r, int status, String code, KeyPair caller) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.error()).startsWith(code + ": ");
        Receipt rec = receipt(r);
        assertThat(rec.status()).isEqualTo(status);
        assertThat(rec.errorCode()).isEqualTo(code);
        assertThat(rec.errorMessageHash()).isEqualTo(Sha256.hash(r.error().getBytes(StandardCharsets.UTF_8)));
        assertThat(rec.fee()).isZero();
        assertThat(rec.caller()).isEqualTo(caller == null ? null : caller.address());
        assertThat(rec.requestHash()).isEqualTo(Sha256.hash(BODY.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.raw().headers().firstValue(ReceiptRoutes.FEE_HEADER)).contains("0");
    }

    @Test
    void serverMetadataListsTheReceiptsExtension() throws Exception {
        Reply r = send(HttpRequest.newBuilder(URI.create(base + "/v2")).GET());
        assertThat(r.body().path("extensions").toString()).contains("maaschain-receipts");
    }

    @Test
    void aPaidCallAnswersWithASignedReceiptInItsParameters() throws Exception {
        Reply r = withKey(callerKey);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        JsonNode p = r.body().path("parameters");
        Hash id = Hash.fromHex(p.path(MeteredAccess.PARAM_RECEIPT_ID).asText());
        assertThat(p.path(MeteredAccess.PARAM_FEE).asLong()).isEqualTo(FEE);
        assertThat(p.path(MeteredAccess.PARAM_SEQ).asLong()).isZero();
        assertThat(p.path(MeteredAccess.PARAM_NODE).asText()).isEqualTo(NODE.address().toString());
        SignedReceipt fromResponse = SignedReceipt.decode(Hex.decode(p.path(MeteredAccess.PARAM_RECEIPT).asText()),
                Signature.fromHex(p.path(MeteredAccess.PARAM_SIGNATURE).asText()));
        assertThat(fromResponse.hasValidSignature()).isTrue();
        assertThat(fromResponse.id()).isEqualTo(id).isEqualTo(r.receiptId());
        Receipt rec = fromResponse.receipt();
        assertThat(rec.caller()).isEqualTo(CALLER.address());
        assertThat(rec.artifactDigest()).isEqualTo(irisDigest);
        assertThat(rec.requestHash()).isEqualTo(Sha256.hash(BODY.getBytes(StandardCharsets.UTF_8)));
        assertThat(rec.responseHash()).isNotNull();
        assertThat(rec.node()).isEqualTo(NODE.address());

        Reply signed = signed(CALLER);
        assertThat(signed.status()).isEqualTo(200);
        assertThat(receipt(signed).caller()).isEqualTo(CALLER.address());
        assertThat(receipt(signed).seq()).isEqualTo(1);
    }

    @Test
    void unauthenticatedForgedStaleReplayedAndBadKeyCallsAreRefusedWith401AndAReceipt() throws Exception {
        assertDenied(send(post("/v2/models/iris/infer", BODY)), 401, "UNAUTHENTICATED", null);
        assertDenied(withKey("mck_" + "0".repeat(64)), 401, "BAD_API_KEY", null);
        assertDenied(send(post("/v2/models/iris/infer", BODY).header("Authorization", "Basic abc")), 401, "BAD_API_KEY", null);

        // Forged: signed by someone else under the caller's public key.
        String path = "/v2/models/iris/infer";
        HttpRequest.Builder forged = post(path, BODY);
        Map<String, String> h = new java.util.HashMap<>(RequestSignature.sign(STRANGER, "POST", path, BODY.getBytes(StandardCharsets.UTF_8), "nonce-forged", System.currentTimeMillis()));
        h.put(RequestSignature.KEY_HEADER, CALLER.publicKey().toHex());
        h.forEach(forged::header);
        assertDenied(send(forged), 401, "BAD_SIGNATURE", null);

        // Signed for another body.
        HttpRequest.Builder otherBody = post(path, BODY);
        RequestSignature.sign(CALLER, "POST", path, "{}".getBytes(), "nonce-other", System.currentTimeMillis()).forEach(otherBody::header);
        assertDenied(send(otherBody), 401, "BAD_SIGNATURE", null);

        assertDenied(signed(CALLER, path, System.currentTimeMillis() - 10 * 60_000, "nonce-stale"), 401, "STALE_REQUEST", null);

        long ts = System.currentTimeMillis();
        assertThat(signed(CALLER, path, ts, "nonce-once").status()).isEqualTo(200);
        assertDenied(signed(CALLER, path, ts, "nonce-once"), 401, "REPLAYED", null);
        // The versioned path works too, and is bound by the signature.
        assertThat(signed(CALLER, "/v2/models/iris/versions/1.0.0/infer", ts, "nonce-versioned").status()).isEqualTo(200);
        assertThat(log.nextSeq()).isEqualTo(9);
    }

    @Test
    void noGrantQuotaExhaustedAndDeprecatedAreRefusedWith403AndAReceipt() throws Exception {
        assertDenied(signed(STRANGER), 403, "NO_GRANT", STRANGER);
        for (int i = 0; i < 3; i++) assertThat(withKey(callerKey).status()).isEqualTo(200);
        assertDenied(withKey(callerKey), 403, "QUOTA_EXHAUSTED", CALLER);
        // Settling the calls does not give the quota back.
        assertThat(batcher.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        m.mine();
        assertThat(m.grant(DevModel.NAME, CALLER).used()).isEqualTo(3);
        assertDenied(withKey(callerKey), 403, "QUOTA_EXHAUSTED", CALLER);
        // A public model needs no grant, only escrow.
        m.apply(OWNER, new SetVisibility(DevModel.NAME, true));
        assertDenied(signed(STRANGER), 403, "ESCROW_INSUFFICIENT", STRANGER);
        m.apply(STRANGER, new Deposit(NODE.address(), FEE));
        assertThat(signed(STRANGER).status()).isEqualTo(200);
        m.apply(OWNER, new Deprecate(DevModel.NAME, DevModel.VERSION));
        assertDenied(withKey(callerKey), 403, "DEPRECATED", CALLER);
    }

    @Test
    void noCallIsFreeWhenTheEscrowIsEmptyAndADepositLetsCallsThroughAgain() throws Exception {
        String ownerKey = allowedKey(OWNER);
        assertDenied(withKey(ownerKey), 403, "ESCROW_INSUFFICIENT", OWNER);
        // Escrow is per host: what the owner deposits for another node does not pay this one.
        m.apply(OWNER, new Deposit(OTHER.address(), 100));
        assertDenied(withKey(ownerKey), 403, "ESCROW_INSUFFICIENT", OWNER);
        m.apply(OWNER, new Deposit(NODE.address(), 2 * FEE + 3));
        assertThat(withKey(ownerKey).status()).isEqualTo(200);
        assertThat(withKey(ownerKey).status()).isEqualTo(200);
        // Unsettled calls count against the escrow: 3 left, a call costs 7.
        assertDenied(withKey(ownerKey), 403, "ESCROW_INSUFFICIENT", OWNER);
        assertThat(access.unsettledFees(OWNER.address())).isEqualTo(2 * FEE);
        batcher.tick();
        m.mine();
        assertThat(m.escrow(OWNER).balance()).isEqualTo(3);
        assertThat(access.unsettledFees(OWNER.address())).isZero();
        assertDenied(withKey(ownerKey), 403, "ESCROW_INSUFFICIENT", OWNER);
        m.apply(OWNER, new Deposit(NODE.address(), 4));
        assertThat(withKey(ownerKey).status()).isEqualTo(200);
        // A withdrawal announced takes the amount out of what calls may spend at once.
        m.apply(CALLER, new Withdraw(NODE.address(), 100));
        assertDenied(withKey(callerKey), 403, "ESCROW_INSUFFICIENT", CALLER);
    }

    /**
     * Receipts are written without an fsync; a kill -9 must still lose none of them, so after the restart the escrow
     * they spent stays spent (no free call), each is settled exactly once, and numbering goes on without a gap.
     */
    @Test
    void noCallIsFreeAndNoneIsChargedTwiceAcrossAKillMinus9() throws Exception {
        m.apply(OWNER, new SetVisibility(DevModel.NAME, true));
        m.apply(STRANGER, new Deposit(NODE.address(), 2 * FEE));
        String key = allowedKey(STRANGER);
        Map<String, String> auth = Map.of("authorization", "Bearer " + key);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        io.maaschain.testing.CrashableStore disk = new io.maaschain.testing.CrashableStore();
        ReceiptLog.Options options = new ReceiptLog.Options(100, 0, () -> "boot-a");

        ReceiptLog before = ReceiptLog.open(disk, NODE, Fixtures.CHAIN_ID, options);
        InferenceGateway g1 = gateway(before);
        assertThat(g1.infer(DevModel.NAME, null, body, null, auth).status()).isEqualTo(200);
        assertThat(g1.infer(DevModel.NAME, null, body, null, auth).status()).isEqualTo(200);
        assertThat(new String(g1.infer(DevModel.NAME, null, body, null, auth).body(), StandardCharsets.UTF_8)).contains("ESCROW_INSUFFICIENT");
        assertThat(disk.isDurable(io.maaschain.storage.Column.RECEIPTS, new byte[8])).as("receipt 0 (key u64 0) was written, not synced").isFalse();

        // kill -9: the process dies, the machine does not; the node restarts on the same disk.
        ReceiptLog after = ReceiptLog.open(disk.processCrash(), NODE, Fixtures.CHAIN_ID, options);
        assertThat(after.nextSeq()).isEqualTo(3);
        assertThat(after.gaps()).isEmpty();
        InferenceGateway g2 = gateway(after);
        InferenceGateway.Reply refused = g2.infer(DevModel.NAME, null, body, null, auth);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("ESCROW_INSUFFICIENT");

        ReceiptBatcher settle = new ReceiptBatcher(m.chain, m.pool, after, new ReceiptBatcher.Config(0, 1, 10_000, 0, 50), System::currentTimeMillis);
        assertThat(settle.tick()).isEqualTo(ReceiptBatcher.Outcome.SUBMITTED);
        m.mine();
        assertThat(m.cursor(NODE)).isEqualTo(4);
        assertThat(m.escrow(STRANGER).balance()).isZero();
        assertThat(settle.tick()).isEqualTo(ReceiptBatcher.Outcome.IDLE);
    }

    InferenceGateway gateway(ReceiptLog receipts) {
        MeteredAccess a = new MeteredAccess(m.chain, receipts,
                new CallerAuthenticator(ApiKeys.open(dir.resolve(ApiKeys.FILE)), new ReplayGuard(System.currentTimeMillis() - 60_000)));
        return new InferenceGateway(host, new InferenceGateway.Hooks(a, a, a), OipJson.Limits.DEFAULT, Clock.systemUTC());
    }

    @Test
    void concurrentCallsCannotSpendTheSameEscrowTwice() throws Exception {
        m.apply(OWNER, new SetVisibility(DevModel.NAME, true));
        m.apply(STRANGER, new Deposit(NODE.address(), 3 * FEE));
        String key = allowedKey(STRANGER);
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<Integer> statuses = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    statuses.add(withKey(key).status());
                } catch (Exception e) {
                    statuses.add(-1);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(3);
        assertThat(statuses).filteredOn(s -> s == 403).hasSize(5);
    }

    @Test
    void failedCallsGetReceiptsWithoutAFee() throws Exception {
        Reply bad = send(post("/v2/models/iris/infer", "{\"inputs\":[{\"name\":\"nope\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}")
                .header("Authorization", "Bearer " + callerKey));
        assertThat(bad.status()).isEqualTo(400);
        Receipt r = receipt(bad);
        assertThat(r.errorCode()).isEqualTo("BAD_REQUEST");
        assertThat(r.caller()).isEqualTo(CALLER.address());
        assertThat(r.fee()).isZero();
        Reply unknown = send(post("/v2/models/nothing/infer", BODY).header("Authorization", "Bearer " + callerKey));
        assertThat(unknown.status()).isEqualTo(404);
        Receipt u = receipt(unknown);
        assertThat(u.modelName()).isEqualTo("nothing");
        assertThat(u.modelVersion()).isEmpty();
        assertThat(u.caller()).isNull();
        // The failed call's reservation was released: the grant still allows three calls.
        for (int i = 0; i < 3; i++) assertThat(withKey(callerKey).status()).isEqualTo(200);
    }

    @Test
    void receiptsAreServedWithProofsOnceSettledAndTheAuditAddsUp() throws Exception {
        Reply ok = withKey(callerKey);
        Reply denied = signed(STRANGER);
        JsonNode unsettled = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/receipts/" + ok.receiptId().toHex())).GET()).body();
        assertThat(unsettled.path("status").asText()).isEqualTo("unsettled");
        batcher.tick();
        JsonNode pending = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/receipts/" + ok.receiptId().toHex())).GET()).body();
        assertThat(pending.path("status").asText()).isEqualTo("pending");
        var block = m.mine();
        batcher.onHeadChanged(List.of(), List.of(block));
        for (Reply r : List.of(ok, denied)) {
            JsonNode e = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/receipts/" + r.receiptId().toHex())).GET()).body();
            assertThat(e.path("status").asText()).isEqualTo("settled");
            assertThat(e.path("settlement").path("blockHash").asText()).isEqualTo(block.hash().toHex());
            ReceiptVerifier.Report report = ReceiptVerifier.verify(ReceiptEvidence.fromJson(e), true);
            assertThat(report.ok()).as(String.valueOf(report.failure())).isTrue();
        }
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/receipts/" + "ab".repeat(32))).GET()).status()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/receipts/xyz")).GET()).status()).isEqualTo(400);

        JsonNode all = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/usage")).GET()).body();
        assertThat(all.path("calls").asLong()).isEqualTo(2);
        assertThat(all.path("failed").asLong()).isEqualTo(1);
        assertThat(all.path("denied").asLong()).isEqualTo(1);
        assertThat(all.path("fees").asLong()).isEqualTo(FEE);
        assertThat(all.path("errorRate").asDouble()).isEqualTo(0.5);
        assertThat(all.path("latencyP99Millis").asDouble()).isGreaterThan(0);
        JsonNode mine = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/usage?caller=" + CALLER.address() + "&model=iris&node="
                + NODE.address() + "&from=0&to=" + (System.currentTimeMillis() + 1000))).GET()).body();
        assertThat(mine.path("calls").asLong()).isEqualTo(1);
        assertThat(mine.path("byModel").path("iris/1.0.0").path("fees").asLong()).isEqualTo(FEE);
        JsonNode none = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/usage?from=0&to=1")).GET()).body();
        assertThat(none.path("calls").asLong()).isZero();
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/usage?node=" + OTHER.address())).GET()).status()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/usage?caller=nope")).GET()).status()).isEqualTo(400);
    }

    @Test
    void lineageResolvesParentsAndDatasetsToRegisteredModels() throws Exception {
        Hash dataset = Fixtures.digest("iris.csv");
        m.apply(OWNER, MarketChain.model("iris-data", "2024", dataset, 4551, 0));
        m.apply(STRANGER, new RegisterModel("iris-tuned", "1", Fixtures.digest("tuned"), 100, "onnx", "mit", 1, List.of(irisDigest),
                List.of(dataset, Fixtures.digest("unknown data"))));
        m.apply(OTHER, new RegisterModel("iris-distilled", "1", Fixtures.digest("distilled"), 100, "onnx", "mit", 1, List.of(Fixtures.digest("tuned")), List.of()));
        JsonNode l = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/models/iris-distilled/lineage")).GET()).body();
        assertThat(l.path("name").asText()).isEqualTo("iris-distilled");
        JsonNode parent = l.path("parents").get(0).path("models").get(0);
        assertThat(parent.path("name").asText()).isEqualTo("iris-tuned");
        assertThat(parent.path("parents").get(0).path("models").get(0).path("name").asText()).isEqualTo("iris");
        assertThat(parent.path("datasets").get(0).path("models").get(0).path("name").asText()).isEqualTo("iris-data");
        assertThat(parent.path("datasets").get(1).path("registered").asBoolean()).isFalse();
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/models/nope/lineage")).GET()).status()).isEqualTo(404);
    }
}
