package io.maaschain.simulation;

import org.junit.jupiter.api.Test;

/** The pos engine over seeded faulty networks: safety, liveness, accountability and determinism (docs/simulation.md). */
class PosSimulationTest {
    /**
     * docs/consensus-pos.md, "Known limits": fork choice is not justified-first, so after a partition (and a crash) the
     * branch whose blocks justified an epoch can lose to a longer one; validators that voted with that newer source
     * may not vote with the older source of the winning branch (it could surround their vote), and finality stalls.
     * A seed counts as this limit only if all its violations are liveness ones and more than a third of the validators
     * (so no quorum can vote) show votes refused by slashing protection. Safety, accountability and determinism still hold.
     */
    static final SeedRunner.KnownLimit FORK_CHOICE_NOT_JUSTIFIED_FIRST = new SeedRunner.KnownLimit(
            "fork choice is not justified-first: votes with a newer source lost with their branch", failure -> {
                boolean onlyLiveness = failure.lines().filter(l -> !l.isBlank())
                        .allMatch(l -> l.startsWith("liveness:") || l.startsWith("  ") || l.startsWith("seed "));
                long nodes = failure.lines().filter(l -> l.startsWith("  node ")).count();
                long refusing = failure.lines().filter(l -> l.startsWith("  node ") && l.contains("votes refused by slashing protection")).count();
                return onlyLiveness && refusing * 3 > nodes;
            }, 5);

    @Test
    void everySeedIsSafeLiveAccountableAndDeterministic() {
        SeedRunner.check(new PosSimEngine(), "PosSimulationTest", 1_000, Scenario.VALIDATORS, FORK_CHOICE_NOT_JUSTIFIED_FIRST);
    }
}
