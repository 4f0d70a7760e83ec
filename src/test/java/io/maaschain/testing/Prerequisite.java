package io.maaschain.testing;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need something outside the JVM (python3, OpenSSL 3, root for network namespaces):
 * on a developer's machine a missing prerequisite skips the test with the reason, but under {@code CI=true} it
 * fails the test with the same reason, so a CI machine that lacks it cannot pass without the check.
 * {@code .ci/run} sets CI=true and installs the prerequisites.
 */
public final class Prerequisite {
    private Prerequisite() {}

    /** Continues when {@code missingReason} is null; otherwise skips, or fails under CI=true. */
    public static void require(String missingReason) {
        require(System.getenv(), missingReason);
    }

    static void require(Map<String, String> env, String missingReason) {
        if (missingReason == null) return;
        if (inCi(env)) {
            throw new AssertionError("CI=true and a prerequisite of this test is missing: " + missingReason
                    + " (.ci/run installs the test prerequisites; fix the machine or .ci/run)");
        }
        Assumptions.abort(missingReason);
    }

    static boolean inCi(Map<String, String> env) {
        String ci = env.get("CI");
        return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
    }
}
