package io.maaschain.bench;

import io.maaschain.codec.Bytes;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.Rejection;
import io.maaschain.state.Account;
import io.maaschain.state.WorldState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-block staking work against the number of accounts that ever staked (issue 10, "bounded staking state"). For each
 * size N, N accounts stake the minimum, unstake everything and get it back (historic stakers: a {@code Bond} record
 * each, nothing bonded); then every block releases what matures at its height ({@link Bonds#releaseMatured}) while
 * {@code ACTIVE} current stakers keep unstaking and restaking, so every block has something to release. Reported: CPU
 * time per block of that work, and beside it the same blocks with the scan the maturity index replaced (read every
 * bond of every account that ever staked), measured in the same run. Plain {@code main}, not JMH; run with
 * {@code bench/run.sh staking}, never by the unit tests.
 *
 * <p>Arguments: block count per size (default 2000), then the sizes (default 1000 10000 100000).
 */
public final class StakingBench {
    static final long MIN = 100;
    static final int ACTIVE = 64;
    static final int DELAY = 20;
    /** CPU time of this thread, not wall time: the machine is shared, and other processes' time is not ours. */
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Rejection {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) sizes.add(Integer.parseInt(args[i]));
        if (sizes.isEmpty()) sizes = List.of(1_000, 10_000, 100_000);
        run(1_000, blocks / 4, false); // warm-up of both paths
        run(1_000, blocks / 4, true);
        for (int n : sizes) {
            double indexed = run(n, blocks, false);
            double scan = run(n, Math.max(20, blocks / Math.max(1, n / 1_000)), true);
            System.out.printf(Locale.ROOT, "RESULT staking historic=%d blocks=%d indexed_us_per_block=%.2f scan_us_per_block=%.2f scan_vs_indexed=%.1f%n",
                    n, blocks, indexed, scan, scan / indexed);
        }
    }

    /** Microseconds of CPU per block for the release work (plus, with {@code scan}, the old full scan of every bond). */
    static double run(int historic, int blocks, boolean scan) throws Rejection {
        Map<Bytes, byte[]> store = new HashMap<>();
        List<Address> everyone = new ArrayList<>();
        WorldState setup = new WorldState(store::get);
        for (int i = 0; i < historic + ACTIVE; i++) {
            PublicKey key = key(i);
            setup.setAccount(key.address(), new Account(1_000_000, 0));
            Bonds.stake(setup, key, MIN, Hash.ZERO, MIN);
            everyone.add(key.address());
            if (i < historic) Bonds.unstake(setup, key.address(), MIN, 1, 2 + i % DELAY, MIN);
        }
        long height = 1;
        commit(store, setup);
        for (; height <= DELAY + 2; height++) {
            WorldState layer = new WorldState(store::get);
            Bonds.releaseMatured(layer, height);
            commit(store, layer);
        }
        long cpu = 0;
        for (int b = 0; b < blocks; b++, height++) {
            WorldState layer = new WorldState(store::get);
            long t0 = THREADS.getCurrentThreadCpuTime();
            Bonds.releaseMatured(layer, height);
            if (scan) scanAll(layer, everyone, height);
            cpu += THREADS.getCurrentThreadCpuTime() - t0;
            // The active stakers' transactions of this block (not timed: the same work at every size).
            PublicKey k = key(historic + b % ACTIVE);
            Bond bond = Bonds.get(layer, k.address()).orElseThrow();
            if (bond.bonded() >= 2 * MIN) Bonds.unstake(layer, k.address(), MIN, height, height + DELAY, MIN);
            else Bonds.stake(layer, k, MIN, Hash.ZERO, MIN);
            commit(store, layer);
        }
        return cpu / 1_000.0 / blocks;
    }

    /** What releaseMatured did before the maturity index: read the bond of every account that ever staked. */
    private static void scanAll(WorldState state, List<Address> everyone, long height) {
        long due = 0;
        for (Address a : everyone) {
            Bond b = Bonds.get(state, a).orElseThrow();
            if (b.unbonding() > 0 && b.releaseHeight() <= height) due++;
        }
        if (due < 0) throw new AssertionError();
    }

    private static void commit(Map<Bytes, byte[]> store, WorldState layer) {
        layer.writes().forEach((k, v) -> {
            if (v == null) store.remove(k);
            else store.put(k, v);
        });
    }

    /** Distinct keys without key generation (addresses are all the benchmark needs). */
    private static PublicKey key(int i) {
        byte[] k = new byte[PublicKey.LENGTH];
        Arrays.fill(k, (byte) 7);
        k[0] = (byte) (i >>> 24);
        k[1] = (byte) (i >>> 16);
        k[2] = (byte) (i >>> 8);
        k[3] = (byte) i;
        return PublicKey.wrap(k);
    }
}
