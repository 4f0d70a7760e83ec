package io.maaschain.api;

import java.util.List;
import java.util.Map;

/** What the REST API shows of the peer-to-peer network; a node running alone has none. */
public interface NetworkStatus {
    NetworkStatus NONE = new NetworkStatus() {
        @Override
        public List<Map<String, Object>> peers() {
            return List.of();
        }

        @Override
        public Map<String, Object> sync() {
            return Map.of("state", "standalone");
        }
    };

    /** One entry per connected peer: id, address, direction, head height and hash, score. */
    List<Map<String, Object>> peers();

    /** The sync state: {@code in_sync} or {@code syncing}, with local and best peer heights. */
    Map<String, Object> sync();
}
