package io.maaschain.maas.access;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import io.maaschain.maas.receipt.PaidBy;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import io.maaschain.maas.inference.CallContext;
import java.util.Locale;
import java.util.Map;

/**
 * Establishes who calls, and what would pay: a request signed with the caller's Ed25519 key ({@link RequestSignature},
 * checked against the {@link ReplayGuard}), whose signature may also be the caller's payment authorisation on its
 * channel with this node; or an API key ({@code Authorization: Bearer mck_...}) from {@link ApiKeys}, which pays from
 * the allowance its account gave it. A signed request wins when both are present. Anything else is refused with 401.
 * Exactly one Ed25519 verification per accepted signed call, paid or not.
 */
public final class CallerAuthenticator {
    /** The authenticated caller, and what would pay for its call: null for a signed request with no authorisation. */
    public record Caller(Address address, PaidBy payment) {}

    private final ApiKeys apiKeys;
    private final ReplayGuard replay;

    /** @param apiKeys the node's API keys, or null to accept signed requests only */
    public CallerAuthenticator(ApiKeys apiKeys, ReplayGuard replay) {
        this.apiKeys = apiKeys;
        this.replay = replay;
    }

    /**
     * @param nowMillis the node's clock when the call was received
     * @param host      this node's address, and {@code chainId} its chain: they name the caller's channel
     * @throws AccessDenied 401 when the caller cannot be established
     */
    public Caller authenticate(CallContext call, long nowMillis, Address host, long chainId) {
        Map<String, String> h = call.headers();
        String key = h.get(lower(RequestSignature.KEY_HEADER));
        String sig = h.get(lower(RequestSignature.SIGNATURE_HEADER));
        if (key != null || sig != null) return signed(call, h, key, sig, nowMillis, host, chainId);
        String auth = h.get("authorization");
        if (auth != null) return bearer(auth);
        throw AccessDenied.unauthenticated("UNAUTHENTICATED", "sign the request (" + RequestSignature.KEY_HEADER + ", "
                + RequestSignature.NONCE_HEADER + ", " + RequestSignature.TIMESTAMP_HEADER + ", " + RequestSignature.SIGNATURE_HEADER
                + ") or send an API key (Authorization: Bearer mck_...)");
    }

    private static String lower(String header) {
        return header.toLowerCase(Locale.ROOT);
    }

    private Caller signed(CallContext call, Map<String, String> h, String keyHex, String sigHex, long now, Address host, long chainId) {
        String nonce = h.get(lower(RequestSignature.NONCE_HEADER));
        String ts = h.get(lower(RequestSignature.TIMESTAMP_HEADER));
        SignedHeaders parsed = SignedHeaders.parse(keyHex, sigHex, nonce, ts);
        PublicKey key = parsed.key();
        Signature signature = parsed.signature();
        long timestamp = parsed.timestamp();
        long authorised = authorised(h.get(lower(RequestSignature.AUTHORISED_HEADER)));
        replay.checkFresh(timestamp, now);
        String name = call.model().name();
        Hash channel = authorised > 0 ? PaymentAuthorisation.channelId(chainId, key.address(), host) : null;
        // The path the request was sent to: one Ed25519 verification, never a second try under another path.
        byte[] request = RequestSignature.message("POST", RequestSignature.inferPath(name, call.requestedVersion()), call.requestHash(), nonce, timestamp);
        if (channel == null) {
            if (key.verify(request, signature)) {
                replay.record(key, nonce, timestamp, now);
                return new Caller(key.address(), null);
            }
        } else {
            PaymentAuthorisation auth = new PaymentAuthorisation(key, authorised, RequestSignature.requestDigest(request), signature);
            if (auth.verifies(channel)) {
                replay.record(key, nonce, timestamp, now);
                return new Caller(key.address(), new PaidBy.Channel(auth));
            }
        }
        throw AccessDenied.unauthenticated("BAD_SIGNATURE", channel == null
                ? "the signature does not verify for this request under key " + keyHex
                : "the signature does not verify as a payment authorisation of " + authorised + " for this request under key " + keyHex
                        + " on its channel with this node (" + host + ", chain " + chainId + ")");
    }

    /** The cumulative amount authorised, or 0 when the header is absent. */
    private static long authorised(String header) {
        if (header == null) return 0;
        try {
            if (header.isEmpty() || header.length() > 19 || !header.chars().allMatch(Character::isDigit)) throw new NumberFormatException();
            long v = Long.parseLong(header);
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw AccessDenied.unauthenticated("BAD_AUTHORISATION", RequestSignature.AUTHORISED_HEADER
                    + " must be the cumulative amount authorised, a positive decimal integer below 2^63");
        }
    }

    private Caller bearer(String auth) {
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AccessDenied.unauthenticated("BAD_API_KEY", "the Authorization header must be 'Bearer <API key>'");
        }
        if (apiKeys == null) throw AccessDenied.unauthenticated("BAD_API_KEY", "this node accepts signed requests only");
        String key = auth.substring(7).strip();
        ApiKeys.Entry entry = apiKeys.entry(key).orElseThrow(() -> AccessDenied.unauthenticated("BAD_API_KEY", "the API key is not known to this node"));
        return new Caller(entry.account(), new PaidBy.SpendingKey(entry.sha256()));
    }
}
