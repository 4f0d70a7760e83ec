package io.maaschain.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The harness against its own toy engine: it passes the sound variant and catches the broken one. */
class HarnessSelfTest {
    @Test
    void soundRoundRobinEnginePassesEverySeed() {
        SeedRunner.check(RoundRobinSimEngine.SOUND, "HarnessSelfTest#soundRoundRobinEnginePassesEverySeed", 200);
    }

    @Test
    void safetyCheckCatchesAnEngineThatFinalizesTooEarly() {
        int caught = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SimResult r = new Simulation(RoundRobinSimEngine.BROKEN, seed).run();
            if (r.violations().stream().anyMatch(v -> v.startsWith("safety"))) caught++;
        }
        assertThat(caught).as("seeds out of 20 where the broken engine's conflicting finality was reported").isGreaterThan(0);
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
        SimResult a = new Simulation(RoundRobinSimEngine.SOUND, 42).run();
        SimResult b = new Simulation(RoundRobinSimEngine.SOUND, 42).run();
        SimResult c = new Simulation(RoundRobinSimEngine.SOUND, 43).run();
        assertThat(b.traceDigest()).isEqualTo(a.traceDigest());
        assertThat(c.traceDigest()).isNotEqualTo(a.traceDigest());
    }
}
