package io.maaschain.consensus.dpos;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Bytes;
import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.dpos.DposState.Candidate;
import io.maaschain.consensus.dpos.DposState.Schedule;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Unstake;
import io.maaschain.ledger.tx.VoteProducers;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants of approval tallies and of the schedule arithmetic. */
class DposProperties {
    static final KeyPair[] OTHERS = {Fixtures.key(70), Fixtures.key(71), Fixtures.key(72)};
    static final DposFixture F = new DposFixture(3, 3, 2, OTHERS);
    static final List<KeyPair> ACCOUNTS = F.funded;

    /** One transaction: kind 0 stake, 1 unstake, 2 register, 3 vote (for the accounts in {@code mask}), 4 evidence against {@code target}. */
    record Op(int kind, int sender, long amount, int mask, int target) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, ACCOUNTS.size() - 1),
                Arbitraries.longs().between(1, 3_000), Arbitraries.integers().between(0, (1 << ACCOUNTS.size()) - 1),
                Arbitraries.integers().between(0, ACCOUNTS.size() - 1)).as(Op::new).list().ofMaxSize(40);
    }

    Payload payload(Op op) {
        return switch (op.kind()) {
            case 0 -> new Stake(op.amount(), Hash.ZERO);
            case 1 -> new Unstake(op.amount());
            case 2 -> new RegisterProducer("p" + op.sender());
            case 3 -> {
                List<Address> picked = new ArrayList<>();
                for (int i = 0; i < ACCOUNTS.size(); i++) if ((op.mask() & (1 << i)) != 0) picked.add(ACCOUNTS.get(i).address());
                yield new VoteProducers(picked);
            }
            default -> {
                KeyPair o = ACCOUNTS.get(op.target());
                CheckpointVote a = DposFixture.signed(new CheckpointVote(0, Hash.ZERO, 3, Fixtures.digest("a"), o.publicKey(), ValidatorSeal.UNSIGNED), o);
                CheckpointVote b = DposFixture.signed(new CheckpointVote(0, Hash.ZERO, 3, Fixtures.digest("b"), o.publicKey(), ValidatorSeal.UNSIGNED), o);
                yield EvidenceCheck.of(a, b);
            }
        };
    }

    /** Whatever transactions apply or fail, each candidate's approval is the sum of its voters' current bonded stake. */
    @Property(tries = 150)
    void talliesAlwaysEqualTheSumOfVotersCurrentStake(@ForAll("ops") List<Op> ops) {
        StateTransition stf = new StateTransition(F.genesis.params(), F.engine.rules());
        WorldState state = F.genesisState();
        Map<Address, Long> nonces = new HashMap<>();
        for (Op op : ops) {
            KeyPair sender = ACCOUNTS.get(op.sender());
            Map<Bytes, byte[]> before = new HashMap<>(state.writes());
            long nonce = nonces.getOrDefault(sender.address(), 0L);
            try {
                stf.applyTransaction(state, DposFixture.tx(sender, nonce, payload(op)), 7, SignatureCheck.VERIFY);
                nonces.put(sender.address(), nonce + 1);
            } catch (Rejection r) {
                assertThat(state.writes()).containsExactlyInAnyOrderEntriesOf(before);
            }
            assertTalliesConsistent(state);
        }
    }

    static void assertTalliesConsistent(WorldState state) {
        Map<Address, Long> expected = new HashMap<>();
        for (KeyPair v : ACCOUNTS) {
            var record = DposState.voter(state, v.address());
            if (record.isEmpty()) continue;
            long stake = Approval.bondedStake(state, v.address());
            assertThat(record.get().weight()).isEqualTo(stake);
            for (Address c : record.get().votes()) expected.merge(c, stake, Long::sum);
        }
        for (Address c : DposState.candidates(state)) {
            assertThat(DposState.candidate(state, c).orElseThrow().approval()).as("approval of " + c).isEqualTo(expected.getOrDefault(c, 0L));
        }
    }

    @Provide
    Arbitrary<List<Long>> approvals() {
        return Arbitraries.longs().between(0, 5).list().ofMinSize(0).ofMaxSize(12);
    }

    /** The elected schedule depends on the tallies alone (not their order): the top n by approval, ties to lower addresses, in address order. */
    @Property(tries = 300)
    void electionIsADeterministicFunctionOfTheTallies(@ForAll("approvals") List<Long> approvals, @ForAll @IntRange(min = 1, max = 8) int n,
                                                      @ForAll long seed) {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < approvals.size(); i++) candidates.add(new Candidate(Fixtures.key(200 + i).publicKey(), "", approvals.get(i)));
        List<PublicKey> elected = Rounds.elect(candidates, n);
        List<Candidate> shuffled = new ArrayList<>(candidates);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        assertThat(Rounds.elect(shuffled, n)).isEqualTo(elected);

        assertThat(elected.stream().map(PublicKey::address).toList()).isSorted();
        long positive = approvals.stream().filter(a -> a > 0).count();
        assertThat(elected).hasSize((int) Math.min(n, positive));
        for (Candidate in : candidates) {
            if (!elected.contains(in.key())) continue;
            for (Candidate out : candidates) {
                if (elected.contains(out.key()) || out.approval() == 0) continue;
                boolean ranksHigher = in.approval() > out.approval()
                        || (in.approval() == out.approval() && in.key().address().compareTo(out.key().address()) < 0);
                assertThat(ranksHigher).as(in + " elected over " + out).isTrue();
            }
        }
    }

    static final List<PublicKey> KEYS = List.of(Fixtures.key(300).publicKey(), Fixtures.key(301).publicKey(), Fixtures.key(302).publicKey(),
            Fixtures.key(303).publicKey(), Fixtures.key(304).publicKey());

    /** The closed-form accounting of a gap of any length matches walking it slot by slot. */
    @Property(tries = 400)
    void advancingMatchesASlotBySlotWalk(@ForAll @IntRange(min = 1, max = 4) int size, @ForAll @IntRange(min = 1, max = 3) int k,
                                         @ForAll @IntRange(min = 0, max = 3) int pendingSize, @ForAll @IntRange(min = 0, max = 3) int electedSize,
                                         @ForAll @LongRange(min = 0, max = 30) long lastOffset, @ForAll @LongRange(min = 1, max = 60) long gap,
                                         @ForAll boolean pendingIrreversible) {
        List<PublicKey> active = KEYS.subList(0, size);
        List<PublicKey> pending = KEYS.subList(5 - pendingSize, 5);
        List<PublicKey> elected = KEYS.subList(1, 1 + electedSize);
        long roundStart = 100;
        long lastSlot = roundStart + lastOffset % (size * k);
        long slot = lastSlot + gap;
        long height = 50;
        long irreversible = pendingIrreversible ? 40 : 10;
        Schedule current = new Schedule(roundStart, lastSlot, active, pending, pendingSize == 0 ? 0 : 30);

        Rounds.Advance fast = Rounds.advance(current, slot, height, k, irreversible, elected);

        Map<Address, Long> missed = new HashMap<>();
        List<PublicKey> a = active;
        List<PublicKey> pend = pending;
        long pendHeight = current.pendingHeight();
        long start = roundStart;
        for (long s = lastSlot + 1; s <= slot; s++) {
            if (s == start + (long) a.size() * k) {
                if (!pend.isEmpty() && pendHeight <= irreversible) {
                    a = pend;
                    pend = List.of();
                    pendHeight = 0;
                }
                if (pend.isEmpty() && !elected.isEmpty() && !elected.equals(a)) {
                    pend = elected;
                    pendHeight = height;
                }
                start = s;
            }
            if (s < slot) missed.merge(Rounds.producerAt(a, start, k, s).address(), 1L, Long::sum);
        }
        assertThat(fast.missed()).isEqualTo(missed);
        assertThat(fast.schedule()).isEqualTo(new Schedule(start, slot, a, pend, pendHeight));
    }
}
