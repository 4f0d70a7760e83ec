package io.maaschain.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/** Runs the real command line in-process (same error handling as the launcher) and captures what it prints. */
final class CliRun {
    record Result(int exit, String out, String err) {}

    private CliRun() {}

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), withoutAgentLines(err.toString(StandardCharsets.UTF_8)));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * The Jazzer agent (loaded into the test JVM by the fuzz tests' regression runs) reports on System.err each class
     * it instruments as the class loads, with lines starting "INFO: "; the CLI itself never writes such a line.
     */
    static String withoutAgentLines(String err) {
        StringBuilder kept = new StringBuilder();
        err.lines().filter(l -> !l.startsWith("INFO: ")).forEach(l -> kept.append(l).append('\n'));
        return kept.toString();
    }

    /** {@code prefix} then {@code args}: the subcommand path, then the test's own arguments. */
    static String[] with(String[] prefix, String... args) {
        return Stream.concat(Stream.of(prefix), Stream.of(args)).toArray(String[]::new);
    }
}
