package io.maaschain.simulation;

import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.PublicKey;
import io.maaschain.state.StateReader;

/** Slashing as pos and dpos record it: the offender's bond is marked slashed (its stake burned). */
final class StakingSlashing {
    private StakingSlashing() {}

    static boolean isSlashed(StateReader state, PublicKey validator) {
        return Bonds.get(state, validator.address()).map(Bond::slashed).orElse(false);
    }
}
