package io.maaschain.node;

import io.maaschain.api.NetworkStatus;
import io.maaschain.p2p.P2pService;
import io.maaschain.p2p.SyncState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shows the p2p service's peers and sync state through the REST API. */
final class P2pNetworkStatus implements NetworkStatus {
    private final P2pService p2p;

    P2pNetworkStatus(P2pService p2p) {
        this.p2p = p2p;
    }

    @Override
    public List<Map<String, Object>> peers() {
        return p2p.peers().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id().toHex());
            m.put("address", p.address().toString());
            m.put("direction", p.direction().name().toLowerCase());
            m.put("client", p.client());
            m.put("headHeight", p.headHeight());
            m.put("headHash", p.headHash() == null ? null : p.headHash().toHex());
            m.put("score", p.score());
            m.put("connectedSince", p.connectedSinceMillis());
            return m;
        }).toList();
    }

    @Override
    public Map<String, Object> sync() {
        SyncState s = p2p.syncState();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.syncing() ? "syncing" : "in_sync");
        m.put("localHeight", s.localHeight());
        m.put("bestPeerHeight", s.bestPeerHeight());
        m.put("blocksImported", s.blocksImported());
        m.put("nodeId", p2p.nodeId().toHex());
        m.put("p2pPort", p2p.port());
        return m;
    }
}
