package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.maas.artifact.ArtifactRequests;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maaschain model upload --key K --file F --node URL}: hashes the file, then streams it to the node's artifact
 * store ({@code PUT /api/v1/artifacts/{digest}}) with a progress bar, resuming from what the node already holds after a
 * dropped connection. Every request is signed with the account key (docs/api.md, "Artifacts"): the upload counts against
 * that account's quota on the node, and until a model version names the artifact only that account may read it back.
 * The printed digest is what {@code model register} puts on chain.
 */
@Command(name = "upload", description = "Upload a model artifact to a node's content-addressed store (resumable, signed by your key).")
final class ModelUploadCommand implements Callable<Integer> {
    @Mixin NodeOption node;
    @Mixin JsonOption json;
    @Option(names = "--key", required = true, description = "Keystore or PEM key of the uploading account (the model's owner, normally).") Path keyFile;
    @Option(names = "--password-file", description = "Keystore password file.") Path passwordFile;
    @Option(names = "--file", required = true, description = "The artifact to upload (streamed; any size the node accepts).") Path file;
    @Option(names = "--retries", defaultValue = "5", description = "Attempts to resume after a dropped connection (default: ${DEFAULT-VALUE}).") int retries;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SecureRandom random = new SecureRandom();
    private KeyPair key;
    private Hash digest;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) throw new CliException(file + " is not a file");
        key = KeyFiles.load(keyFile, passwordFile);
        long size = Files.size(file);
        boolean progress = !json.json;
        digest = ModelCommand.digestFile(file, progress);
        URI base = URI.create((node.url.endsWith("/") ? node.url : node.url + "/") + "api/v1/artifacts/" + digest.toHex());
        JsonNode done = null;
        for (int attempt = 0; done == null; attempt++) {
            JsonNode status = getJson(URI.create(base + "/upload"));
            if (status.path("stored").asBoolean()) {
                done = status;
                break;
            }
            long max = status.path("maxArtifactBytes").asLong(Long.MAX_VALUE);
            if (size > max) throw new CliException(file + " has " + size + " bytes; the node accepts at most " + max);
            long offset = status.path("offset").asLong(0);
            try {
                done = put(base, size, offset, progress);
            } catch (IOException e) {
                if (attempt >= retries) throw new CliException("upload failed after " + (attempt + 1) + " attempts: " + e.getMessage());
                if (progress) System.err.printf("%nconnection lost (%s); resuming%n", e.getMessage());
                sleep(Math.min(10_000, 500L << attempt));
            } catch (Conflict c) {
                if (attempt >= retries) throw new CliException("the node keeps refusing the upload: " + c.getMessage());
                sleep(500);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("artifactDigest", digest.toHex());
        m.put("artifactSize", size);
        if (done.has("chunkCount")) m.put("chunks", done.path("chunkCount").asInt());
        if (done.has("manifestHash")) m.put("manifestHash", done.path("manifestHash").asText());
        m.put("alreadyStored", done.path("existing").asBoolean(done.has("stored")));
        m.put("account", key.address().toString());
        m.put("node", node.url);
        Output.print(json.json, m);
        return 0;
    }

    /** The node answered 409: another upload of this digest is running, or our offset is stale. */
    private static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    private JsonNode put(URI uri, long size, long offset, boolean showProgress) throws IOException, Conflict {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ).position(offset);
        Progress bar = new Progress(System.err, file.getFileName().toString(), size, offset, showProgress);
        InputStream body = new FilterInputStream(Channels.newInputStream(ch)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) bar.advance(n);
                return n;
            }
        };
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).expectContinue(true).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size - offset));
        if (offset > 0) req.header("Upload-Offset", Long.toString(offset));
        sign(req, "PUT", uri);
        HttpResponse<String> r;
        try {
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } finally {
            ch.close();
        }
        bar.finish();
        JsonNode answer = parse(r.body(), r.statusCode());
        if (r.statusCode() == 409) throw new Conflict(answer.path("detail").asText());
        if (r.statusCode() >= 400) {
            throw new CliException("the node refused the upload (" + r.statusCode() + " " + answer.path("code").asText("") + "): "
                    + answer.path("detail").asText(r.body()));
        }
        return answer;
    }

    private JsonNode getJson(URI uri) {
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
            sign(req, "GET", uri);
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = parse(r.body(), r.statusCode());
            if (r.statusCode() >= 400) {
                throw new CliException("the node refused (" + r.statusCode() + " " + body.path("code").asText("") + "): " + body.path("detail").asText());
            }
            return body;
        } catch (IOException e) {
            throw new CliException("cannot reach the node at " + node.url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** Adds the signature headers of the account key for {@code METHOD uri}, with a fresh nonce. */
    private void sign(HttpRequest.Builder req, String method, URI uri) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        ArtifactRequests.sign(key, method, uri.getRawPath(), digest, Hex.encode(nonce), System.currentTimeMillis()).forEach(req::header);
    }

    private static JsonNode parse(String body, int status) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new CliException("the node answered " + status + " with a body that is not JSON");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** A one-line progress bar on stderr, redrawn at most ten times a second. */
    static final class Progress {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private final String name;
        private final long total;
        private final long startOffset;
        private final boolean enabled;
        private final long startNanos = System.nanoTime();
        private long done;
        private long lastDraw;

        Progress(PrintStream out, String name, long total, long startOffset, boolean enabled) {
            this.out = out;
            this.name = name;
            this.total = total;
            this.startOffset = startOffset;
            this.done = startOffset;
            this.enabled = enabled;
        }

        void advance(long n) {
            done += n;
            long now = System.nanoTime();
            if (now - lastDraw > 100_000_000L || done == total) {
                lastDraw = now;
                draw(now);
            }
        }

        void finish() {
            if (!enabled) return;
            draw(System.nanoTime());
            out.println();
        }

        private void draw(long now) {
            if (!enabled) return;
            int filled = total == 0 ? WIDTH : (int) (done * WIDTH / total);
            double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
            double rate = (done - startOffset) / seconds;
            out.print(String.format(Locale.ROOT, "\ruploading %s [%s%s] %3d%% %s of %s, %s/s", name, "#".repeat(filled), " ".repeat(WIDTH - filled),
                    total == 0 ? 100 : done * 100 / total, human(done), human(total), human((long) rate)));
            out.flush();
        }

        static String human(long bytes) {
            if (bytes < 1024) return bytes + " B";
            if (bytes < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
            if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
            return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
        }
    }
}
