package io.maaschain.api;

import io.javalin.http.Context;
import io.maaschain.maas.inference.OipJson;

/** Errors on the Open Inference Protocol paths ({@code /v2...}) use the protocol's {@code {"error": "..."}} body, never problem+json. */
final class OipErrors {
    private OipErrors() {}

    static boolean isOipPath(Context ctx) {
        String p = ctx.path();
        return p.equals("/v2") || p.startsWith("/v2/");
    }

    static void send(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(OipJson.error(message));
    }
}
