package io.maaschain.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit, from the socket, whether it came with a Content-Length or chunked. Javalin's own
 * {@code maxRequestSize} only checks a declared Content-Length: a chunked body would be read whole into memory before
 * any check. Here a declared length over the limit is refused before reading, and a chunked body is refused as soon as
 * one byte beyond the limit arrives, so at most {@code limit + 1} bytes are ever held.
 */
final class BoundedBody {
    private BoundedBody() {}

    /** The body, at most {@code limit} bytes; 413 OVERSIZED (problem+json) otherwise. */
    static byte[] read(Context ctx, int limit, String what) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) throw oversized(what, limit);
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("MALFORMED", "the request body could not be read: " + e.getMessage());
        }
        if (body.length > limit) throw oversized(what, limit);
        return body;
    }

    private static ApiException oversized(String what, int limit) {
        return new ApiException(413, "OVERSIZED", what + " is at most " + limit + " bytes");
    }
}
