package io.maaschain.api;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of {@code /api/v1} and the {@code /v2} inference routes.
 * The document is a committed resource ({@code io/maaschain/api/openapi.json}), linted by the build with
 * {@code @redocly/cli}; {@code OpenApiRoutesTest} holds it to the routes the node registers, both ways.
 */
public final class OpenApiRoutes {
    public static final String RESOURCE = "openapi.json";
    private final byte[] document;

    public OpenApiRoutes() {
        this.document = load();
    }

    public static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the jar lacks io/maaschain/api/" + RESOURCE);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(Javalin app) {
        app.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(document));
    }
}
