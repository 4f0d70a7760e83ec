package io.maaschain.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs many seeded scenarios of one engine and fails with every failing seed and the command that replays it.
 * {@code -Dsim.seeds=N} sets how many seeds (1..N), {@code -Dsim.seed=S} replays just seed S (twice, to check
 * determinism too) and prints its summary. Seeds run on all cores: each run is single-threaded and self-contained.
 */
public final class SeedRunner {
    /** Every this many seeds, the run is repeated and its trace digest compared. */
    static final int DETERMINISM_EVERY = 10;
    /** {@code -Dsim.faultFree=true}: the same seeds without faults, to tell an engine's bug under faults from a basic one. */
    static final boolean FAULT_FREE = Boolean.getBoolean("sim.faultFree");

    private SeedRunner() {}

    /**
     * A documented limit of an engine that some seeds run into: a failure it {@code matches} is reported, not failed,
     * as long as no more than {@code maxPerMille} of the seeds do (more would mean something else broke).
     */
    public record KnownLimit(String description, java.util.function.Predicate<String> matches, int maxPerMille) {
        static final KnownLimit NONE = new KnownLimit("none", f -> false, 0);
    }

    public static void check(SimEngine engine, String testClass, int defaultSeeds) {
        check(engine, testClass, defaultSeeds, Scenario.VALIDATORS, KnownLimit.NONE);
    }

    public static void check(SimEngine engine, String testClass, int defaultSeeds, int validators) {
        check(engine, testClass, defaultSeeds, validators, KnownLimit.NONE);
    }

    /** {@code validators}: the network size of every seed. */
    public static void check(SimEngine engine, String testClass, int defaultSeeds, int validators, KnownLimit known) {
        String replay = System.getProperty("sim.seed");
        if (replay != null && !replay.isBlank()) {
            long seed = Long.parseLong(replay.trim());
            // A replay shows the chain's and the driver's log lines (round summaries, rejections), which CI runs keep quiet.
            System.setProperty("org.slf4j.simpleLogger.log.io.maaschain.chain", "info");
            System.setProperty("org.slf4j.simpleLogger.log.io.maaschain.chain.consensus", "info");
            Outcome o = runSeed(engine, seed, true, validators);
            System.out.println("[sim " + engine.name() + "] " + (o.result == null ? "seed " + seed : o.result.summary()));
            assertThat(o.failure).as("seed %d failed; replay: %s", seed, replayCommand(testClass, seed)).isNull();
            return;
        }
        int seeds = Integer.getInteger("sim.seeds", defaultSeeds);
        long started = System.nanoTime();
        List<Outcome> outcomes = runAll(engine, seeds, validators);
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<Outcome> limited = outcomes.stream().filter(o -> o.failure != null && known.matches().test(o.failure)).toList();
        List<Outcome> failed = new ArrayList<>(outcomes.stream().filter(o -> o.failure != null && !limited.contains(o)).toList());
        for (Outcome o : limited) {
            System.out.printf("[sim %s] seed %d ran into a known limit (%s): %s%n", engine.name(), o.seed, known.description(),
                    o.failure.lines().findFirst().orElse(""));
        }
        if (limited.size() * 1000L > (long) known.maxPerMille() * seeds) {
            throw new AssertionError(limited.size() + " of " + seeds + " seeds ran into the known limit '" + known.description()
                    + "', more than " + known.maxPerMille() + " per mille: " + limited.stream().map(Outcome::seed).toList());
        }
        long byzantine = outcomes.stream().filter(o -> o.result != null && o.result.scenario().byzantine() != Scenario.NONE).count();
        long crashes = outcomes.stream().filter(o -> o.result != null && !o.result.scenario().crashed().isEmpty()).count();
        double meanFinal = outcomes.stream().filter(o -> o.result != null)
                .mapToDouble(o -> java.util.Arrays.stream(o.result.finalizedHeights()).min().orElse(0)).average().orElse(0);
        long cpuMillis = outcomes.stream().mapToLong(Outcome::cpuNanos).sum() / 1_000_000;
        System.out.printf("[sim %s] %d seeds in %d ms wall, %d ms CPU (%d with a byzantine validator, %d with a crash); "
                        + "mean lowest final height %.1f; %d failed%n",
                engine.name(), seeds, millis, cpuMillis, byzantine, crashes, meanFinal, failed.size());
        for (Outcome o : failed) {
            System.out.printf("[sim %s] seed %d FAILED: %s%n", engine.name(), o.seed, o.failure.lines().findFirst().orElse(""));
        }
        if (!failed.isEmpty()) {
            StringBuilder msg = new StringBuilder(failed.size() + " of " + seeds + " " + engine.name() + " simulation seeds failed.\n");
            for (Outcome o : failed.subList(0, Math.min(10, failed.size()))) {
                msg.append("\n--- seed ").append(o.seed).append(" ---\n").append(o.failure)
                        .append("\nreplay: ").append(replayCommand(testClass, o.seed)).append('\n');
            }
            throw new AssertionError(msg.toString());
        }
    }

