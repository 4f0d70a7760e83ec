package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * GET genesis: the exact bytes of the genesis file the chain was started from. SHA-256 of this body is the genesis
 * header's parent hash (docs/spec.md, "Genesis block"), so a verifier given only a URL checks it against block 0.
 */
final class GenesisRoutes {
    /** The SHA-256 of the body, as lower-case hex: the genesis header's parent hash. */
    static final String DIGEST_HEADER = "X-Maaschain-Genesis-Sha256";

    private final Blockchain chain;
    private final byte[] bytes;

    GenesisRoutes(Blockchain chain) {
        this.chain = chain;
        this.bytes = chain.genesis().canonicalJson().getBytes(StandardCharsets.UTF_8);
    }

    void register(Javalin app) {
        app.get("/api/v1/genesis", this::genesis);
    }

    private void genesis(Context ctx) {
        ctx.header(DIGEST_HEADER, Sha256.hash(bytes).toHex());
        ctx.header("X-Maaschain-Genesis-Hash", chain.genesisHash().toHex());
        ctx.contentType("application/json").result(bytes);
    }
}
