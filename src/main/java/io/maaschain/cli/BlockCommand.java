package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "block", description = "Show a block by height or hash: header, seal and transaction hashes.")
final class BlockCommand implements Callable<Integer> {
    @Mixin NodeOption node;
    @Mixin JsonOption json;
    @Parameters(index = "0", paramLabel = "HEIGHT|HASH", description = "A block height, or a block hash (64 hex digits).") String id;

    @Override
    public Integer call() {
        if (!id.matches("\\d{1,18}") && !id.matches("[0-9a-fA-F]{64}")) {
            throw new CliException.Usage("'" + id + "' is neither a block height nor a block hash (64 hex digits)");
        }
        JsonNode b = node.client().get("api/v1/blocks/" + id);
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : new String[] {"height", "hash", "parentHash", "timestamp", "proposer", "txRoot", "stateRoot", "txCount"}) {
            m.put(f, Output.plain(b.path(f)));
        }
        JsonNode seal = b.path("seal");
        m.put("seal", "pow".equals(seal.path("kind").asText())
                ? "pow bits " + seal.path("bits").asText() + " nonce " + seal.path("nonce").asText()
                : "validator slot " + seal.path("slot").asText() + ", " + seal.path("votes").size() + " votes");
        m.put("transactions", Output.plain(b.path("transactions")));
        Output.print(json.json, json.json ? Output.fields(b) : m);
        return ExitCodes.OK;
    }
}