    /**
     * Seeds 1..{@code seeds} (or {@code -Dsim.seed=S} alone) with the contract workload, every one checked for
     * determinism; fails unless every seed is safe, live and deterministic, and calls both succeeded and ran out of gas
     * across the seeds (so the workload really ran contracts).
     */
    public static void checkWithContracts(SimEngine engine, String testClass, int seeds, KnownLimit known) {
        String replay = System.getProperty("sim.seed");
        List<Long> chosen = new ArrayList<>();
        if (replay != null && !replay.isBlank()) chosen.add(Long.parseLong(replay.trim()));
        else for (long s = 1; s <= Integer.getInteger("sim.contractSeeds", seeds); s++) chosen.add(s);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        List<Outcome> outcomes = new ArrayList<>();
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (long s : chosen) futures.add(pool.submit(() -> runSeedTimed(engine, s, true, Scenario.VALIDATORS, true)));
            for (Future<Outcome> f : futures) outcomes.add(f.get());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        java.util.Map<String, Integer> totals = new java.util.TreeMap<>();
        List<String> failures = new ArrayList<>();
        int limited = 0;
        for (Outcome o : outcomes) {
            if (o.result != null) o.result.contractResults().forEach((k, v) -> totals.merge(k, v, Integer::sum));
            if (o.failure == null) continue;
            if (known.matches().test(o.failure)) {
                limited++;
                System.out.printf("[sim %s contracts] seed %d ran into a known limit (%s)%n", engine.name(), o.seed, known.description());
                continue;
            }
            failures.add("--- seed " + o.seed + " ---\n" + o.failure + "\nreplay: ./mvnw -q -o test -Dtest=" + testClass + " -Dsim.seed=" + o.seed);
        }
        System.out.printf("[sim %s contracts] %d seeds, contract results %s, %d failed%n", engine.name(), chosen.size(), totals, failures.size());
        if (limited * 1000L > (long) known.maxPerMille() * chosen.size() && limited > 1) {
            failures.add(limited + " seeds ran into the known limit '" + known.description() + "'");
        }
        if (!failures.isEmpty()) throw new AssertionError(String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
        if (replay == null || replay.isBlank()) {
            assertThat(totals.getOrDefault("OK", 0)).as("contract transactions that succeeded, over all seeds").isPositive();
            assertThat(totals.getOrDefault("OUT_OF_GAS", 0)).as("contract calls that ran out of gas, over all seeds").isPositive();
        }
    }

    public static String replayCommand(String testClass, long seed) {
        return "./mvnw -q -o test -Dtest=" + testClass + " -Dsim.seed=" + seed;
    }

    /** {@code cpuNanos}: CPU time of the seed's thread, which, unlike wall time, does not depend on what else the machine runs. */
    record Outcome(long seed, SimResult result, String failure, long cpuNanos) {}

    private static List<Outcome> runAll(SimEngine engine, int seeds, int validators) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (long seed = 1; seed <= seeds; seed++) {
                long s = seed;
                futures.add(pool.submit(() -> runSeed(engine, s, s % DETERMINISM_EVERY == 0, validators)));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : futures) out.add(f.get());
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One seed; a thrown exception is a failure of that seed too (with where it came from). */
    static Outcome runSeed(SimEngine engine, long seed, boolean checkDeterminism, int validators) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        Outcome o = runSeedTimed(engine, seed, checkDeterminism, validators);
        return new Outcome(o.seed, o.result, o.failure, THREADS.getCurrentThreadCpuTime() - cpu);
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static Simulation simulation(SimEngine engine, long seed, int validators, boolean contracts) {
        Simulation sim = new Simulation(engine, seed, FAULT_FREE, validators);
        return contracts ? sim.withContracts() : sim;
    }

    private static Outcome runSeedTimed(SimEngine engine, long seed, boolean checkDeterminism, int validators) {
        return runSeedTimed(engine, seed, checkDeterminism, validators, false);
    }

    private static Outcome runSeedTimed(SimEngine engine, long seed, boolean checkDeterminism, int validators, boolean contracts) {
        SimResult result = null;
        try {
            result = simulation(engine, seed, validators, contracts).run();
            List<String> problems = new ArrayList<>(result.violations());
            if (checkDeterminism) {
                SimResult again = simulation(engine, seed, validators, contracts).run();
                if (!again.traceDigest().equals(result.traceDigest())) {
                    problems.add("determinism: the same seed gave trace " + result.traceDigest() + " and then " + again.traceDigest());
                }
            }
            return new Outcome(seed, result, problems.isEmpty() ? null : String.join("\n", problems) + "\n" + result.summary(), 0);
        } catch (RuntimeException | AssertionError e) {
            StringBuilder s = new StringBuilder("exception: ").append(e);
            for (StackTraceElement el : e.getStackTrace()) {
                if (s.length() > 2_000) break;
                s.append("\n    at ").append(el);
            }
            return new Outcome(seed, result, s.toString(), 0);
        }
    }
}
