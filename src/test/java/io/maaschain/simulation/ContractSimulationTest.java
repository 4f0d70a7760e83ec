package io.maaschain.simulation;

import org.junit.jupiter.api.Test;

/**
 * Contracts in the seeded simulation's workload, for every engine: deploys, instances, calls that succeed and calls
 * that run out of gas, over faulty networks. Each node executes every contract transaction it imports, so nodes agree
 * only if gas, results and storage are the same on all of them; every seed also runs twice and must trace the same.
 * {@code -Dsim.contractSeeds=N} runs more seeds (default 8 per engine), {@code -Dsim.seed=S} replays one.
 */
class ContractSimulationTest {
    static final int SEEDS = 8;

    @Test
    void bft() {
        SeedRunner.checkWithContracts(new BftSimEngine(), "ContractSimulationTest#bft", SEEDS, SeedRunner.KnownLimit.NONE);
    }

    @Test
    void dpos() {
        SeedRunner.checkWithContracts(new DposSimEngine(), "ContractSimulationTest#dpos", SEEDS, SeedRunner.KnownLimit.NONE);
    }

    @Test
    void pos() {
        SeedRunner.checkWithContracts(new PosSimEngine(), "ContractSimulationTest#pos", SEEDS, PosSimulationTest.FORK_CHOICE_NOT_JUSTIFIED_FIRST);
    }

    @Test
    void roundRobinLikePow() {
        SeedRunner.checkWithContracts(RoundRobinSimEngine.SOUND, "ContractSimulationTest#roundRobinLikePow", SEEDS, SeedRunner.KnownLimit.NONE);
    }
}
