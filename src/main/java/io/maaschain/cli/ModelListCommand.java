package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the registered models: name, owner, latest version, price, visibility and hosts.")
final class ModelListCommand implements Callable<Integer> {
    @Mixin NodeOption node;
    @Mixin JsonOption json;
    @Option(names = "--limit", defaultValue = "100", description = "At most this many models, 1..200 (default: ${DEFAULT-VALUE}).") int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 200) throw new CliException.Usage("--limit must be 1..200, not " + limit);
        JsonNode answer = node.client().get("api/v1/models?limit=" + limit);
        if (json.json) {
            Output.print(true, Output.fields(answer));
            return ExitCodes.OK;
        }
        JsonNode models = answer.path("models");
        if (models.isEmpty()) {
            System.out.println("no models registered");
            return ExitCodes.OK;
        }
        System.out.printf("%-24s %-10s %-8s %6s %-8s %-10s %s%n", "NAME", "LATEST", "VERSIONS", "PRICE", "VISIBLE", "DEPRECATED", "HOSTS");
        for (JsonNode m : models) {
            JsonNode latest = m.path("latest");
            System.out.printf("%-24s %-10s %-8d %6d %-8s %-10s %d%n", m.path("name").asText(), m.path("latestVersion").asText(),
                    m.path("versions").asLong(), latest.path("pricePerCall").asLong(), latest.path("visibility").asText("?"),
                    latest.path("deprecated").asBoolean() ? "yes" : "no", latest.path("hosts").size());
        }
        return ExitCodes.OK;
    }
}
