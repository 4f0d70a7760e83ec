package io.maaschain.api;

/** An HTTP error with a stable machine-readable code, rendered as application/problem+json (RFC 9457). */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(400, code, detail);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", what + " not found");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
