package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.maas.access.AccessDenied;
import io.maaschain.maas.access.SignedRequestVerifier;
import io.maaschain.maas.artifact.ArtifactAccess;
import io.maaschain.maas.artifact.ArtifactException;
import io.maaschain.maas.artifact.ArtifactRequests;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.ArtifactUpload;
import io.maaschain.maas.artifact.ChunkManifest;
import io.maaschain.maas.artifact.StoredArtifact;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content-addressed artifact store over HTTP (docs/artifacts.md, "REST"; docs/api.md, "Artifacts"). Bodies are
 * streamed both ways: an upload goes from the socket to disk through the hasher in 1 MiB pieces, so Javalin's
 * {@code maxRequestSize} (which bounds only buffered bodies) does not apply and the store's own {@code maxArtifactBytes} does.
 *
 * <pre>
 *   PUT  /api/v1/artifacts/{digest}            signed; body = the artifact bytes (or the rest of them, with Upload-Offset)
 *   GET  /api/v1/artifacts/{digest}/upload     signed; {"offset": n}: where this account's interrupted upload resumes
 *   GET  /api/v1/artifacts/{digest}            the bytes; a single Range is honoured (206)
 *   HEAD /api/v1/artifacts/{digest}
 *   GET  /api/v1/artifacts/{digest}/manifest   JSON, or the canonical encoding with Accept: application/octet-stream
 * </pre>
 * Reads follow {@link ArtifactAccess}: a request the rule does not let in is answered exactly as for an artifact that
 * is not stored (404), so existence is not revealed. Requests are authenticated by {@link SignedRequestVerifier}.
 */
public final class ArtifactRoutes {
    /** Request header naming the offset a PUT's body starts at, for resuming an interrupted upload. */
    public static final String UPLOAD_OFFSET = "Upload-Offset";
    public static final String MANIFEST_HASH = "X-Artifact-Manifest-Hash";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final int COPY_BUFFER = 1 << 20;

    private final ArtifactStore store;
    private final ArtifactAccess access;
    private final SignedRequestVerifier signatures;
    private final LongSupplier clock;

    /**
     * @param access     who may read what; the p2p artifact provider uses the same rule
     * @param signatures checks signed requests (its replay guard's window bounds a signature's life)
     * @param clock      milliseconds since the epoch, for the signature's timestamp window
     */
    public ArtifactRoutes(ArtifactStore store, ArtifactAccess access, SignedRequestVerifier signatures, LongSupplier clock) {
        this.store = store;
        this.access = access;
        this.signatures = signatures;
        this.clock = clock;
    }

    public void register(Javalin app) {
        app.put("/api/v1/artifacts/{digest}", this::upload);
        app.get("/api/v1/artifacts/{digest}/upload", this::uploadStatus);
        app.get("/api/v1/artifacts/{digest}/manifest", this::manifest);
        app.get("/api/v1/artifacts/{digest}", this::download);
        app.head("/api/v1/artifacts/{digest}", this::download);
    }

    /** The account that signed this request, or empty for an anonymous one; 401 for a bad, stale or replayed signature. */
    private Optional<Address> requester(Context ctx, Hash digest) {
        String method = ctx.method().name();
        try {
            return signatures.verify(method, ctx.path(), ArtifactRequests.bodyHash(method, digest), ctx::header, clock.getAsLong())
                    .map(PublicKey::address);
        } catch (AccessDenied e) {
            throw new ApiException(e.status(), e.code(), e.getMessage());
        }
    }

    private Address requireAccount(Context ctx, Hash digest) {
        return requester(ctx, digest).orElseThrow(() -> new ApiException(401, "UNAUTHENTICATED",
                "uploads need an account: sign the request (X-Maaschain-Key, X-Maaschain-Nonce, X-Maaschain-Timestamp, X-Maaschain-Signature; docs/api.md, Artifacts)"));
    }

