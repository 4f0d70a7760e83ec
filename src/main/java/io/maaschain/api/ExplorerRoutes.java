package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * The block explorer (a static single-page app built from {@code explorer/} by the Maven build into the jar's
 * {@code /explorer/} resources): {@code GET /} and {@code GET /explorer} redirect to {@code /explorer/}, which serves
 * {@code index.html}, and {@code /explorer/*} serves the built files. The page reads only the public REST API.
 */
public final class ExplorerRoutes {
    static final String ROOT = "/explorer/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "json", "application/json", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

    public void register(Javalin app) {
        app.get("/", ctx -> ctx.redirect(ROOT));
        // Javalin ignores trailing slashes, so /explorer and /explorer/ are one route: it serves the page itself.
        app.get("/explorer", ctx -> serve(ctx, "index.html"));
        app.get("/explorer/<file>", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private static void serve(Context ctx, String path) throws IOException {
        if (path.isEmpty()) path = "index.html";
        // Only plain relative names: no "..", no backslashes, nothing outside /explorer/ on the class path.
        if (path.contains("..") || path.contains("\\") || path.startsWith("/") || !path.matches("[A-Za-z0-9._/-]+")) {
            throw ApiException.notFound("explorer file " + path);
        }
        InputStream in = ExplorerRoutes.class.getResourceAsStream(ROOT + path);
        if (in == null) {
            if (path.equals("index.html")) {
                throw new ApiException(404, "NOT_FOUND", "this node was built without the explorer (build with ./mvnw package, without -Dexplorer.skip)");
            }
            throw ApiException.notFound("explorer file " + path);
        }
        String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream"));
        // Vite names bundles by content hash, so they never change; index.html must always be fresh.
        ctx.header("Cache-Control", path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        try (in) {
            ctx.result(in.readAllBytes());
        }
    }
}
