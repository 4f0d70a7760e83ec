package io.maaschain.simulation;

import org.junit.jupiter.api.Test;

/** The DPoS engine over seeded faulty networks: safety, liveness, accountability and determinism (docs/simulation.md). */
class DposSimulationTest {
    @Test
    void everySeedIsSafeLiveAccountableAndDeterministic() {
        SeedRunner.check(new DposSimEngine(), "DposSimulationTest", 1_000);
    }
}
