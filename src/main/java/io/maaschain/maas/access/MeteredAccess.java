package io.maaschain.maas.access;

import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.maas.inference.CallAuthorizer;
import io.maaschain.maas.inference.CallContext;
import io.maaschain.maas.inference.CallObserver;
import io.maaschain.maas.inference.CallRecord;
import io.maaschain.maas.inference.InferenceException;
import io.maaschain.maas.inference.ModelRef;
import io.maaschain.maas.inference.ResponseDecorator;
import io.maaschain.maas.receipt.BatchBuilder;
import io.maaschain.maas.receipt.PaidBy;
import io.maaschain.maas.receipt.Receipt;
import io.maaschain.maas.receipt.ReceiptBatcher;
import io.maaschain.maas.receipt.ReceiptLog;
import io.maaschain.maas.receipt.SignedReceipt;
import io.maaschain.maas.receipt.UnsettledCharges;
import io.maaschain.state.BlockContext;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.ModelPolicies;
import io.maaschain.state.ModelVersion;
import io.maaschain.state.StateKeys;
import io.maaschain.state.StateReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's access control, metering and receipts in one: plugged in as the {@link CallAuthorizer},
 * {@link CallObserver} and {@link ResponseDecorator} of the {@code InferenceGateway}.
 *
 * <p>Before a call runs: authenticate the caller (401), then the on-chain rules (403): the version is registered and
 * not deprecated, this node hosts it, and the caller is its owner, or the model is public, or the caller holds an
 * unexpired grant whose quota is not used up counting this node's unsettled calls; and when the price (model price +
 * host price) is not zero, the caller's spendable escrow minus this node's unsettled charges and calls in flight
 * covers it (escrow is held per host: only what the caller deposited for this node counts), and the caller signed
 * for it ({@link PaymentCheck}, 402 otherwise): a signed request carries a cumulative authorisation that covers what
 * the channel has settled, what this node has not settled yet, and this call; an API key spends only within the
 * allowance its account gave it on chain. The price is reserved while the call runs, so concurrent calls cannot overspend.
 *
 * <p>Every call then gets a signed receipt, written to the receipt log before the answer leaves (it survives a kill -9
 * at once and a machine crash once synced, within 20 ms; see {@link ReceiptLog}): a success when the response is ready (its id, signature, fee and
 * seq go into the response {@code parameters}), a failure or denial (fee 0) when the error is answered. All three
 * hooks run on the request's thread, which carries the call's state from one to the next.
 */
public final class MeteredAccess implements CallAuthorizer, CallObserver, ResponseDecorator {
    private static final Logger LOG = LoggerFactory.getLogger(MeteredAccess.class);
    public static final String EXTENSION = "maaschain-receipts";
    public static final String PARAM_RECEIPT_ID = "maaschain.receipt_id";
    public static final String PARAM_SIGNATURE = "maaschain.receipt_signature";
    public static final String PARAM_RECEIPT = "maaschain.receipt";
    public static final String PARAM_FEE = "maaschain.fee";
    public static final String PARAM_SEQ = "maaschain.seq";
    public static final String PARAM_NODE = "maaschain.node";

    private final Blockchain chain;
    private final ReceiptLog log;
    private final CallerAuthenticator authenticator;
    private final Address node;
    private final long chainId;
    private final UnsettledCharges unsettled = new UnsettledCharges();
    private final Map<Address, Long> reservedFees = new HashMap<>();
    private final PaymentCheck payments = new PaymentCheck();
    private final Map<String, Long> reservedCalls = new HashMap<>();
    private final ThreadLocal<CallState> current = new ThreadLocal<>();
    private final ThreadLocal<SignedReceipt> lastIssued = new ThreadLocal<>();

    /** What the hooks of one call share. */
    private static final class CallState {
        final Hash requestHash;
        Address caller;
        PaidBy paidBy;
        String deniedCode;
        long price;
        String model;
        boolean reserved;
        SignedReceipt receipt;

        CallState(Hash requestHash) {
            this.requestHash = requestHash;
        }
    }

    private final PolicyAnswers policies = new PolicyAnswers();

    public MeteredAccess(Blockchain chain, ReceiptLog log, CallerAuthenticator authenticator) {
        this.chain = chain;
        this.log = log;
        this.authenticator = authenticator;
        this.node = log.node();
        this.chainId = chain.transition().params().chainId();
    }

    // ------------------------------------------------------------------ CallAuthorizer

    @Override
    public String authorize(CallContext call) {
        CallState st = new CallState(call.requestHash());
        current.set(st);
        try {
            CallerAuthenticator.Caller c = authenticator.authenticate(call, call.receivedAt().toEpochMilli(), node, chainId);
            st.caller = c.address();
            st.paidBy = c.payment();
            checkAndReserve(st, call.model());
            return st.caller.toString();
        } catch (AccessDenied e) {
            st.deniedCode = e.code();
            throw e;
        }
    }

