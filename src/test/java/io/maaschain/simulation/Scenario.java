package io.maaschain.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults of one run, drawn from its seed: network delays (with a heavy tail, so messages overtake each other),
 * drops, one partition that heals, and either a crashed honest node that restarts or a Byzantine validator that
 * equivocates (never both at once, so at most one of four validators is faulty at any time). Times are virtual
 * milliseconds after the start of the run.
 */
public record Scenario(long seed, int validators, long maxDelayMillis, double tailProbability, long tailDelayMillis,
                       double dropProbability, long partitionStart, long partitionEnd, List<Integer> sideA,
                       int crashed, long crashAt, long restartAt,
                       int byzantine, long equivocateFrom, long equivocateUntil,
                       long healedAt, long endAt) {
    public static final int VALIDATORS = 4;
    public static final int NONE = -1;

    /** Draws a scenario from {@code random}; the same generator then drives the run itself. */
    public static Scenario draw(long seed, SplittableRandom random, long livenessWindowMillis) {
        int n = VALIDATORS;
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

        boolean byzantineRun = random.nextBoolean();
        int crashed = NONE, byzantine = NONE;
        long crashAt = 0, restartAt = 0, eqFrom = 0, eqUntil = 0;
        if (byzantineRun) {
            byzantine = random.nextInt(n);
            eqFrom = random.nextLong(2_000);
            eqUntil = eqFrom + 1_500 + random.nextLong(3_500);
        } else {
            crashed = random.nextInt(n);
            crashAt = 500 + random.nextLong(4_500);
            restartAt = crashAt + 200 + random.nextLong(3_800);
        }
        long healed = Math.max(partitionEnd, Math.max(restartAt, eqUntil));
        return new Scenario(seed, n, maxDelay, tailP, tailDelay, drop, partitionStart, partitionEnd, List.copyOf(sideA),
                crashed, crashAt, restartAt, byzantine, eqFrom, eqUntil, healed, healed + livenessWindowMillis);
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
        return new Scenario(seed, validators, maxDelayMillis, 0, tailDelayMillis, 0, 0, 0, sideA, NONE, 0, 0, NONE, 0, 0, 0,
                livenessWindowMillis);
    }

    public boolean isByzantine(int node) {
        return node == byzantine;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("seed ").append(seed).append(": delay<=").append(maxDelayMillis).append("ms");
        if (tailProbability > 0) s.append(String.format(" (%.1f%% up to %dms)", tailProbability * 100, tailDelayMillis));
        s.append(String.format(", drop %.1f%%", dropProbability * 100));
        s.append(", partition ").append(sideA).append(" | rest during [").append(partitionStart).append(", ").append(partitionEnd).append(")");
        if (crashed != NONE) s.append(", node ").append(crashed).append(" crashed during [").append(crashAt).append(", ").append(restartAt).append(")");
        if (byzantine != NONE) s.append(", node ").append(byzantine).append(" equivocates during [").append(equivocateFrom).append(", ")
                .append(equivocateUntil).append(")");
        return s.append(", healed at ").append(healedAt).append(", end at ").append(endAt).toString();
    }
}
