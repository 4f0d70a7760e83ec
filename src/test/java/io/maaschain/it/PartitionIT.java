package io.maaschain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.node.TestnetLayout;
import io.maaschain.testing.Prerequisite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four nodes, each in its own network namespace, split 2|2 so both halves mine their own chains; when the
 * network heals, every node ends on the same chain, the one with the most work.
 */
class PartitionIT {
    @TempDir Path dir;

    @Test
    void aTwoTwoPartitionHealsToOneChain() throws Exception {
        var reason = NetworkNamespaces.unavailableReason();
        Prerequisite.require(reason.map(r -> "network partition test: " + r).orElse(null));
        List<NodeProcess> nodes = new ArrayList<>();
        try (NetworkNamespaces net = new NetworkNamespaces(4)) {
            net.up();
            TestnetLayout layout = new TestnetLayout(dir, 18_600);
            layout.writeGenesis("pow", System.currentTimeMillis());
            List<Integer> all = List.of(0, 1, 2, 3);
            for (int i : all) {
                Path config = layout.writeNodeConfig(i, all, net::address, 1600, false);
                nodes.add(NodeProcess.node(config, layout.httpPort(i), net.exec(i)));
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> all.stream().allMatch(i -> height(net, layout, i) >= 2));

            net.partition(List.of(2, 3));
            long split = all.stream().mapToLong(i -> height(net, layout, i)).max().orElseThrow();
            // Both halves keep mining on their own.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> height(net, layout, 0) >= split + 3 && height(net, layout, 2) >= split + 3);
            assertThat(head(net, layout, 0)).as("the halves diverged").isNotEqualTo(head(net, layout, 2));

            net.heal();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
                Set<String> heads = new HashSet<>();
                for (int i : all) heads.add(head(net, layout, i));
                return heads.size() == 1 && !heads.contains("");
            });
            boolean someoneReorganized = false;
            for (NodeProcess n : nodes) someoneReorganized |= Files.readString(n.log).contains("reorganized");
            assertThat(someoneReorganized).as("one half must have rolled back its branch").isTrue();
        } finally {
            for (NodeProcess n : nodes) n.close();
        }
    }

    private static long height(NetworkNamespaces net, TestnetLayout layout, int i) {
        JsonNode s = status(net, layout, i);
        return s == null ? -1 : s.path("height").asLong(-1);
    }

    private static String head(NetworkNamespaces net, TestnetLayout layout, int i) {
        JsonNode s = status(net, layout, i);
        return s == null ? "" : s.path("headHash").asText() + "/" + s.path("stateRoot").asText();
    }

    private static JsonNode status(NetworkNamespaces net, TestnetLayout layout, int i) {
        try {
            String body = net.httpGet(i, "http://127.0.0.1:" + layout.httpPort(i) + "/api/v1/status");
            return body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
