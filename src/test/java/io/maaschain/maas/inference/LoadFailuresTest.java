package io.maaschain.maas.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.crypto.Sha256;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LoadFailuresTest {
    static final ModelRef IRIS = new ModelRef("iris", "1", Sha256.hash(new byte[] {1}), 10, "onnx");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LoadFailures failures = new LoadFailures(Duration.ofSeconds(2), Duration.ofMinutes(10));

    @Test
    void eachFailureInARowDoublesTheWaitUpToTheCap() {
        Instant now = T0;
        long[] expectedSeconds = {2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600};
        for (int i = 0; i < expectedSeconds.length; i++) {
            assertThat(failures.due(IRIS, now)).isTrue();
            LoadFailures.Failure f = failures.failed(IRIS, "cannot load", now);
            assertThat(f.attempts()).isEqualTo(i + 1);
            assertThat(f.firstFailedAt()).isEqualTo(T0);
            assertThat(Duration.between(now, f.nextAttemptAt())).hasSeconds(expectedSeconds[i]);
            assertThat(failures.due(IRIS, f.nextAttemptAt().minusMillis(1))).isFalse();
            now = f.nextAttemptAt();
        }
        assertThat(failures.total()).isEqualTo(expectedSeconds.length);
    }

    @Test
    void anotherRegistrationOfTheSameVersionStartsAfreshAndSuccessClears() {
        failures.failed(IRIS, "bad", T0);
        failures.failed(IRIS, "bad", T0);
        ModelRef fixed = new ModelRef("iris", "1", Sha256.hash(new byte[] {2}), 10, "onnx");
        assertThat(failures.due(fixed, T0)).as("a new digest is due at once").isTrue();
        assertThat(failures.failed(fixed, "still bad", T0).attempts()).isEqualTo(1);
        failures.succeeded(fixed);
        assertThat(failures.of("iris", "1")).isEmpty();
        assertThat(failures.nextAttempt()).isEmpty();
        assertThat(failures.total()).isEqualTo(3);
    }

    @Test
    void theLatestVersionsFailureIsFoundByName() {
        ModelRef v2 = new ModelRef("iris", "2", Sha256.hash(new byte[] {3}), 10, "onnx");
        failures.failed(IRIS, "one", T0);
        failures.failed(v2, "two", T0.plusSeconds(1));
        assertThat(failures.ofName("iris", java.util.Optional.of(IRIS)).orElseThrow().reason()).isEqualTo("one");
        assertThat(failures.ofName("iris", java.util.Optional.empty()).orElseThrow().reason()).isEqualTo("two");
        failures.forget("iris/2");
        assertThat(failures.all()).extracting(f -> f.ref().id()).containsExactly("iris/1");
    }

    @Test
    void aBackOffNeedsAPositiveBaseBelowItsCap() {
        assertThatThrownBy(() -> new LoadFailures(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadFailures(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void theWaitNeverShrinksAndNeverPassesTheCap(@ForAll @IntRange(min = 1, max = 10_000) int attempts) {
        Duration d = failures.delay(attempts);
        assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(10)).isGreaterThanOrEqualTo(failures.delay(Math.max(1, attempts - 1)));
        assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
}
