package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "Show a node's chain id, height, head and consensus.")
final class StatusCommand implements Callable<Integer> {
    @Mixin NodeOption node;
    @Mixin JsonOption out;

    @Override
    public Integer call() {
        JsonNode s = node.client().get("api/v1/status");
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = Json.MAPPER.convertValue(s, LinkedHashMap.class);
        Output.print(out.json, fields);
        return 0;
    }
}
