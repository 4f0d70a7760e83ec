package io.maaschain.api;

import io.maaschain.chain.Blockchain;
import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.StateReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the model market says about a model version at the head: public or private (models are private until their
 * owner makes them public), deprecated since which height, and which nodes host it at what price. These fields are
 * read from the head state; the answer's proof covers the version record only (docs/api.md).
 */
final class ModelMarketView {
    static final int MAX_HOSTS = 100;

    private ModelMarketView() {}

    static Map<String, Object> of(Blockchain chain, String name, String version) {
        StateReader s = chain.headState();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("visibility", s.get(MarketRecords.visibilityKey(name)) != null ? "public" : "private");
        byte[] deprecated = s.get(MarketRecords.deprecatedKey(name, version));
        m.put("deprecated", deprecated != null);
        m.put("deprecatedAtHeight", deprecated == null ? null : new ByteReader(deprecated).u63("deprecated height"));
        m.put("hosts", hosts(chain, name, version));
        return m;
    }

    private static List<Map<String, Object>> hosts(Blockchain chain, String name, String version) {
        byte[] prefix = new ByteWriter(64).u8(MarketRecords.HOST).string(name).string(version).toByteArray();
        List<Map<String, Object>> out = new ArrayList<>();
        chain.scanState(prefix, (k, v) -> {
            if (k.length != prefix.length + Address.LENGTH) return true;
            MarketRecords.Host h = MarketRecords.Host.decode(v);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", Address.wrap(java.util.Arrays.copyOfRange(k, prefix.length, k.length)).toString());
            m.put("hostPrice", h.hostPrice());
            m.put("sinceHeight", h.sinceHeight());
            if (h.pendingFrom() != 0) {
                m.put("pendingPrice", h.pendingPrice());
                m.put("pendingFrom", h.pendingFrom());
            }
            out.add(m);
            return out.size() < MAX_HOSTS;
        });
        return out;
    }
}
