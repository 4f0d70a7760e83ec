package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the header store lives: --light-dir, else $MAASCHAIN_LIGHT_DIR (LightClientIT runs the CLI with it), else under the home directory. */
class LightStoreLocationTest {
    @TempDir Path dir;

    @Test
    void theOptionWinsAndTheDefaultIsUnderTheHomeDirectory() {
        assertThat(LightStore.resolve(dir).root()).isEqualTo(dir);
        assertThat(LightStore.resolve(dir).file(io.maaschain.testing.Fixtures.digest("g")))
                .isEqualTo(dir.resolve(io.maaschain.testing.Fixtures.digest("g").toHex()).resolve("headers.bin"));
        String env = System.getenv(LightStore.ENV);
        if (env != null && !env.isBlank()) {
            assertThat(LightStore.resolve(null).root()).isEqualTo(Path.of(env));
            return;
        }
        String home = System.getProperty("user.home");
        try {
            System.setProperty("user.home", dir.toString());
            assertThat(LightStore.resolve(null).root()).isEqualTo(dir.resolve(".maaschain").resolve("light"));
        } finally {
            System.setProperty("user.home", home);
        }
    }
}
