package io.maaschain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {
    @TempDir Path dir;

    Path write(String toml) throws Exception {
        Path f = dir.resolve("node.toml");
        Files.writeString(f, toml);
        return f;
    }

    @Test
    void readsTheFileResolvesPathsAndLetsEnvironmentAndFlagsOverride() throws Exception {
        Path f = write("""
                data-dir = "data"
                genesis = "g.json"
                [http]
                port = 9000
                [p2p]
                port = 31000
                bootnodes = ["10.0.0.2:30333", "10.0.0.3:30333"]
                tls = true
                [mining]
                enabled = false
                [serving]
                recheck-seconds = 30
                remote = ["big@1.0=http://triton:8000"]
                """);
        NodeConfig c = NodeConfigLoader.load(f, Map.of());
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(c.genesisFile()).isEqualTo(dir.resolve("g.json"));
        assertThat(c.nodeKeyFile()).isEqualTo(dir.resolve("data/node.key"));
        assertThat(c.httpPort()).isEqualTo(9000);
        assertThat(c.network().orElseThrow().bootnodes()).containsExactly("10.0.0.2:30333", "10.0.0.3:30333");
        assertThat(c.network().orElseThrow().tls()).isTrue();
        assertThat(c.mining().enabled()).isFalse();
        assertThat(c.artifactRecheck()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.serving().remote()).containsExactly(new NodeConfig.RemoteModel("big", "1.0", java.net.URI.create("http://triton:8000")));

        NodeConfig overridden = NodeConfigLoader.load(f, Map.of("MAASCHAIN_HTTP_PORT", "9100", "MAASCHAIN_P2P_BOOTNODES", "a:1,b:2",
                "MAASCHAIN_MINING_ENABLED", "true"));
        assertThat(overridden.httpPort()).isEqualTo(9100);
        assertThat(overridden.network().orElseThrow().bootnodes()).isEqualTo(List.of("a:1", "b:2"));
        assertThat(overridden.mining().enabled()).isTrue();
    }

    @Test
    void badConfigsAreRefusedWithTheirReason() throws Exception {
        assertThatThrownBy(() -> NodeConfigLoader.load(write("datadir = \"x\""), Map.of())).isInstanceOf(CodecException.class).hasMessageContaining("unknown key 'datadir'");
        assertThatThrownBy(() -> NodeConfigLoader.load(write("[http]\nport = 70000"), Map.of())).hasMessageContaining("port number");
        assertThatThrownBy(() -> NodeConfigLoader.load(write("[p2p]\ntls = \"yes\""), Map.of())).hasMessageContaining("true or false");
        assertThatThrownBy(() -> NodeConfigLoader.load(write("[serving]\nremote = [\"nourl\"]"), Map.of())).hasMessageContaining("name@version=url");
        assertThatThrownBy(() -> NodeConfigLoader.load(write("this is = = not toml"), Map.of())).hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> NodeConfigLoader.load(write("[http]\nport = 1"), Map.of("MAASCHAIN_HTTP_PORT", "x"))).hasMessageContaining("non-negative integer");
    }

    @Test
    void artifactStoreBoundsHaveDefaultsAndCanBeSetOrRefused() throws Exception {
        NodeConfig defaults = NodeConfigLoader.load(write("data-dir = \"data\"\n"), Map.of());
        assertThat(defaults.artifacts()).isEqualTo(NodeConfig.Artifacts.DEFAULT);
        assertThat(defaults.artifacts().accountQuotaBytes()).isEqualTo(16L << 30);
        assertThat(defaults.artifacts().diskReserveBytes()).isEqualTo(1L << 30);
        assertThat(defaults.artifacts().uploadExpiry()).isEqualTo(Duration.ofHours(24));
        Path f = write("""
                [artifacts]
                account-quota-bytes = 17179869184000
                disk-reserve-bytes = 5000000000
                upload-expiry-seconds = 600
                """);
        NodeConfig c = NodeConfigLoader.load(f, Map.of());
        assertThat(c.artifacts()).isEqualTo(new NodeConfig.Artifacts(17_179_869_184_000L, 5_000_000_000L, Duration.ofMinutes(10)));
        assertThat(NodeConfigLoader.load(f, Map.of("MAASCHAIN_ARTIFACTS_DISK_RESERVE_BYTES", "7")).artifacts().diskReserveBytes()).isEqualTo(7);
        assertThatThrownBy(() -> NodeConfigLoader.load(write("[artifacts]\nupload-expiry-seconds = 0\n"), Map.of()))
                .isInstanceOf(CodecException.class).hasMessageContaining("upload-expiry-seconds");
        assertThatThrownBy(() -> NodeConfigLoader.load(write("[artifacts]\nupload-expiry-seconds = 9223372036854775807\n"), Map.of()))
                .isInstanceOf(CodecException.class).hasMessageContaining("ten years");
        assertThatThrownBy(() -> NodeConfigLoader.load(write("[artifacts]\naccount-quota-bytes = -1\n"), Map.of()))
                .isInstanceOf(CodecException.class).hasMessageContaining("account-quota-bytes");
        assertThatThrownBy(() -> NodeConfigLoader.load(write("[artifacts]\nquota = 1\n"), Map.of()))
                .isInstanceOf(CodecException.class).hasMessageContaining("unknown key 'quota'");
    }
}