    /** The stored artifact if {@code requester} may read it; the same 404 whether it is missing or refused. */
    private StoredArtifact readable(Hash digest, Optional<Address> requester) {
        Optional<StoredArtifact> a = store.find(digest);
        if (a.isEmpty() || !access.mayRead(digest, requester.orElse(null))) throw notFound(digest);
        return a.get();
    }

    private static ApiException notFound(Hash digest) {
        return ApiException.notFound("artifact " + digest.toHex());
    }

    static Hash digest(Context ctx) {
        String text = ctx.pathParam("digest");
        if (!DIGEST.matcher(text).matches()) {
            throw ApiException.badRequest("MALFORMED", "an artifact digest is 64 lower-case hex digits (SHA-256): " + text);
        }
        return Hash.fromHex(text);
    }

    private void upload(Context ctx) {
        Hash digest = digest(ctx);
        Address account = requireAccount(ctx, digest);
        if (store.contains(digest) && access.mayRead(digest, account)) {
            ctx.json(view(store.find(digest).orElseThrow(), true));
            return;
        }
        long offset = 0;
        String offsetHeader = ctx.header(UPLOAD_OFFSET);
        if (offsetHeader != null) {
            try {
                offset = Long.parseLong(offsetHeader.trim());
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0) throw ApiException.badRequest("MALFORMED", UPLOAD_OFFSET + " must be a non-negative integer: " + offsetHeader);
        }
        long max = store.limits().maxArtifactBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared >= 0 && offset + declared > max) {
            throw new ApiException(413, "OVERSIZED", "artifact of " + (offset + declared) + " bytes is larger than the maximum of " + max);
        }
        try (ArtifactUpload u = store.beginUpload(digest, offset, account, declared)) {
            u.append(ctx.bodyInputStream());
            StoredArtifact stored = u.complete();
            ctx.status(201).json(view(stored, false));
        } catch (ArtifactException e) {
            throw translate(e);
        }
    }

    private void uploadStatus(Context ctx) {
        Hash digest = digest(ctx);
        Address account = requireAccount(ctx, digest);
        boolean stored = store.contains(digest) && access.mayRead(digest, account);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digest", digest.toHex());
        m.put("stored", stored);
        m.put("offset", stored ? store.find(digest).map(StoredArtifact::size).orElse(0L) : store.resumeOffset(digest, account));
        m.put("chunkSize", store.limits().chunkSize());
        m.put("maxArtifactBytes", store.limits().maxArtifactBytes());
        m.put("account", account.toString());
        m.put("accountBytes", store.bytesHeldBy(account));
        m.put("accountQuota", store.policy().accountQuotaBytes());
        ctx.json(m);
    }

    private void manifest(Context ctx) {
        Hash digest = digest(ctx);
        ChunkManifest m = readable(digest, requester(ctx, digest)).manifest();
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/octet-stream")) {
            ctx.header(MANIFEST_HASH, m.hash().toHex());
            ctx.contentType("application/octet-stream").result(m.encode());
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("digest", digest.toHex());
        out.put("size", m.size());
        out.put("chunkSize", m.chunkSize());
        out.put("chunkCount", m.chunkCount());
        out.put("manifestHash", m.hash().toHex());
        out.put("encoded", Hex.encode(m.encode()));
        List<Map<String, Object>> chunks = new ArrayList<>(m.chunkCount());
        for (int i = 0; i < m.chunkCount(); i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("index", i);
            c.put("offset", m.chunkOffset(i));
            c.put("length", m.chunkLength(i));
            c.put("sha256", m.chunkHash(i).toHex());
            chunks.add(c);
        }
        out.put("chunks", chunks);
        ctx.json(out);
    }

    private void download(Context ctx) throws IOException {
        Hash digest = digest(ctx);
        StoredArtifact a = readable(digest, requester(ctx, digest));
        long size = a.size();
        String etag = "\"" + digest.toHex() + "\"";
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("ETag", etag);
        // Only artifacts anyone may read are cacheable by shared caches; a private one must not be kept by a proxy.
        ctx.header("Cache-Control", access.mayRead(digest, null) ? "public, max-age=31536000, immutable" : "private, no-store");
        ctx.header(MANIFEST_HASH, a.manifest().hash().toHex());
        long start = 0;
        long end = size - 1;
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range != null && (ifRange == null || ifRange.equals(etag))) {
            long[] r = parseRange(range, size);
            if (r == UNSATISFIABLE) {
                ctx.header("Content-Range", "bytes */" + size);
                throw new ApiException(416, "RANGE_NOT_SATISFIABLE", "range " + range + " is outside the artifact's " + size + " bytes");
            }
            if (r != null) {
                start = r[0];
                end = r[1];
                ctx.status(206);
                ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
        }
        long length = end - start + 1;
        ctx.disableCompression();
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Length", Long.toString(length));
        if (ctx.method() == HandlerType.HEAD || length == 0) return;
        try (FileChannel ch = store.openChannel(digest)) {
            OutputStream out = ctx.outputStream();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(COPY_BUFFER, length));
            for (long pos = start; pos <= end; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos + 1));
                int n = ch.read(buf, pos);
                if (n < 0) throw new IOException("artifact " + digest + " ended early at " + pos);
                out.write(buf.array(), 0, n);
                pos += n;
            }
            out.flush();
        } catch (ArtifactException e) {
            // Deleted since it was found: the same 404 as for any artifact not stored.
            throw e.reason() == ArtifactException.Reason.NOT_FOUND ? notFound(digest) : translate(e);
        }
    }

    /**
     * One range of RFC 9110 section 14.1.2 as {start, end} inclusive; null to ignore the header (malformed or several
     * ranges: the whole artifact is sent); {@link #UNSATISFIABLE} when it cannot be satisfied (416).
     */
    static long[] parseRange(String header, long size) {
        try {
            return parse(header, size);
        } catch (RangeException e) {
            return UNSATISFIABLE;
        }
    }

    private static long[] parse(String header, long size) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches()) return null;
        String a = m.group(1);
        String b = m.group(2);
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) return null;
                long suffix = Long.parseLong(b);
                if (suffix == 0 || size == 0) throw unsatisfiable(size);
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (!b.isEmpty() && Long.parseLong(b) < start) return null;
            if (start >= size) throw unsatisfiable(size);
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Marks a range that cannot be satisfied; the caller answers 416. */
    private static final long[] UNSATISFIABLE = {-1, -1};

    private static RangeException unsatisfiable(long size) {
        return new RangeException();
    }

    private static final class RangeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RangeException() {
            super(null, null, false, false);
        }
    }

    static ApiException translate(ArtifactException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> new ApiException(404, "NOT_FOUND", e.getMessage());
            case DIGEST_MISMATCH -> new ApiException(400, "DIGEST_MISMATCH", e.getMessage());
            case TOO_LARGE -> new ApiException(413, "OVERSIZED", e.getMessage());
            case CONFLICT -> new ApiException(409, "CONFLICT", e.getMessage());
            case BUSY -> new ApiException(503, "BUSY", e.getMessage());
            case QUOTA_EXCEEDED -> new ApiException(413, "QUOTA_EXCEEDED", e.getMessage());
            case INSUFFICIENT_STORAGE -> new ApiException(507, "INSUFFICIENT_STORAGE", e.getMessage());
            case INVALID -> new ApiException(400, "MALFORMED", e.getMessage());
            case INTERRUPTED -> new ApiException(400, "UPLOAD_INTERRUPTED", e.getMessage());
            case IO -> new ApiException(500, "STORAGE", e.getMessage());
        };
    }

    private static Map<String, Object> view(StoredArtifact a, boolean existing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digest", a.digest().toHex());
        m.put("size", a.size());
        m.put("chunkSize", a.manifest().chunkSize());
        m.put("chunkCount", a.manifest().chunkCount());
        m.put("manifestHash", a.manifest().hash().toHex());
        m.put("existing", existing);
        return m;
    }
}
