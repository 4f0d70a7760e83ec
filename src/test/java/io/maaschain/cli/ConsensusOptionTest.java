package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --consensus} names an engine this build runs; anything else is refused before any file is written. */
class ConsensusOptionTest {
    @TempDir Path dir;

    @Test
    void anUnknownEngineIsRefusedByDevAndTestnetWithItsName() throws Exception {
        CliRun.Result dev = CliRun.run("dev", "--data-dir", dir.resolve("dev").toString(), "--consensus", "raft");
        assertThat(dev.exit()).isNotZero();
        assertThat(dev.err()).contains("unknown consensus 'raft'").contains("pow, pos, dpos, bft");
        CliRun.Result testnet = CliRun.run("testnet", "--data-dir", dir.resolve("net").toString(), "--consensus", "raft");
        assertThat(testnet.exit()).isNotZero();
        assertThat(testnet.err()).contains("unknown consensus 'raft'");
        assertThat(dir.resolve("dev").resolve("dev.key")).doesNotExist();
        assertThat(Files.exists(dir.resolve("net").resolve("genesis.json"))).isFalse();
    }
}
