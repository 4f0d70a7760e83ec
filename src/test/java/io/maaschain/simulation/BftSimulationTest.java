package io.maaschain.simulation;

import org.junit.jupiter.api.Test;

/** The bft engine over seeded faulty networks: safety, liveness, accountability and determinism (docs/simulation.md). */
class BftSimulationTest {
    @Test
    void everySeedIsSafeLiveAccountableAndDeterministic() {
        SeedRunner.check(new BftSimEngine(), "BftSimulationTest", 1_000);
    }
}
