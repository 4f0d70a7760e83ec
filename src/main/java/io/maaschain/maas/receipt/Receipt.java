package io.maaschain.maas.receipt;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a node attests about one inference call, success, failure or denial (docs/receipts.md). The node signs its
 * canonical encoding ({@link ReceiptCodec}); the receipt's id is SHA-256 of that encoding.
 *
 * @param chainId          the chain whose batches settle this receipt
 * @param nodeKey          the serving (hosting) node's Ed25519 key; its address is the host that settles the receipt
 * @param seq              the node's receipt sequence number: 0, 1, 2, ... without gaps or repeats
 * @param timestampMillis  when the call was received (ms since the epoch); never decreases along {@code seq}
 * @param modelName        the model called, as requested
 * @param modelVersion     the version served; empty when the call named no servable version
 * @param artifactDigest   the on-chain artifact digest of that version; null exactly when the version is empty
 * @param caller           the authenticated caller; null when the call was not authenticated
 * @param requestHash      SHA-256 of the request body bytes as received; null when the body was refused unread
 * @param status           the HTTP status answered
 * @param responseHash     the response hash ({@code TensorDigest}) when {@code status == 200}, else null
 * @param errorCode        a reason code such as {@code NO_GRANT} when {@code status != 200}, else empty
 * @param errorMessageHash SHA-256 of the UTF-8 error message answered when {@code status != 200}, else null
 * @param fee              the fee charged for the call: model price + host price; 0 for every failed call
 * @param paidBy           what paid a charged call: the caller's channel authorisation or an API key's allowance;
 *                         null for a call that was not charged
 */
public record Receipt(
        long chainId,
        PublicKey nodeKey,
        long seq,
        long timestampMillis,
        String modelName,
        String modelVersion,
        Hash artifactDigest,
        Address caller,
        Hash requestHash,
        int status,
        Hash responseHash,
        String errorCode,
        Hash errorMessageHash,
        long fee,
        PaidBy paidBy) {

    public static final int SUCCESS = 200;
    public static final int MAX_MODEL_NAME_BYTES = 128;
    public static final int MAX_MODEL_VERSION_BYTES = 32;
    public static final int MAX_ERROR_CODE_BYTES = 32;
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    public Receipt {
        Objects.requireNonNull(nodeKey, "nodeKey");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        if (errorCode == null) errorCode = "";
        if (chainId < 0 || seq < 0 || timestampMillis < 0 || fee < 0) {
            throw new IllegalArgumentException("chain id, seq, timestamp and fee are unsigned 63-bit values");
        }
        requireWellFormed(modelName, "model name");
        requireWellFormed(modelVersion, "model version");
        int nameBytes = utf8Length(modelName);
        if (nameBytes < 1 || nameBytes > MAX_MODEL_NAME_BYTES) throw new IllegalArgumentException("model name must be 1 to 128 bytes of UTF-8");
        if (utf8Length(modelVersion) > MAX_MODEL_VERSION_BYTES) throw new IllegalArgumentException("model version is longer than 32 bytes");
        if (modelVersion.isEmpty() != (artifactDigest == null)) {
            throw new IllegalArgumentException("a receipt names a version and its artifact digest together, or neither");
        }
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be an HTTP status (100..599): " + status);
        if (status == SUCCESS) {
            if (responseHash == null) throw new IllegalArgumentException("a successful call's receipt binds the response hash");
            if (!errorCode.isEmpty() || errorMessageHash != null) throw new IllegalArgumentException("a successful call has no error");
            if (artifactDigest == null) throw new IllegalArgumentException("a successful call names the version served");
            if (requestHash == null) throw new IllegalArgumentException("a successful call binds the request hash");
        } else {
            if (responseHash != null) throw new IllegalArgumentException("a failed call has no response hash");
            if (!ERROR_CODE.matcher(errorCode).matches()) throw new IllegalArgumentException("error code must match [A-Z][A-Z0-9_]{0,31}: " + errorCode);
            if (errorMessageHash == null) throw new IllegalArgumentException("a failed call's receipt binds the error message hash");
            if (fee != 0) throw new IllegalArgumentException("a failed call is never charged");
        }
        if (fee > 0 && caller == null) throw new IllegalArgumentException("a charged call names its caller");
        if (paidBy != null && fee == 0) throw new IllegalArgumentException("only a charged call records what paid it");
        if (paidBy instanceof PaidBy.Channel c && !c.authorisation().caller().equals(caller)) {
            throw new IllegalArgumentException("a channel authorisation is signed by the caller");
        }
    }

    /** A receipt that records no payment (a free or failed call, or one written before payments were recorded). */
    public Receipt(long chainId, PublicKey nodeKey, long seq, long timestampMillis, String modelName, String modelVersion, Hash artifactDigest,
                   Address caller, Hash requestHash, int status, Hash responseHash, String errorCode, Hash errorMessageHash, long fee) {
        this(chainId, nodeKey, seq, timestampMillis, modelName, modelVersion, artifactDigest, caller, requestHash, status, responseHash,
                errorCode, errorMessageHash, fee, null);
    }

    /** The hosting node's address, derived from its key. */
    public Address node() {
        return nodeKey.address();
    }

    public boolean succeeded() {
        return status == SUCCESS;
    }

    private static void requireWellFormed(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " holds an unpaired surrogate, which has no UTF-8 encoding");
            }
        }
    }

    /** A model name as requested, made fit for a receipt: unpaired surrogates replaced, cut to 128 bytes, never empty. */
    public static String modelNameFrom(String requested) {
        if (requested == null || requested.isEmpty()) return "?";
        StringBuilder b = new StringBuilder(requested.length());
        for (int i = 0; i < requested.length(); i++) {
            char c = requested.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < requested.length() && Character.isLowSurrogate(requested.charAt(i + 1))) {
                b.append(c).append(requested.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return truncateUtf8(b.toString(), MAX_MODEL_NAME_BYTES);
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** {@code s} cut to at most {@code maxBytes} bytes of UTF-8 without splitting a character. */
    public static String truncateUtf8(String s, int maxBytes) {
        if (utf8Length(s) <= maxBytes) return s;
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > maxBytes) break;
            out.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