    private void checkAndReserve(CallState st, ModelRef ref) {
        Address caller = st.caller;
        synchronized (this) {
            // Cursor first, then balances: a block landing in between makes us count a settled batch twice, never zero times.
            // The head before its state: a policy answer cached under a hash is then never older than that head.
            var headBlock = chain.head();
            StateReader s = chain.headState();
            long height = chain.head().height();
            unsettled.sync(ReceiptBatcher.cursor(s, node), log);
            byte[] mvBytes = s.get(StateKeys.modelVersion(ref.name(), ref.version()));
            if (mvBytes == null) throw AccessDenied.forbidden("NOT_REGISTERED", "model " + ref.id() + " is not registered on chain");
            ModelVersion mv = ModelVersion.decode(mvBytes);
            if (!mv.registration().artifactDigest().equals(ref.artifactDigest())) {
                throw new AccessDenied(503, "ARTIFACT_MISMATCH", "the artifact served as " + ref.id() + " is not the one registered on chain");
            }
            if (s.get(MarketRecords.deprecatedKey(ref.name(), ref.version())) != null) {
                throw AccessDenied.forbidden("DEPRECATED", "model " + ref.id() + " is deprecated");
            }
            byte[] hostBytes = s.get(MarketRecords.hostKey(ref.name(), ref.version(), node));
            if (hostBytes == null) throw AccessDenied.forbidden("NOT_HOSTED", "this node (" + node + ") has no HostModel record for " + ref.id());
            // The price the next block would settle at; a raise announced by the host applies only from its height.
            long hostPrice = MarketRecords.Host.decode(hostBytes).priceAt(height + 1);
            String key = callKey(ref.name(), caller);
            boolean owner = mv.owner().equals(caller);
            boolean isPublic = s.get(MarketRecords.visibilityKey(ref.name())) != null;
            if (!owner && !isPublic) {
                byte[] g = s.get(MarketRecords.grantKey(ref.name(), caller));
                if (g == null) throw AccessDenied.forbidden("NO_GRANT", caller + " holds no grant for private model '" + ref.name() + "'");
                MarketRecords.Grant grant = MarketRecords.Grant.decode(g);
                if (grant.expiryHeight() <= height) {
                    throw AccessDenied.forbidden("GRANT_EXPIRED", "the grant of " + caller + " for '" + ref.name() + "' expired at height " + grant.expiryHeight());
                }
                long inFlight = unsettled.pendingCalls(ref.name(), caller) + reservedCalls.getOrDefault(key, 0L);
                if (grant.remaining() - inFlight <= 0) {
                    throw AccessDenied.forbidden("QUOTA_EXHAUSTED", "the grant of " + caller + " for '" + ref.name() + "' allows " + grant.quota()
                            + " calls: " + grant.used() + " settled, " + inFlight + " not yet settled");
                }
            }
            long modelPrice = mv.registration().pricePerCall();
            var policy = policies.decide(s, headBlock.hash(), new BlockContext(height + 1, headBlock.header().timestampMillis()),
                    caller, ref.name(), ref.version(), modelPrice);
            if (policy.isPresent()) {
                switch (policy.get()) {
                    case ModelPolicies.Decision.Deny d -> throw AccessDenied.forbidden("POLICY_DENIED",
                            "the policy contract of '" + ref.name() + "' denies " + caller + ": " + d.reason());
                    case ModelPolicies.Decision.Allow a -> modelPrice = a.modelPrice();
                }
            }
            long price = saturatingAdd(modelPrice, hostPrice);
            if (price > 0) {
                byte[] e = s.get(MarketRecords.escrowKey(caller, node));
                MarketRecords.Escrow escrow = e == null ? MarketRecords.Escrow.EMPTY : MarketRecords.Escrow.decode(e);
                long committed = saturatingAdd(unsettled.pendingFees(caller), reservedFees.getOrDefault(caller, 0L));
                long available = escrow.spendable() - committed;
                if (available < price) {
                    throw AccessDenied.forbidden("ESCROW_INSUFFICIENT", "a call of " + ref.id() + " costs " + price + "; the escrow " + caller
                            + " holds for this node (" + node + ") has " + escrow.spendable() + " spendable, of which " + committed
                            + " is owed for calls not yet settled");
                }
                payments.check(s, height, node, chainId, caller, st.paidBy, escrow, unsettled, price, ref.id());
                payments.reserve(caller, st.paidBy, price);
            } else {
                st.paidBy = null;
            }
            reservedFees.merge(caller, price, Long::sum);
            reservedCalls.merge(key, 1L, Long::sum);
            st.price = price;
            st.model = ref.name();
            st.reserved = true;
        }
    }

