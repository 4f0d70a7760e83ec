package io.maaschain.maas.access;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import io.maaschain.maas.inference.CallContext;
import java.util.Locale;
import java.util.Map;

/**
 * Establishes who calls: a request signed with the caller's Ed25519 key ({@link RequestSignature}, checked against
 * the {@link ReplayGuard}), or an API key ({@code Authorization: Bearer mck_...}) from {@link ApiKeys}. A signed
 * request wins when both are present. Anything else is refused with 401 and the reason.
 */
public final class CallerAuthenticator {
    private final ApiKeys apiKeys;
    private final ReplayGuard replay;

    /** @param apiKeys the node's API keys, or null to accept signed requests only */
    public CallerAuthenticator(ApiKeys apiKeys, ReplayGuard replay) {
        this.apiKeys = apiKeys;
        this.replay = replay;
    }

    /**
     * @param nowMillis the node's clock when the call was received
     * @throws AccessDenied 401 when the caller cannot be established
     */
    public Address authenticate(CallContext call, long nowMillis) {
        Map<String, String> h = call.headers();
        String key = h.get(lower(RequestSignature.KEY_HEADER));
        String sig = h.get(lower(RequestSignature.SIGNATURE_HEADER));
        if (key != null || sig != null) return signed(call, h, key, sig, nowMillis);
        String auth = h.get("authorization");
        if (auth != null) return bearer(auth);
        throw AccessDenied.unauthenticated("UNAUTHENTICATED", "sign the request (" + RequestSignature.KEY_HEADER + ", "
                + RequestSignature.NONCE_HEADER + ", " + RequestSignature.TIMESTAMP_HEADER + ", " + RequestSignature.SIGNATURE_HEADER
                + ") or send an API key (Authorization: Bearer mck_...)");
    }

    private static String lower(String header) {
        return header.toLowerCase(Locale.ROOT);
    }

    private Address signed(CallContext call, Map<String, String> h, String keyHex, String sigHex, long now) {
        String nonce = h.get(lower(RequestSignature.NONCE_HEADER));
        String ts = h.get(lower(RequestSignature.TIMESTAMP_HEADER));
        if (keyHex == null || sigHex == null || nonce == null || ts == null) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "a signed request carries all of " + RequestSignature.KEY_HEADER + ", "
                    + RequestSignature.NONCE_HEADER + ", " + RequestSignature.TIMESTAMP_HEADER + " and " + RequestSignature.SIGNATURE_HEADER);
        }
        if (!RequestSignature.NONCE.matcher(nonce).matches()) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the nonce must be 8 to 64 characters of [A-Za-z0-9_-]");
        }
        long timestamp;
        try {
            if (ts.length() > 19 || !ts.chars().allMatch(Character::isDigit)) throw new NumberFormatException();
            timestamp = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the timestamp must be milliseconds since the epoch, in decimal");
        }
        PublicKey key;
        Signature signature;
        try {
            if (keyHex.length() != 64 || sigHex.length() != 128) throw new CodecException("length");
            key = PublicKey.wrap(Hex.decode(keyHex));
            signature = Signature.wrap(Hex.decode(sigHex));
        } catch (CodecException e) {
            throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the key must be 64 and the signature 128 hex digits");
        }
        replay.checkFresh(timestamp, now);
        String name = call.model().name();
        boolean valid = false;
        for (String path : new String[] {RequestSignature.inferPath(name, null), RequestSignature.inferPath(name, call.model().version())}) {
            if (key.verify(RequestSignature.message("POST", path, call.requestHash(), nonce, timestamp), signature)) {
                valid = true;
                break;
            }
        }
        if (!valid) throw AccessDenied.unauthenticated("BAD_SIGNATURE", "the signature does not verify for this request under key " + keyHex);
        replay.record(key, nonce, timestamp, now);
        return key.address();
    }

    private Address bearer(String auth) {
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AccessDenied.unauthenticated("BAD_API_KEY", "the Authorization header must be 'Bearer <API key>'");
        }
        if (apiKeys == null) throw AccessDenied.unauthenticated("BAD_API_KEY", "this node accepts signed requests only");
        String key = auth.substring(7).strip();
        return apiKeys.account(key).orElseThrow(() -> AccessDenied.unauthenticated("BAD_API_KEY", "the API key is not known to this node"));
    }
}
