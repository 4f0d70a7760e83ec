package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "account", description = "Show an account's balance and nonces at the node's head (--json adds the state proof).")
final class AccountCommand implements Callable<Integer> {
    @Mixin NodeOption node;
    @Mixin JsonOption json;
    @Parameters(index = "0", paramLabel = "ADDRESS", description = "The account's address (mc...).") String address;

    @Override
    public Integer call() {
        try {
            Address.parse(address);
        } catch (CodecException e) {
            throw new CliException.Usage("'" + address + "' is not an address (mc... as 'maaschain keys show' prints): " + e.getMessage());
        }
        JsonNode a = node.client().get("api/v1/accounts/" + address);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", a.path("address").asText());
        m.put("balance", a.path("balance").asLong());
        m.put("nonce", a.path("nonce").asLong());
        m.put("nextNonce", a.path("nextNonce").asLong());
        m.put("atHeight", a.path("proof").path("blockHeight").asLong());
        Output.print(json.json, json.json ? Output.fields(a) : m);
        return ExitCodes.OK;
    }
}
