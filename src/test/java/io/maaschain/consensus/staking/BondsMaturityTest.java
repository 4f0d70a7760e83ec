package io.maaschain.consensus.staking;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.chain.StateCommitment;
import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.state.Account;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import io.maaschain.state.smt.SparseMerkleTree;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The maturity index of {@link Bonds}: an unbonding amount is paid back by exactly the block at its release height,
 * nothing is lost or paid twice, the index always matches the bonds, the same operations give the same state (and
 * root), and a block's release reads one key however many accounts ever staked.
 */
class BondsMaturityTest {
    static final long MIN = 100;
    static final long FUNDS = 1_000_000;
    static final List<KeyPair> KEYS = List.of(Fixtures.key(1), Fixtures.key(2), Fixtures.key(3), Fixtures.key(4), Fixtures.key(5));

    /** One step: 0 stake, 1 unstake, 2 slash, 3 next block (releases run first in the block); who, how much, how long the delay. */
    record Op(int kind, int who, long amount, int delay) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, KEYS.size() - 1),
                Arbitraries.longs().between(1, 5_000), Arbitraries.integers().between(0, 6)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    /** The world of one run: a state, the current block height, what was burned. */
    static final class Run {
        final Map<Bytes, byte[]> data = new HashMap<>();
        final WorldState state = new WorldState(data::get);
        long height = 1;
        long burned;
        /** Heights of every maturity list ever written, to check none is left behind. */
        final TreeSet<Long> buckets = new TreeSet<>();

        Run() {
            for (KeyPair k : KEYS) state.setAccount(k.address(), new Account(FUNDS, 0));
        }

        void apply(Op op) {
            KeyPair k = KEYS.get(op.who());
            Address a = k.address();
            WorldState layer = state.child();
            try {
                switch (op.kind()) {
                    case 0 -> {
                        Account acc = layer.account(a);
                        if (acc.balance() < op.amount()) return;
                        layer.setAccount(a, new Account(acc.balance() - op.amount(), acc.nonce()));
                        Bonds.stake(layer, k.publicKey(), op.amount(), Hash.ZERO, MIN);
                    }
                    case 1 -> {
                        long release = height + op.delay();
                        Bonds.unstake(layer, a, op.amount(), height, release, MIN);
                        buckets.add(Math.max(release, height + 1));
                    }
                    case 2 -> burned += Bonds.slash(layer, a);
                    default -> {
                        height++;
                        Bonds.releaseMatured(layer, height);
                    }
                }
                layer.mergeIntoParent();
            } catch (Rejection refused) {
                // Refused operations change nothing (the layer is dropped).
            }
        }

        long total() {
            long sum = burned;
            for (KeyPair k : KEYS) {
                sum += state.account(k.address()).balance();
                sum += Bonds.get(state, k.address()).map(b -> b.bonded() + b.unbonding()).orElse(0L);
            }
            return sum;
        }

        Hash root() {
            Map<Bytes, byte[]> all = new HashMap<>(data);
            state.writes().forEach((key, v) -> {
                if (v == null) all.remove(key);
                else all.put(key, v);
            });
            return StateCommitment.apply(SparseMerkleTree.empty(), all).root();
        }
    }

    @Property(tries = 300)
    void theIndexAlwaysMatchesTheBondsAndNothingIsLost(@ForAll("ops") List<Op> ops) {
        Run run = new Run();
        for (Op op : ops) {
            Map<Address, Long> balanceBefore = new HashMap<>();
            Map<Address, Bond> bondBefore = new HashMap<>();
            for (KeyPair k : KEYS) {
                balanceBefore.put(k.address(), run.state.account(k.address()).balance());
                Bonds.get(run.state, k.address()).ifPresent(b -> bondBefore.put(k.address(), b));
            }
            run.apply(op);
            if (op.kind() == 3) {
                // Release exactly at maturity: what matures at this height is paid, nothing else moves.
                for (KeyPair k : KEYS) {
                    Bond before = bondBefore.get(k.address());
                    long due = before != null && before.unbonding() > 0 && before.releaseHeight() == run.height ? before.unbonding() : 0;
                    assertThat(run.state.account(k.address()).balance() - balanceBefore.get(k.address())).isEqualTo(due);
                }
                assertThat(Bonds.maturingAt(run.state, run.height)).isEmpty();
            }
            assertThat(run.total()).as("coins are conserved").isEqualTo(KEYS.size() * FUNDS);
            List<Address> expectBonded = new ArrayList<>();
            for (KeyPair k : KEYS) {
                var bond = Bonds.get(run.state, k.address());
                if (bond.isEmpty()) continue;
                Bond b = bond.get();
                assertThat(b.bonded() == 0 || b.bonded() >= MIN).as("a bond holds 0 or at least the minimum").isTrue();
                if (b.bonded() > 0) expectBonded.add(k.address());
                if (b.unbonding() > 0) {
                    assertThat(b.releaseHeight()).as("matures after the current block").isGreaterThan(run.height);
                    assertThat(Bonds.maturingAt(run.state, b.releaseHeight())).contains(k.address());
                }
            }
            assertThat(Bonds.bonded(run.state)).containsExactlyElementsOf(expectBonded.stream().sorted().toList());
            for (long h : run.buckets) {
                for (Address a : Bonds.maturingAt(run.state, h)) {
                    Bond b = Bonds.get(run.state, a).orElseThrow();
                    assertThat(b.unbonding()).isPositive();
                    assertThat(b.releaseHeight()).isEqualTo(h);
                }
            }
        }
        // Run far enough that everything matures: nothing stays unbonding, no list is left behind.
        for (int i = 0; i < 10; i++) run.apply(new Op(3, 0, 0, 0));
        for (KeyPair k : KEYS) assertThat(Bonds.get(run.state, k.address()).map(Bond::unbonding).orElse(0L)).isZero();
        for (long h : run.buckets) assertThat(run.state.get(Bonds.maturityKey(h))).isNull();
    }

    @Property(tries = 100)
    void replayingTheSameOperationsGivesTheSameStateRoot(@ForAll("ops") List<Op> ops) {
        Run first = new Run();
        Run second = new Run();
        ops.forEach(first::apply);
        ops.forEach(second::apply);
        assertThat(second.root()).isEqualTo(first.root());
        assertThat(second.state.writes().keySet()).isEqualTo(first.state.writes().keySet());
    }

    @Test
    void anUnstakeOnTopOfAPendingOneMovesTheWholeAmountToTheLaterHeight() throws Rejection {
        Run run = new Run();
        run.apply(new Op(0, 0, 1_000, 0));
        run.apply(new Op(1, 0, 300, 5)); // releases at 6
        run.apply(new Op(3, 0, 0, 0)); // height 2
        run.apply(new Op(1, 0, 200, 5)); // the 300 waits with the 200: both at 7
        Address a = KEYS.getFirst().address();
        assertThat(Bonds.maturingAt(run.state, 6)).isEmpty();
        assertThat(Bonds.maturingAt(run.state, 7)).containsExactly(a);
        long balance = run.state.account(a).balance();
        while (run.height < 6) run.apply(new Op(3, 0, 0, 0));
        assertThat(run.state.account(a).balance()).isEqualTo(balance);
        run.apply(new Op(3, 0, 0, 0));
        assertThat(run.state.account(a).balance()).isEqualTo(balance + 500);
        assertThat(Bonds.get(run.state, a).orElseThrow().unbonding()).isZero();
    }

    @Test
    void aZeroDelayIsReleasedByTheNextBlockNotLost() {
        Run run = new Run();
        run.apply(new Op(0, 0, 1_000, 0));
        run.apply(new Op(1, 0, 1_000, 0));
        Address a = KEYS.getFirst().address();
        assertThat(Bonds.get(run.state, a).orElseThrow().releaseHeight()).isEqualTo(run.height + 1);
        long balance = run.state.account(a).balance();
        run.apply(new Op(3, 0, 0, 0));
        assertThat(run.state.account(a).balance()).isEqualTo(balance + 1_000);
    }

    /** Thousands of accounts that staked and left, and a block's release still reads the one key of its height. */
    @Test
    void aBlockReadsOneKeyToReleaseHoweverManyAccountsEverStaked() throws Rejection {
        Map<Bytes, byte[]> data = new HashMap<>();
        WorldState state = new WorldState(data::get);
        for (int i = 0; i < 3_000; i++) {
            KeyPair k = Fixtures.key(1_000 + i);
            Bonds.stake(state, k.publicKey(), MIN, Hash.ZERO, MIN);
            Bonds.unstake(state, k.address(), MIN, 10 + i % 7, 10 + i % 7 + 5, MIN);
        }
        for (long h = 11; h <= 30; h++) Bonds.releaseMatured(state, h);
        assertThat(Bonds.bonded(state)).isEmpty();
        AtomicLong reads = new AtomicLong();
        StateReader counting = key -> {
            reads.incrementAndGet();
            return state.get(key);
        };
        WorldState block = new WorldState(counting);
        Bonds.releaseMatured(block, 31);
        assertThat(reads.get()).isEqualTo(1);
        assertThat(block.writes()).isEmpty();
    }
}
