package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show a transaction by hash: pending or committed, its block, and what it does.")
final class TxShowCommand implements Callable<Integer> {
    @Mixin NodeOption node;
    @Mixin JsonOption json;
    @Parameters(index = "0", paramLabel = "HASH", description = "The transaction hash (64 hex digits).") String hash;

    @Override
    public Integer call() {
        if (!hash.matches("[0-9a-fA-F]{64}")) throw new CliException.Usage("'" + hash + "' is not a transaction hash (64 hex digits)");
        JsonNode t = node.client().get("api/v1/txs/" + hash);
        if (json.json) {
            Output.print(true, Output.fields(t));
            return ExitCodes.OK;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", t.path("status").asText());
        if (t.has("blockHeight")) {
            m.put("blockHeight", t.path("blockHeight").asLong());
            m.put("blockHash", t.path("blockHash").asText());
            m.put("confirmations", t.path("confirmations").asLong());
        }
        JsonNode tx = t.path("transaction");
        // The transaction's own fields, in the order the node gives them, without the raw encoding.
        tx.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("encoded")) m.put(e.getKey(), Output.plain(e.getValue()));
        });
        Output.print(false, m);
        return ExitCodes.OK;
    }
}
