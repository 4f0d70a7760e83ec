package io.maaschain.consensus.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The safety property's boundary: with a third of the stake equivocating, two conflicting checkpoints do get finalized. */
class FfgSafetyBoundaryTest {
    @Test
    void aThirdOfTheStakeEquivocatingCanFinalizeConflictingCheckpoints() throws Exception {
        PosTestKit kit = PosTestKit.equal(6);
        List<Boolean> byzantine = List.of(true, true, false, false, false, false);
        // Honest validators 2 and 3 always on A, 4 and 5 always on B.
        List<Integer> choices = List.of(0, 0, 1, 1);
        FfgForkSimulation.Result r = new FfgForkSimulation(kit, byzantine, 2, choices).run(8);
        assertThat(r.conflictingFinality()).isTrue();
    }

    @Test
    void lessThanAThirdCannot() throws Exception {
        PosTestKit kit = new PosTestKit(List.of(99_999L, 99_999L, 100_000L, 100_000L, 100_000L, 100_000L));
        List<Boolean> byzantine = List.of(true, true, false, false, false, false);
        FfgForkSimulation.Result r = new FfgForkSimulation(kit, byzantine, 2, List.of(0, 0, 1, 1)).run(8);
        assertThat(r.conflictingFinality()).isFalse();
        assertThat(Collections.max(r.finalA().stream().map(c -> c.epoch()).toList()) + Collections.max(r.finalB().stream().map(c -> c.epoch()).toList()))
                .as("neither side finalizes beyond the fork").isZero();
    }
}
