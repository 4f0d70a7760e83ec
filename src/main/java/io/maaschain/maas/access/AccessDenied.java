package io.maaschain.maas.access;

import io.maaschain.maas.inference.InferenceException;

/**
 * A call refused by authentication (401) or by the access rules (403, or 429/503 for a busy or inconsistent node),
 * with a stable reason code. The message answered is {@code "<CODE>: <reason>"}; the receipt binds the code.
 */
public final class AccessDenied extends InferenceException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public AccessDenied(int status, String code, String reason) {
        super(status, code + ": " + reason);
        this.code = code;
    }

    public static AccessDenied unauthenticated(String code, String reason) {
        return new AccessDenied(401, code, reason);
    }

    public static AccessDenied forbidden(String code, String reason) {
        return new AccessDenied(403, code, reason);
    }

    public String code() {
        return code;
    }
}
