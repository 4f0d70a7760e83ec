package io.maaschain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.testing.Prerequisite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Everything the chain or a digest depends on computes the same bytes on any JVM (docs/determinism.md):
 * {@link DeterminismProbe} runs as a separate process on every installed JDK 21+ (in /usr/lib/jvm, in /opt/maaschain,
 * where tools/install-second-jdk.sh puts Debian's OpenJDK 21, or listed in -Dmaaschain.jdks), and its digests must
 * equal each other's and the committed ones. Needs two distinct JDK builds: a prerequisite under CI=true.
 */
class CrossJvmDeterminismTest {
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)[^\"]*\"");
    private static final List<Path> SEARCHED = List.of(Path.of("/usr/lib/jvm"), Path.of("/opt/maaschain"));

    record Jdk(Path java, String version) {}

    @Test
    void theProbeGivesTheCommittedDigestsOnEveryInstalledJdk() throws Exception {
        List<Jdk> jdks = jdks21();
        Prerequisite.require(jdks.size() >= 2 ? null
                : "only " + jdks.size() + " JDK 21+ build found " + jdks + " in " + SEARCHED
                        + "; tools/install-second-jdk.sh installs Debian's OpenJDK 21 beside it");
        String expected = committedDigests();
        Map<Jdk, String> outputs = new LinkedHashMap<>();
        for (Jdk jdk : jdks) outputs.put(jdk, probe(jdk));
        for (Map.Entry<Jdk, String> e : outputs.entrySet()) {
            assertThat(e.getValue()).as("digests computed on %s (%s)", e.getKey().version(), e.getKey().java()).isEqualTo(expected);
        }
    }

    /** One entry per distinct JDK 21+ build (links to the same installation count once). */
    static List<Jdk> jdks21() throws IOException, InterruptedException {
        List<Path> candidates = new ArrayList<>();
        String listed = System.getProperty("maaschain.jdks", "");
        for (String s : listed.split(java.io.File.pathSeparator)) if (!s.isBlank()) candidates.add(Path.of(s));
        for (Path dir : SEARCHED) {
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path home : ds) candidates.add(home.resolve("bin/java"));
            }
        }
        Map<String, Jdk> byBuild = new LinkedHashMap<>();
        for (Path java : candidates) {
            if (!Files.isExecutable(java)) continue;
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) continue;
            Matcher m = VERSION.matcher(out);
            if (!m.find() || Integer.parseInt(m.group(1)) < 21) continue;
            // The full -version text names vendor and build; two links to one installation print the same text.
            byBuild.putIfAbsent(out.strip(), new Jdk(java, out.lines().findFirst().orElse("") + " / "
                    + out.lines().skip(1).findFirst().orElse("")));
        }
        return new ArrayList<>(byBuild.values());
    }

    private static String probe(Jdk jdk) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jdk.java().toString(), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", DeterminismProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not finish within 300 s on " + jdk);
        }
        assertThat(p.exitValue()).as("probe exit code on %s", jdk).isZero();
        return out;
    }

    private static String committedDigests() throws IOException {
        try (InputStream in = CrossJvmDeterminismTest.class.getResourceAsStream("determinism-digests.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
