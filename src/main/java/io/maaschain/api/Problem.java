package io.maaschain.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The problem+json body (RFC 9457). {@code code} is stable; {@code detail} is for people. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String code, String detail, Map<String, Object> extra) {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://maaschain.io/problems/";

    public static Problem of(int status, String code, String detail) {
        return new Problem(TYPE_BASE + code.toLowerCase().replace('_', '-'), title(status), status, code, detail, null);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            case 507 -> "Insufficient Storage";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