    private static String callKey(String model, Address caller) {
        return model + "\n" + caller;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** Releases a call's reservation; with {@code receipt}, counts it as unsettled in the same step. */
    private synchronized void release(CallState st, SignedReceipt receipt) {
        if (st.reserved) {
            if (st.price > 0) payments.release(st.caller, st.paidBy, st.price);
            reservedFees.computeIfPresent(st.caller, (k, v) -> v - st.price == 0 ? null : v - st.price);
            reservedCalls.computeIfPresent(callKey(st.model, st.caller), (k, v) -> v == 1 ? null : v - 1);
            st.reserved = false;
        }
        if (receipt != null) unsettled.add(receipt.receipt());
    }

    // ------------------------------------------------------------------ ResponseDecorator

    @Override
    public Map<String, Object> decorate(CallRecord record) {
        CallState st = state(record);
        Address caller = st == null ? null : st.caller;
        long fee = st == null ? 0 : st.price;
        SignedReceipt receipt;
        try {
            receipt = log.append(new ReceiptLog.Draft(record.timestamp().toEpochMilli(), Receipt.modelNameFrom(record.modelName()),
                    record.modelVersion(), record.artifactDigest(), caller, record.requestHash(), Receipt.SUCCESS, record.responseHash(),
                    "", null, fee, record.latencyNanos(), fee > 0 && st != null ? st.paidBy : null));
        } catch (RuntimeException e) {
            LOG.error("cannot issue a receipt for a call of {}", record.modelName(), e);
            throw new InferenceException(503, "RECEIPT_UNAVAILABLE: the node cannot record a receipt for this call; it was not charged");
        }
        if (st != null) {
            release(st, receipt);
            st.receipt = receipt;
        }
        lastIssued.set(receipt);
        return parameters(receipt);
    }

    /** The receipt fields a response carries. */
    public static Map<String, Object> parameters(SignedReceipt receipt) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(PARAM_RECEIPT_ID, receipt.id().toHex());
        p.put(PARAM_SIGNATURE, receipt.signature().toHex());
        p.put(PARAM_FEE, receipt.receipt().fee());
        p.put(PARAM_SEQ, receipt.receipt().seq());
        p.put(PARAM_NODE, receipt.receipt().node().toString());
        p.put(PARAM_RECEIPT, io.maaschain.codec.Hex.encode(receipt.encoding()));
        return p;
    }

    @Override
    public List<String> extensions() {
        return List.of(EXTENSION);
    }

    // ------------------------------------------------------------------ CallObserver

    @Override
    public void onCall(CallRecord record) {
        CallState st = state(record);
        current.remove();
        if (st != null && st.receipt != null && record.succeeded()) return;
        try {
            String code = st != null && st.deniedCode != null ? st.deniedCode : codeFor(record.status());
            String message = record.error() == null ? "" : record.error();
            int status = record.status() == Receipt.SUCCESS ? 500 : record.status();
            boolean hasVersion = record.modelVersion() != null && record.artifactDigest() != null;
            SignedReceipt receipt = log.append(new ReceiptLog.Draft(record.timestamp().toEpochMilli(), Receipt.modelNameFrom(record.modelName()),
                    hasVersion ? record.modelVersion() : "", hasVersion ? record.artifactDigest() : null, st == null ? null : st.caller,
                    record.requestHash(), status, null, code, Sha256.hash(message.getBytes(StandardCharsets.UTF_8)), 0, record.latencyNanos()));
            lastIssued.set(receipt);
        } catch (RuntimeException e) {
            LOG.error("cannot issue a receipt for a failed call of {}", record.modelName(), e);
        } finally {
            if (st != null) release(st, null);
        }
    }

    /** The state of the call {@code record} describes, if this thread's last authorization was for it. */
    private CallState state(CallRecord record) {
        CallState st = current.get();
        if (st == null || st.requestHash == null || !st.requestHash.equals(record.requestHash())) return null;
        return st;
    }

    /** A reason code for a failure the access check did not raise. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHENTICATED";
            case 402 -> "PAYMENT_REQUIRED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 413 -> "TOO_LARGE";
            case 429 -> "RATE_LIMITED";
            case 500 -> "BACKEND_ERROR";
            case 503 -> "UNAVAILABLE";
            default -> "HTTP_" + status;
        };
    }

    /** The receipt issued for the last call on this thread, once; the HTTP layer puts it in response headers. */
    public Optional<SignedReceipt> takeLastIssued() {
        SignedReceipt r = lastIssued.get();
        lastIssued.remove();
        return Optional.ofNullable(r);
    }

    /** This node's calls not yet settled: fees owed by {@code caller} (for status and tests). */
    public synchronized long unsettledFees(Address caller) {
        unsettled.sync(ReceiptBatcher.cursor(chain.headState(), node), log);
        return unsettled.pendingFees(caller);
    }

    public Address node() {
        return node;
    }

    static boolean billable(Receipt r) {
        return BatchBuilder.billable(r);
    }
}
