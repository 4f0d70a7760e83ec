package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.ledger.block.Header;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show a node's chain id, height, head and consensus; --verify checks its head and final block "
        + "with the light client instead of trusting the node.")
final class StatusCommand implements Callable<Integer> {
    @Mixin NodeOption node;
    @Mixin JsonOption out;
    @Option(names = "--verify", description = "Sync the light client's header store and check the node's claims against headers verified "
            + "by consensus (docs/light-client.md).") boolean verify;
    @Mixin LightOptions light;

    @Override
    public Integer call() {
        NodeClient client = node.client();
        JsonNode s = client.get("api/v1/status");
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = Json.MAPPER.convertValue(s, LinkedHashMap.class);
        if (verify) fields.putAll(verified(client, s));
        Output.print(out.json, fields);
        return 0;
    }

    /** The light client's view, and a failure if the node claims a final block or head that contradicts the verified headers. */
    private Map<String, Object> verified(NodeClient client, JsonNode status) {
        long finalHeight = status.path("finalizedHeight").asLong();
        LightClient.Synced synced = light.client(client).syncTo(finalHeight, 5_000);
        Header tip = synced.chain().tip();
        Map<String, Object> m = new LinkedHashMap<>();
        if (status.path("finalizedHeight").isIntegralNumber() && finalHeight <= tip.height()) {
            Header h = synced.chain().at(finalHeight);
            if (h != null && !h.hash().toHex().equals(status.path("finalizedHash").asText())) {
                throw new CliException("the node at " + client.base() + " claims block " + status.path("finalizedHash").asText() + " final at height "
                        + finalHeight + ", but the light client verified block " + h.hash() + " at that height");
            }
        }
        long headHeight = status.path("height").asLong();
        Header atHead = synced.chain().at(headHeight);
        String headCheck;
        if (atHead == null) headCheck = "the node's head " + headHeight + " is above the verified tip (not yet provably final)";
        else if (atHead.hash().toHex().equals(status.path("headHash").asText())) headCheck = "the node's head is the verified block at height " + headHeight;
        else if (synced.rules().isFinal(synced.chain(), headHeight)) {
            throw new CliException("the node at " + client.base() + " claims head " + status.path("headHash").asText() + " at height " + headHeight
                    + ", but the light client verified the final block " + atHead.hash() + " at that height");
        } else headCheck = "the node's head " + status.path("headHash").asText() + " is NOT on the heaviest chain the light client verified (block "
                + atHead.hash() + " at height " + headHeight + ")";
        m.put("verified", true);
        m.put("verifiedGenesis", synced.genesisHash().toHex());
        m.put("verifiedHeight", tip.height());
        m.put("verifiedHash", tip.hash().toHex());
        m.put("verifiedFinality", synced.rules().finality(synced.chain(), tip.height()));
        m.put("verifiedHead", headCheck);
        m.put("headersSynced", synced.newHeaders());
        m.put("lightStore", light.store().file(synced.genesisHash()).toString());
        return m;
    }
}
