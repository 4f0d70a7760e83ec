package io.maaschain.state;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.AllowSpendingKey;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.ledger.tx.Deprecate;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.NewVersion;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.RevokeAccess;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Withdraw;
import io.maaschain.state.MarketRecords.Allowance;
import io.maaschain.state.MarketRecords.Escrow;
import io.maaschain.state.MarketRecords.Grant;
import io.maaschain.state.MarketRecords.Host;
import io.maaschain.state.MarketRecords.Settlement;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The state transition of the model registry and market: versions, deprecation, visibility, hosting, grants,
 * escrow and the settlement of receipt batches. Called by {@link StateTransition} on a layer it discards on failure.
 */
final class ModelMarket {
    /** Blocks between announcing a withdrawal and being able to take it: the window hosts have to settle. */
    static final long ESCROW_TIMEOUT_BLOCKS = 20;

    private ModelMarket() {}

    static void register(WorldState s, Address sender, RegisterModel m, long height, boolean mustExist) throws Rejection {
        Bytes nameKey = StateKeys.modelName(m.name());
        byte[] existing = s.get(nameKey);
        if (mustExist && existing == null) throw new Rejection(RejectCode.MODEL_NOT_FOUND, "model '" + m.name() + "' is not registered");
        long versions = 0;
        if (existing != null) {
            ModelName name = ModelName.decode(existing);
            if (!name.owner().equals(sender)) throw new Rejection(RejectCode.NOT_MODEL_OWNER, "model '" + m.name() + "' belongs to " + name.owner());
            versions = name.versionCount();
        }
        Bytes versionKey = StateKeys.modelVersion(m.name(), m.version());
        if (s.get(versionKey) != null) {
            throw new Rejection(RejectCode.MODEL_VERSION_EXISTS, "model '" + m.name() + "' already has version " + m.version());
        }
        s.put(versionKey, new ModelVersion(sender, m, height).encode());
        s.put(nameKey, new ModelName(sender, m.version(), versions + 1).encode());
    }

    static void newVersion(WorldState s, Address sender, NewVersion v, long height) throws Rejection {
        register(s, sender, v.spec(), height, true);
    }

    static void deprecate(WorldState s, Address sender, Deprecate d, long height) throws Rejection {
        ModelVersion v = version(s, d.name(), d.version());
        requireOwner(v.owner(), sender, d.name());
        s.put(MarketRecords.deprecatedKey(d.name(), d.version()), Permissions.encodeCount(height));
    }

    static void setVisibility(WorldState s, Address sender, SetVisibility v) throws Rejection {
        requireOwner(name(s, v.name()).owner(), sender, v.name());
        if (v.isPublic()) s.put(MarketRecords.visibilityKey(v.name()), Permissions.present());
        else s.delete(MarketRecords.visibilityKey(v.name()));
    }

    /**
     * A first listing or a lower price applies at once; a raise waits two escrow timeouts (callers can leave first).
     * Anyone may host a public model; a private one only its owner and accounts the owner granted access.
     */
    static void host(WorldState s, Address sender, HostModel h, long height) throws Rejection {
        ModelVersion model = version(s, h.name(), h.version());
        requireNotDeprecated(s, h.name(), h.version());
        // A private model's artifact goes only to its hosts, so hosting one needs the owner's consent: a grant.
        if (s.get(MarketRecords.visibilityKey(h.name())) == null && !model.owner().equals(sender)
                && s.get(MarketRecords.grantKey(h.name(), sender)) == null) {
            throw new Rejection(RejectCode.HOST_NOT_APPROVED, "model '" + h.name() + "' is private; its owner must grant "
                    + sender + " access before it can host it");
        }
        Bytes key = MarketRecords.hostKey(h.name(), h.version(), sender);
        byte[] old = s.get(key);
        Host next;
        if (old == null) {
            next = new Host(h.hostPrice(), height, 0, 0);
        } else {
            Host current = Host.decode(old);
            long now = current.priceAt(height);
            next = h.hostPrice() <= now
                    ? new Host(h.hostPrice(), current.sinceHeight(), 0, 0)
                    : new Host(now, current.sinceHeight(), h.hostPrice(), height + 2 * ESCROW_TIMEOUT_BLOCKS);
        }
        s.put(key, next.encode());
    }

