package io.maaschain.simulation;

import org.junit.jupiter.api.Test;

/**
 * The nightly-size profile: the same faults on larger validator sets, 21 for bft and dpos (EOS's producer count) and
 * 100 for pos. Not part of the per-build run (the class name does not end in Test); run it with
 * {@code ./mvnw test -Dtest=LargeNetworkSimulation [-Dsim.seeds=N]} (docs/simulation.md).
 */
class LargeNetworkSimulation {
    static final int SEEDS = 20;

    @Test
    void bftWith21Validators() {
        SeedRunner.check(new BftSimEngine(), "LargeNetworkSimulation#bftWith21Validators", SEEDS, 21);
    }

    @Test
    void dposWith21Producers() {
        SeedRunner.check(new DposSimEngine(), "LargeNetworkSimulation#dposWith21Producers", SEEDS, 21);
    }

    @Test
    void posWith100Validators() {
        SeedRunner.check(new PosSimEngine(), "LargeNetworkSimulation#posWith100Validators", SEEDS, 100);
    }
}
