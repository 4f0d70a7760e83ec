package io.maaschain.simulation;

import org.junit.jupiter.api.Test;

/** The pos engine over seeded faulty networks: safety, liveness, accountability and determinism (docs/simulation.md). */
class PosSimulationTest {
    @Test
    void everySeedIsSafeLiveAccountableAndDeterministic() {
        SeedRunner.check(new PosSimEngine(), "PosSimulationTest", 1_000);
    }
}
