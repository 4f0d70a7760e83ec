package io.maaschain.maas.access;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.maas.receipt.PaidBy;
import io.maaschain.maas.receipt.UnsettledCharges;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.StateReader;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's half of the settlement rule (docs/receipts.md, "Settlement rule"): a paid call runs only if the chain
 * would let this node collect its price, so a node never serves what it cannot settle. Refusals are 402 with what
 * to send instead. Not thread-safe: {@link MeteredAccess} calls it under its lock, together with the escrow check.
 *
 * <ul>
 *   <li>Signed request: its cumulative authorisation must be at least the channel's settled amount (on chain) plus
 *       this node's fees for the caller's signed calls not settled yet, plus calls in flight, plus this call's price.
 *   <li>API key: the account's allowance for the key on chain, less its unsettled and in-flight fees, covers the price.
 * </ul>
 */
final class PaymentCheck {
    private final Map<Address, Long> reservedChannel = new HashMap<>();
    private final Map<Hash, Long> reservedKey = new HashMap<>();

    /** @throws AccessDenied 402 PAYMENT_REQUIRED, NO_ALLOWANCE or ALLOWANCE_EXHAUSTED */
    void check(StateReader s, long height, Address node, long chainId, Address caller, PaidBy paidBy, MarketRecords.Escrow channel,
               UnsettledCharges unsettled, long price, String model) {
        switch (paidBy) {
            case null -> {
                long needed = channelNeed(channel, unsettled, caller, price);
                throw paymentRequired("a call of " + model + " costs " + price + ": sign it with a payment authorisation ("
                        + RequestSignature.AUTHORISED_HEADER + ") of at least " + needed + " in all on channel "
                        + PaymentAuthorisation.channelId(chainId, caller, node).toHex());
            }
            case PaidBy.Channel c -> {
                long needed = channelNeed(channel, unsettled, caller, price);
                if (c.authorisation().authorised() < needed) {
                    throw paymentRequired("a call of " + model + " costs " + price + "; the channel has settled " + channel.settled()
                            + " and this node holds " + (needed - price - channel.settled()) + " not yet settled, so authorise at least "
                            + needed + " in all, not " + c.authorisation().authorised());
                }
            }
            case PaidBy.SpendingKey k -> {
                byte[] b = s.get(MarketRecords.allowanceKey(caller, node, k.keyHash()));
                if (b == null) {
                    throw new AccessDenied(402, "NO_ALLOWANCE", "account " + caller + " has not allowed this API key (" + k.keyHash().toHex()
                            .substring(0, 8) + ") to spend its channel with this node (" + node + "): the account sends AllowSpendingKey "
                            + "(maaschain apikey allow)");
                }
                MarketRecords.Allowance a = MarketRecords.Allowance.decode(b);
                long owed = saturatingAdd(unsettled.pendingKeyFees(k.keyHash()), reservedKey.getOrDefault(k.keyHash(), 0L));
                long left = a.remainingAt(height + 1) - owed;
                if (left < price) {
                    throw new AccessDenied(402, "ALLOWANCE_EXHAUSTED", "a call of " + model + " costs " + price + "; the allowance for this API key"
                            + " has " + Math.max(0, left) + " left (cap " + a.cap() + ", " + a.spent() + " settled, " + owed
                            + " not yet settled, expires at height " + a.expiryHeight() + ")");
                }
            }
        }
    }

    private long channelNeed(MarketRecords.Escrow channel, UnsettledCharges unsettled, Address caller, long price) {
        long owed = saturatingAdd(unsettled.pendingChannelFees(caller), reservedChannel.getOrDefault(caller, 0L));
        return saturatingAdd(saturatingAdd(channel.settled(), owed), price);
    }

    private static AccessDenied paymentRequired(String reason) {
        return new AccessDenied(402, "PAYMENT_REQUIRED", reason);
    }

    void reserve(Address caller, PaidBy paidBy, long price) {
        switch (paidBy) {
            case PaidBy.Channel c -> reservedChannel.merge(caller, price, Long::sum);
            case PaidBy.SpendingKey k -> reservedKey.merge(k.keyHash(), price, Long::sum);
            case null -> {}
        }
    }

    void release(Address caller, PaidBy paidBy, long price) {
        switch (paidBy) {
            case PaidBy.Channel c -> reservedChannel.computeIfPresent(caller, (a, v) -> v - price == 0 ? null : v - price);
            case PaidBy.SpendingKey k -> reservedKey.computeIfPresent(k.keyHash(), (a, v) -> v - price == 0 ? null : v - price);
            case null -> {}
        }
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
