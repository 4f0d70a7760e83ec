package io.maaschain.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import io.maaschain.api.Json;
import io.maaschain.api.OpenApiRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document against a fully wired node (every route class registered as {@link Node} does): every route
 * the HTTP server registers is documented with its method, and every documented operation is registered.
 */
class OpenApiRoutesTest {
    /** The web pages of the explorer: not API, so not in the document. */
    static final Set<String> NOT_API = Set.of("GET /", "GET /explorer", "GET /explorer/<file>");
    static final Set<HandlerType> METHODS = EnumSet.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
            HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);
    @TempDir static Path dir;
    static Node node;

    @BeforeAll
    static void startNode() throws Exception {
        DevSetup.DevFiles files = DevSetup.prepare(dir, "pow", System.currentTimeMillis());
        node = Node.start(new NodeConfig(dir, files.genesisFile(), files.keyFile(), "127.0.0.1", 0, Optional.empty(),
                new NodeConfig.Mining(false, Optional.empty(), 1, 1000), new NodeConfig.Serving(Duration.ofSeconds(60), List.of())));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    static Set<String> registered() {
        Set<String> out = new TreeSet<>();
        for (ParsedEndpoint e : node.httpServer().unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            if (!METHODS.contains(e.getEndpoint().getMethod())) continue; // before/after filters are not routes
            String route = e.getEndpoint().getMethod().name() + " " + e.getEndpoint().getPath();
            if (!NOT_API.contains(route)) out.add(route);
        }
        return out;
    }

    static Set<String> documented() throws Exception {
        JsonNode doc = Json.MAPPER.readTree(OpenApiRoutes.load());
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        Set<String> out = new TreeSet<>();
        for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = doc.path("paths").path(path).fieldNames(); methods.hasNext(); ) {
                String m = methods.next();
                if (m.equals("parameters") || m.equals("summary") || m.equals("description")) continue;
                out.add(m.toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        return out;
    }

    @Test
    void everyRegisteredRouteIsDocumented() throws Exception {
        Set<String> missing = new TreeSet<>(registered());
        missing.removeAll(documented());
        assertThat(missing).as("routes the server registers but openapi.json does not document").isEmpty();
    }

    @Test
    void everyDocumentedRouteIsRegistered() throws Exception {
        Set<String> extra = new TreeSet<>(documented());
        extra.removeAll(registered());
        assertThat(extra).as("operations openapi.json documents but the server does not register").isEmpty();
        assertThat(documented()).hasSizeGreaterThan(30);
    }

    @Test
    void theNodeServesTheDocumentAndTheExplorerEntry() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> doc = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(doc.body()).isEqualTo(OpenApiRoutes.load());
        HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/explorer/");
        HttpResponse<String> escape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/explorer/..%2Fopenapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(escape.statusCode()).isEqualTo(404);
    }
}
