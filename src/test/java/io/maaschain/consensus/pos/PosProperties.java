package io.maaschain.consensus.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class PosProperties {
    private static ValidatorSet set(List<Integer> weights, long seed) {
        List<ValidatorSet.Member> members = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < weights.size(); i++) {
            members.add(new ValidatorSet.Member(Fixtures.key(i).publicKey(), weights.get(i) * 10_000L));
            total += weights.get(i) * 10_000L;
        }
        members.sort((a, b) -> Arrays.compareUnsigned(a.address().toBytes(), b.address().toBytes()));
        return new ValidatorSet(3, Sha256.hash(new ByteWriter(8).u64(seed).toByteArray()), total, members);
    }

    @Property(tries = 25)
    void proposerChoiceIsDeterministicAndProportionalToStake(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 50) Integer> weights,
                                                             @ForAll long seed) {
        ValidatorSet set = set(weights, seed);
        ByteWriter w = new ByteWriter();
        set.write(w);
        ValidatorSet decoded = ValidatorSet.read(new ByteReader(w.toByteArray()));
        int slots = 20_000;
        Map<Address, Integer> counts = new HashMap<>();
        for (long s = 0; s < slots; s++) {
            ValidatorSet.Member p = set.proposer(s).orElseThrow();
            assertThat(decoded.proposer(s)).hasValue(p);
            counts.merge(p.address(), 1, Integer::sum);
        }
        for (ValidatorSet.Member m : set.members()) {
            double expected = (double) m.stake() / set.activeStake();
            double observed = counts.getOrDefault(m.address(), 0) / (double) slots;
            // 0.02 is more than five standard deviations of a share over 20,000 draws.
            assertThat(observed).as("share of %s", m.address()).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Property(tries = 20)
    void onionRevealsChainFromTheCommitmentDown(@ForAll @Size(32) byte[] secret, @ForAll @LongRange(min = 1, max = 2500) long depth) {
        RandaoOnion onion = new RandaoOnion(Hash.wrap(secret), depth);
        Hash h = Hash.wrap(secret);
        for (long i = 0; i < depth; i++) h = Sha256.hash(h.toBytes());
        assertThat(onion.commitment()).isEqualTo(h).isEqualTo(onion.layer(depth));
        assertThat(onion.layer(0)).isEqualTo(Hash.wrap(secret));
        Hash previous = onion.commitment();
        long checked = Math.min(depth, 150);
        for (long k = 0; k < checked; k++) {
            Hash r = onion.reveal(k).orElseThrow();
            assertThat(RandaoOnion.follows(r, previous)).isTrue();
            assertThat(RandaoOnion.follows(previous, r)).isFalse();
            previous = r;
        }
        assertThat(onion.reveal(depth - 1)).hasValue(Hash.wrap(secret));
        if (depth > 1) assertThat(RandaoOnion.follows(onion.reveal(depth - 1).orElseThrow(), onion.reveal(depth - 2).orElseThrow())).isTrue();
        assertThat(onion.reveal(depth)).isEmpty();
    }

    @Property(tries = 120)
    void ffgNeverFinalizesConflictingCheckpointsWhileLessThanAThirdEquivocates(
            @ForAll @Size(min = 4, max = 7) List<@IntRange(min = 1, max = 10) Integer> weights,
            @ForAll @Size(min = 7, max = 7) List<@IntRange(min = 0, max = 2) Integer> byzantineMask,
            @ForAll @LongRange(min = 1, max = 10) long forkSlot,
            @ForAll @Size(min = 60, max = 60) List<@IntRange(min = 0, max = 2) Integer> honestChoices) throws Exception {
        List<Long> stakes = weights.stream().map(x -> x * 10_000L).toList();
        long total = stakes.stream().mapToLong(Long::longValue).sum();
        List<Boolean> byzantine = new ArrayList<>();
        long byzStake = 0;
        for (int i = 0; i < stakes.size(); i++) {
            boolean b = byzantineMask.get(i) == 0 && (byzStake + stakes.get(i)) * 3 < total;
            byzantine.add(b);
            if (b) byzStake += stakes.get(i);
        }
        FfgForkSimulation.Result r = new FfgForkSimulation(new PosTestKit(stakes), byzantine, forkSlot, honestChoices).run(8);
        boolean aFinal = r.finalA().stream().anyMatch(c -> c.block().height() > r.forkHeight());
        boolean bFinal = r.finalB().stream().anyMatch(c -> c.block().height() > r.forkHeight());
        net.jqwik.api.statistics.Statistics.label("branches finalizing beyond the fork").collect((aFinal ? 1 : 0) + (bFinal ? 1 : 0));
        assertThat(r.conflictingFinality()).as("finalized beyond the fork on A %s and on B %s", r.finalA(), r.finalB()).isFalse();
    }
}
