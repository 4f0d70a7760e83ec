package io.maaschain.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults of one run, drawn from its seed: network delays (with a heavy tail, so messages overtake each other),
 * drops, one partition that heals, and one of the {@link Fault} kinds. Times are virtual milliseconds after the start
 * of the run.
 */
public record Scenario(long seed, int validators, long maxDelayMillis, double tailProbability, long tailDelayMillis,
                       double dropProbability, long partitionStart, long partitionEnd, List<Integer> sideA,
                       Fault fault, List<Integer> crashed, long crashAt, List<Long> restartDelays,
                       int byzantine, long equivocateFrom, long equivocateUntil,
                       long healedAt, long endAt) {
    public static final int VALIDATORS = 4;
    public static final int NONE = -1;
    /** A node armed to crash when it next saves its protocol state crashes at {@code crashAt} + this at the latest. */
    public static final long LOCK_WAIT_MILLIS = 3_000;

    /** What goes wrong besides the network. At most one of four validators is Byzantine at any time. */
    public enum Fault {
        /** One validator equivocates for a while. */
        BYZANTINE,
        /** One honest node crashes and restarts. */
        CRASH,
        /** Every node crashes at the same moment (a power cut) and each restarts after its own delay. */
        CRASH_ALL,
        /**
         * One validator equivocates, and an honest one crashes right after it saved its protocol state (bft: as it locks
         * on a block, before or as it precommits) and restarts: a restarted validator that forgot its lock, together with
         * the Byzantine one, could finalize two blocks.
         */
        CRASH_LOCKED_WITH_BYZANTINE
    }

    /** Draws a scenario from {@code random}; the same generator then drives the run itself. */
    public static Scenario draw(long seed, SplittableRandom random, long livenessWindowMillis) {
        return draw(seed, random, livenessWindowMillis, VALIDATORS);
    }

    public static Scenario draw(long seed, SplittableRandom random, long livenessWindowMillis, int n) {
        long maxDelay = pick(random, 5, 50, 200);
        double tailP = random.nextInt(3) == 0 ? 0 : 0.02 + random.nextDouble() * 0.05;
        long tailDelay = 300 + random.nextLong(1_700);
        double drop = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.1;

        long partitionStart = 500 + random.nextLong(4_000);
        long partitionEnd = partitionStart + 500 + random.nextLong(4_000);
        List<Integer> sideA = new ArrayList<>();
        // 2-2 or 3-1 (or 1-3): the smaller side never has a quorum, a 2-2 split leaves none.
        int sizeA = 1 + random.nextInt(n - 1);
        List<Integer> order = shuffled(random, n);
        for (int i = 0; i < sizeA; i++) sideA.add(order.get(i));
        sideA.sort(null);

        Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
        int byzantine = NONE;
        List<Integer> crashed = new ArrayList<>();
        List<Long> restartDelays = new ArrayList<>();
        long crashAt = 0, eqFrom = 0, eqUntil = 0, lastRestart = 0;
        if (fault == Fault.BYZANTINE || fault == Fault.CRASH_LOCKED_WITH_BYZANTINE) {
            byzantine = random.nextInt(n);
            eqFrom = random.nextLong(2_000);
            eqUntil = eqFrom + 1_500 + random.nextLong(3_500);
        }
        switch (fault) {
            case BYZANTINE -> { }
            case CRASH -> crashed.add(random.nextInt(n));
            case CRASH_ALL -> {
                for (int i = 0; i < n; i++) crashed.add(i);
            }
            case CRASH_LOCKED_WITH_BYZANTINE -> crashed.add((byzantine + 1 + random.nextInt(n - 1)) % n);
        }
        if (!crashed.isEmpty()) {
            crashAt = 500 + random.nextLong(4_500);
            for (int ignored : crashed) restartDelays.add(200 + random.nextLong(3_800));
            lastRestart = crashAt + restartDelays.stream().mapToLong(Long::longValue).max().orElseThrow()
                    + (fault == Fault.CRASH_LOCKED_WITH_BYZANTINE ? LOCK_WAIT_MILLIS : 0);
        }
        long healed = Math.max(partitionEnd, Math.max(lastRestart, eqUntil));
        return new Scenario(seed, n, maxDelay, tailP, tailDelay, drop, partitionStart, partitionEnd, List.copyOf(sideA),
                fault, List.copyOf(crashed), crashAt, List.copyOf(restartDelays), byzantine, eqFrom, eqUntil, healed, healed + livenessWindowMillis);
    }

    private static long pick(SplittableRandom random, long... options) {
        return options[random.nextInt(options.length)];
    }

    private static List<Integer> shuffled(SplittableRandom random, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(i);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    /** The same seed without any fault: only delays (and the reordering they cause). */
    public Scenario faultFree(long livenessWindowMillis) {
        return new Scenario(seed, validators, maxDelayMillis, 0, tailDelayMillis, 0, 0, 0, sideA, Fault.BYZANTINE, List.of(), 0, List.of(),
                NONE, 0, 0, 0, livenessWindowMillis);
    }

    public boolean isByzantine(int node) {
        return node == byzantine;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("seed ").append(seed).append(": ").append(validators).append(" validators, delay<=")
                .append(maxDelayMillis).append("ms");
        if (tailProbability > 0) s.append(String.format(" (%.1f%% up to %dms)", tailProbability * 100, tailDelayMillis));
        s.append(String.format(", drop %.1f%%", dropProbability * 100));
        s.append(", partition ").append(sideA).append(" | rest during [").append(partitionStart).append(", ").append(partitionEnd).append(")");
        if (!crashed.isEmpty()) {
            s.append(", ").append(fault == Fault.CRASH_ALL ? "every node" : "node " + crashed.getFirst()).append(" crashed at ").append(crashAt);
            if (fault == Fault.CRASH_LOCKED_WITH_BYZANTINE) s.append(" (or when it next saves its protocol state, by +").append(LOCK_WAIT_MILLIS).append(")");
            s.append(", restarting after ").append(restartDelays).append(" ms");
        }
        if (byzantine != NONE) s.append(", node ").append(byzantine).append(" equivocates during [").append(equivocateFrom).append(", ")
                .append(equivocateUntil).append(")");
        return s.append(", healed at ").append(healedAt).append(", end at ").append(endAt).toString();
    }
}
