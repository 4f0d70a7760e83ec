package io.maaschain.simulation;

import io.maaschain.crypto.Hash;
import java.util.Arrays;
import java.util.List;

/** The outcome of one run: the trace digest (for the determinism check), what went wrong, and a summary. */
public record SimResult(Scenario scenario, Hash traceDigest, List<String> violations, long[] finalizedHeights, long[] headHeights,
                        long events, int equivocationsSent, int equivocationsDelivered,
                        /** With the contract workload: contract transactions up to the best final block, by result status. */
                        java.util.Map<String, Integer> contractResults) {
    public boolean ok() {
        return violations.isEmpty();
    }

    public String summary() {
        return scenario + "\n  finalized " + Arrays.toString(finalizedHeights) + ", heads " + Arrays.toString(headHeights) + ", " + events
                + " events, equivocations sent " + equivocationsSent + " / delivered " + equivocationsDelivered + (contractResults.isEmpty() ? "" : ", contract results " + contractResults) + ", trace " + traceDigest;
    }
}