    static void grant(WorldState s, Address sender, GrantAccess g, long height) throws Rejection {
        requireOwner(name(s, g.name()).owner(), sender, g.name());
        if (g.expiryHeight() <= height) throw new Rejection(RejectCode.GRANT_EXPIRED, "grant expires at height " + g.expiryHeight() + ", which has passed");
        byte[] old = s.get(MarketRecords.grantKey(g.name(), g.grantee()));
        long used = old == null ? 0 : Grant.decode(old).used();
        s.put(MarketRecords.grantKey(g.name(), g.grantee()), new Grant(g.quota(), Math.min(used, g.quota()), g.expiryHeight()).encode());
    }

    static void revoke(WorldState s, Address sender, RevokeAccess r) throws Rejection {
        requireOwner(name(s, r.name()).owner(), sender, r.name());
        if (s.get(MarketRecords.grantKey(r.name(), r.grantee())) == null) {
            throw new Rejection(RejectCode.GRANT_NOT_FOUND, r.grantee() + " holds no grant for '" + r.name() + "'");
        }
        s.delete(MarketRecords.grantKey(r.name(), r.grantee()));
    }

    static void deposit(WorldState s, Address sender, Deposit d) throws Rejection {
        Escrow e = escrow(s, sender, d.host());
        s.put(MarketRecords.escrowKey(sender, d.host()), new Escrow(StateTransition.add(e.balance(), d.amount()), e.pendingWithdrawal(), e.unlockHeight(), e.settled()).encode());
    }

    /**
     * First call announces; a call at or after the unlock height, of at least the pending amount (normally the announced
     * amount resent), pays out what is pending (settlements may have lowered it).
     */
    static void withdraw(WorldState s, Address sender, Withdraw w, long height) throws Rejection {
        Bytes key = MarketRecords.escrowKey(sender, w.host());
        Escrow e = escrow(s, sender, w.host());
        if (e.unlockHeight() == 0) {
            if (w.amount() > e.balance()) {
                throw new Rejection(RejectCode.INSUFFICIENT_ESCROW, "escrow holds " + e.balance() + ", cannot withdraw " + w.amount());
            }
            s.put(key, new Escrow(e.balance(), w.amount(), height + ESCROW_TIMEOUT_BLOCKS, e.settled()).encode());
            return;
        }
        if (height < e.unlockHeight()) {
            throw new Rejection(RejectCode.WITHDRAWAL_LOCKED, "a withdrawal of " + e.pendingWithdrawal() + " unlocks at height " + e.unlockHeight());
        }
        if (w.amount() < e.pendingWithdrawal()) {
            throw new Rejection(RejectCode.WITHDRAWAL_MISMATCH, "the pending withdrawal is " + e.pendingWithdrawal() + ", more than " + w.amount());
        }
        long paid = Math.min(e.pendingWithdrawal(), e.balance());
        s.put(key, new Escrow(e.balance() - paid, 0, 0, e.settled()).encode());
        Account a = s.account(sender);
        s.setAccount(sender, new Account(StateTransition.add(a.balance(), paid), a.nonce()));
    }

