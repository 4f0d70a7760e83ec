package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.maaschain.chain.Blockchain;
import io.maaschain.txpool.TxPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's HTTP server: REST/JSON under /api/v1 (docs/api.md). Errors are always problem+json. */
public final class ApiServer implements AutoCloseable {
    /** Bounds every request body; a batch of transactions is the largest legitimate one. */
    public static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;

    public ApiServer(Blockchain chain, TxPool pool) {
        this(chain, pool, NetworkStatus.NONE);
    }

    public ApiServer(Blockchain chain, TxPool pool, NetworkStatus network) {
        this(chain, pool, network, ConsensusStatus.NONE);
    }

    public ApiServer(Blockchain chain, TxPool pool, NetworkStatus network, ConsensusStatus consensus) {
        this(chain, pool, network, consensus, CommitAvailability.ALWAYS);
    }

    public ApiServer(Blockchain chain, TxPool pool, NetworkStatus network, ConsensusStatus consensus, CommitAvailability commits) {
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            // A known path with the wrong method answers 405 (docs/api.md), not 404.
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        });
        new ChainRoutes(chain, pool, network, consensus, commits).register(app);
        new ConsensusRoutes(chain, consensus).register(app);
        new GenesisRoutes(chain).register(app);
        new TransactionRoutes(chain, pool, commits).register(app);
        new StateRoutes(chain, pool).register(app);
        new ContractRoutes(chain).register(app);
        new LightRoutes(chain).register(app);
        app.exception(ApiException.class, (e, ctx) -> problem(ctx, e.status(), e.code(), e.getMessage()));
        app.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, 500, "INTERNAL", "internal error: " + e.getClass().getSimpleName());
        });
        app.error(404, ctx -> {
            // A handler that wrote its own 404 body keeps it (the inference API answers {"error": ...}, not problem+json).
            if (ctx.resultInputStream() == null && !Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                problem(ctx, 404, "NOT_FOUND", "no such resource: " + ctx.path());
            }
        });
        app.error(405, ctx -> problem(ctx, 405, "METHOD_NOT_ALLOWED", ctx.method() + " is not allowed on " + ctx.path()));
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 413 -> "OVERSIZED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            default -> status < 500 ? "BAD_REQUEST" : "INTERNAL";
        };
    }

    static void problem(Context ctx, int status, String code, String detail) {
        // An oversized body is not read to its end: closing the connection stops the server from draining the rest.
        if (status == 413) ctx.header("Connection", "close");
        if (OipErrors.isOipPath(ctx)) {
            // The inference API's clients (KServe, Triton tooling) read {"error": ...} on every /v2 path.
            OipErrors.send(ctx, status, detail);
            return;
        }
        ctx.status(status);
        ctx.json(Problem.of(status, code, detail));
        ctx.contentType(Problem.CONTENT_TYPE);
    }

    /** Adds routes that live outside this package (artifacts, inference); call before {@link #start}. */
    public ApiServer register(java.util.function.Consumer<Javalin> routes) {
        routes.accept(app);
        return this;
    }

    public ApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public Javalin javalin() {
        return app;
    }

    @Override
    public void close() {
        app.stop();
    }
}
