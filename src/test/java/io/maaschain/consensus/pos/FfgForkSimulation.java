package io.maaschain.consensus.pos;

import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;

/**
 * Two branches forked at {@code forkSlot}, a block in every slot on each. Each epoch, byzantine validators vote on both
 * branches; honest validators vote on the branch their choice names (or not at all) through slashing protection, so an
 * honest validator that moves to the other branch may be refused. Every block carries whatever votes it can count.
 */
final class FfgForkSimulation {
    record Result(List<Checkpoint> finalA, List<Checkpoint> finalB, long forkHeight) {
        boolean conflictingFinality() {
            return finalA.stream().anyMatch(c -> c.block().height() > forkHeight) && finalB.stream().anyMatch(c -> c.block().height() > forkHeight);
        }
    }

    private final PosTestKit kit;
    private final List<Boolean> byzantine;
    private final long forkSlot;
    private final List<Integer> honestChoices;
    private final List<GuardedSigner> signers = new ArrayList<>();

    FfgForkSimulation(PosTestKit kit, List<Boolean> byzantine, long forkSlot, List<Integer> honestChoices) {
        this.kit = kit;
        this.byzantine = byzantine;
        this.forkSlot = forkSlot;
        this.honestChoices = honestChoices;
        for (KeyPair k : kit.keys) signers.add(new GuardedSigner(k, Fixtures.CHAIN_ID, new GuardedSigner.InMemory()));
    }

    Result run(long epochs) throws Rejection {
        PosTestKit.Branch common = kit.genesis();
        for (long s = 1; s < forkSlot; s++) common.extend(s);
        long forkHeight = common.height;
        PosTestKit.Branch a = common.fork("A");
        PosTestKit.Branch b = common.fork("B");
        List<Vote> poolA = new ArrayList<>();
        List<Vote> poolB = new ArrayList<>();
        List<Checkpoint> finalA = new ArrayList<>();
        List<Checkpoint> finalB = new ArrayList<>();
        int choice = 0;
        long firstVoteEpoch = kit.params.epochOf(forkSlot) + 1;
        for (long slot = forkSlot; slot < epochs * kit.params.epochSlots(); slot++) {
            extend(a, slot, poolA, finalA);
            extend(b, slot, poolB, finalB);
            long epoch = kit.params.epochOf(slot);
            if (slot != kit.params.firstSlot(epoch) || epoch < firstVoteEpoch - 1 || epoch == 0) continue;
            for (int i = 0; i < kit.keys.size(); i++) {
                KeyPair k = kit.keys.get(i);
                if (byzantine.get(i)) {
                    poolA.add(a.vote(k, epoch));
                    poolB.add(b.vote(k, epoch));
                    continue;
                }
                int c = honestChoices.get(choice++ % honestChoices.size());
                if (c == 2) continue;
                PosTestKit.Branch on = c == 0 ? a : b;
                CheckpointVote v = on.vote(k, epoch);
                CheckpointVote unsigned = v.withSignature(ValidatorSeal.UNSIGNED);
                signers.get(i).signVote(unsigned).ifPresent(signed -> (c == 0 ? poolA : poolB).add(signed));
            }
        }
        return new Result(finalA, finalB, forkHeight);
    }

    private void extend(PosTestKit.Branch branch, long slot, List<Vote> pool, List<Checkpoint> finals) throws Rejection {
        List<Vote> carried = kit.engine.includableVotes(branch.state(), branch.header(slot, List.of()), pool);
        branch.extend(slot, carried);
        pool.removeAll(carried);
        finals.add(branch.finality().finalized());
    }
}