    /**
     * Settles a host's receipts (docs/receipts.md, "Settlement rule"): the range must start where the last batch ended;
     * each charge bills the caller's channel with this host (model price to the owner, host price to the host) and
     * counts against the caller's grant. What a charge may take is bounded three ways: by the escrow's balance, and by
     * what the caller signed, namely its payment authorisation in the batch ({@code authorised - settled}) for calls it
     * signed, or the allowance it gave the API key for calls made with a key. A charge beyond that bound is settled for
     * what the bound allows and the host carries the rest: the batch still applies, so a host's own price change can
     * never wedge its settlement cursor. An authorisation that does not verify, or that authorises no more than the
     * channel has already settled (a replay), makes the whole batch invalid.
     *
     * <p>A model with a policy contract ({@link ModelPolicies}) is priced by it: its {@code authorize} answer for the
     * charge's caller, asked against the state the charge applies to, sets the model's part of the price (a denial or
     * a failing policy makes it 0: the host's part is still due for a call it served), and the model's part is paid
     * to the policy contract, whose code splits or forwards it.
     */
    static void settle(WorldState s, Address host, ReceiptBatch b, BlockContext block, long chainId) throws Rejection {
        long height = block.height();
        byte[] cursorBytes = s.get(MarketRecords.settlementKey(host));
        Settlement cursor = cursorBytes == null ? Settlement.START : Settlement.decode(cursorBytes);
        if (b.firstSeq() != cursor.nextSeq()) {
            throw new Rejection(RejectCode.BATCH_OUT_OF_ORDER, "batch starts at receipt " + b.firstSeq() + ", next unsettled is " + cursor.nextSeq());
        }
        Map<Address, Long> signedBudget = signedBudgets(s, host, b, chainId);
        for (ReceiptBatch.Charge c : b.charges()) {
            ModelVersion model = version(s, c.name(), c.version());
            byte[] hostBytes = s.get(MarketRecords.hostKey(c.name(), c.version(), host));
            if (hostBytes == null) throw new Rejection(RejectCode.NOT_HOSTING, host + " does not host " + c.name() + "/" + c.version());
            long modelPrice = model.registration().pricePerCall();
            Address modelPayee = model.owner();
            Optional<Address> policy = ModelPolicies.policyOf(s, c.name());
            if (policy.isPresent()) {
                ModelPolicies.Decision d = ModelPolicies.authorize(s, policy.get(), c.caller(), c.name(), c.version(), modelPrice, block);
                modelPrice = d instanceof ModelPolicies.Decision.Allow allow ? allow.modelPrice() : 0;
                modelPayee = policy.get();
            }
            long price = StateTransition.add(modelPrice, Host.decode(hostBytes).priceAt(height));
            long due = multiply(price, c.calls());
            Bytes escrowKey = MarketRecords.escrowKey(c.caller(), host);
            byte[] escrowBytes = s.get(escrowKey);
            Escrow e = escrowBytes == null ? Escrow.EMPTY : Escrow.decode(escrowBytes);
            Bytes allowanceKey = c.spendingKey() == null ? null : MarketRecords.allowanceKey(c.caller(), host, c.spendingKey());
            byte[] allowanceBytes = allowanceKey == null ? null : s.get(allowanceKey);
            Allowance allowance = allowanceBytes == null ? null : Allowance.decode(allowanceBytes);
            long authorisedBound = c.spendingKey() == null
                    ? signedBudget.getOrDefault(c.caller(), 0L)
                    : allowance == null ? 0 : allowance.remainingAt(height);
            long paid = Math.min(Math.min(due, authorisedBound), e.balance());
            if (paid > 0) {
                long left = e.balance() - paid;
                long pending = Math.min(e.pendingWithdrawal(), left);
                long settled = c.spendingKey() == null ? e.settled() + paid : e.settled();
                // Nothing left to pay out: the withdrawal is over, and the escrow is not left locked.
                s.put(escrowKey, new Escrow(left, pending, pending == 0 ? 0 : e.unlockHeight(), settled).encode());
                if (c.spendingKey() == null) {
                    signedBudget.put(c.caller(), authorisedBound - paid);
                } else {
                    s.put(allowanceKey, new Allowance(allowance.cap(), allowance.spent() + paid, allowance.expiryHeight()).encode());
                }
            }
            long ownerShare = ownerShare(paid, modelPrice, price);
            credit(s, modelPayee, ownerShare);
            credit(s, host, paid - ownerShare);
            Bytes grantKey = MarketRecords.grantKey(c.name(), c.caller());
            byte[] grantBytes = s.get(grantKey);
            if (grantBytes != null) {
                Grant g = Grant.decode(grantBytes);
                s.put(grantKey, new Grant(g.quota(), Math.min(g.quota(), StateTransition.add(g.used(), c.calls())), g.expiryHeight()).encode());
            }
        }
        s.put(MarketRecords.settlementKey(host), new Settlement(b.lastSeq() + 1, cursor.batches() + 1).encode());
    }

