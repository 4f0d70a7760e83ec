package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.codec.Hex;
import io.maaschain.ledger.tx.Transaction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small client for a node's REST API; problem+json errors become {@link CliException}s with the node's reason. */
final class NodeClient {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    NodeClient(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, Object body) {
        try {
            String json = Json.MAPPER.writeValueAsString(body);
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode submit(Transaction tx) {
        return post("api/v1/txs", Map.of("tx", Hex.encode(tx.encoded())));
    }

    /** The body of a GET as text, unparsed (the genesis file, whose exact bytes are hashed). */
    String getText(String path) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(base.resolve(path)).GET());
        if (response.statusCode() >= 400) throw new CliException("the node at " + base + " answered " + response.statusCode() + " for " + path);
        return response.body();
    }

    /** The JSON body whatever the status (for routes whose error answers carry data, such as model readiness). */
    JsonNode getAnyStatus(String path) {
        return parse(exchange(HttpRequest.newBuilder(base.resolve(path)).GET()));
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response = exchange(request);
        JsonNode body = parse(response);
        if (response.statusCode() >= 400) {
            throw new CliException("the node at " + base + " answered " + response.statusCode() + " " + body.path("code").asText("") + ": "
                    + body.path("detail").asText(response.body()));
        }
        return body;
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException("cannot reach the node at " + base + " (" + ErrorText.describe(e)
                    + "); start one with 'maaschain dev' or pass --node URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        return response;
    }

    private JsonNode parse(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new CliException("the node at " + base + " answered " + response.statusCode()
                    + " with a body that is not JSON; is --node the REST URL of a maaschain node?");
        }
    }
}
