package io.maaschain.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PrerequisiteTest {
    @Test
    void aPresentPrerequisiteLetsTheTestRunEverywhere() {
        assertThatCode(() -> Prerequisite.require(Map.of("CI", "true"), null)).doesNotThrowAnyException();
        assertThatCode(() -> Prerequisite.require(Map.of(), null)).doesNotThrowAnyException();
    }

    @Test
    void aMissingPrerequisiteSkipsOutsideCi() {
        assertThatThrownBy(() -> Prerequisite.require(Map.of(), "python3 not installed"))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("python3 not installed");
        assertThatThrownBy(() -> Prerequisite.require(Map.of("CI", "false"), "python3 not installed"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aMissingPrerequisiteFailsUnderCi() {
        for (String ci : new String[] {"true", "TRUE", "1"}) {
            assertThatThrownBy(() -> Prerequisite.require(Map.of("CI", ci), "openssl not installed"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("CI=true")
                    .hasMessageContaining("openssl not installed");
        }
    }
}