    /**
     * Per caller, what its authorisation in the batch still lets the host take: {@code authorised - settled}. The
     * signature is checked over the channel id derived here, so an authorisation signed for another host or chain fails.
     */
    private static Map<Address, Long> signedBudgets(WorldState s, Address host, ReceiptBatch b, long chainId) throws Rejection {
        Map<Address, Long> budgets = new HashMap<>();
        for (PaymentAuthorisation a : b.authorisations()) {
            Address caller = a.caller();
            if (!a.verifies(PaymentAuthorisation.channelId(chainId, caller, host))) {
                throw new Rejection(RejectCode.BAD_AUTHORISATION, "the payment authorisation of " + caller + " does not verify for its channel with " + host);
            }
            long settled = escrow(s, caller, host).settled();
            if (a.authorised() <= settled) {
                throw new Rejection(RejectCode.AUTHORISATION_REPLAYED, "the authorisation of " + caller + " covers " + a.authorised()
                        + " in all, and its channel with " + host + " has already settled " + settled);
            }
            budgets.put(caller, a.authorised() - settled);
        }
        return budgets;
    }

    /** The account lets an API key spend its channel with a host, up to a cap, until a height; what was spent stays. */
    static void allowSpendingKey(WorldState s, Address account, AllowSpendingKey a) {
        Bytes key = MarketRecords.allowanceKey(account, a.host(), a.keyHash());
        byte[] old = s.get(key);
        long spent = old == null ? 0 : Allowance.decode(old).spent();
        s.put(key, new Allowance(a.cap(), spent, a.expiryHeight()).encode());
    }

    /** floor(paid x modelPrice / price), exactly, in integers: every implementation must get the same coin. */
    static long ownerShare(long paid, long modelPrice, long price) {
        if (price == 0) return 0;
        return BigInteger.valueOf(paid).multiply(BigInteger.valueOf(modelPrice)).divide(BigInteger.valueOf(price)).longValueExact();
    }

    private static long multiply(long a, long b) throws Rejection {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new Rejection(RejectCode.OVERFLOW, "charge overflows 2^63-1");
        }
    }

    private static void credit(WorldState s, Address to, long amount) throws Rejection {
        if (amount == 0) return;
        Account a = s.account(to);
        s.setAccount(to, new Account(StateTransition.add(a.balance(), amount), a.nonce()));
    }

    static Escrow escrow(StateReader s, Address caller, Address host) {
        byte[] b = s.get(MarketRecords.escrowKey(caller, host));
        return b == null ? Escrow.EMPTY : Escrow.decode(b);
    }

    private static ModelName name(WorldState s, String name) throws Rejection {
        byte[] b = s.get(StateKeys.modelName(name));
        if (b == null) throw new Rejection(RejectCode.MODEL_NOT_FOUND, "model '" + name + "' is not registered");
        return ModelName.decode(b);
    }

    private static ModelVersion version(WorldState s, String name, String version) throws Rejection {
        byte[] b = s.get(StateKeys.modelVersion(name, version));
        if (b == null) throw new Rejection(RejectCode.MODEL_NOT_FOUND, "model '" + name + "' has no version " + version);
        return ModelVersion.decode(b);
    }

    private static void requireOwner(Address owner, Address sender, String name) throws Rejection {
        if (!owner.equals(sender)) throw new Rejection(RejectCode.NOT_MODEL_OWNER, "model '" + name + "' belongs to " + owner);
    }

    private static void requireNotDeprecated(WorldState s, String name, String version) throws Rejection {
        if (s.get(MarketRecords.deprecatedKey(name, version)) != null) {
            throw new Rejection(RejectCode.MODEL_DEPRECATED, "model '" + name + "' version " + version + " is deprecated");
        }
    }
}
