package io.maaschain.simulation;

import io.maaschain.consensus.BlockRef;
import io.maaschain.crypto.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The safety check. Every time an honest node's final block moves, the blocks it now holds final (its canonical chain
 * up to the final block) are entered here by height; two nodes that ever hold different blocks final at one height,
 * or a node whose final block moves back or off its earlier final chain, is a violation. Checked after every event,
 * so a conflict that a later crash or reorg would hide is still caught.
 */
final class FinalityLedger {
    private static final int MAX_REPORTED = 5;
    private final Map<Long, Hash> finalAt = new HashMap<>();
    private final Map<Long, Integer> firstFinalizedBy = new HashMap<>();
    private final long[] lastFinal;
    private final List<String> violations = new ArrayList<>();

    FinalityLedger(int nodes) {
        lastFinal = new long[nodes];
    }

    void observe(SimNode node, long now) {
        BlockRef f = node.chain.finalized();
        long last = lastFinal[node.id];
        if (f.height() < last) {
            violation(now, node + " moved its final block back from height " + last + " to " + f.height());
            return;
        }
        if (f.height() == last) {
            Hash known = finalAt.get(last);
            if (last > 0 && known != null && !known.equals(f.hash())) {
                violation(now, node + " holds " + f.hash() + " final at height " + last + ", node " + firstFinalizedBy.get(last)
                        + " holds " + known);
            }
            return;
        }
        for (long h = last + 1; h <= f.height(); h++) {
            Hash hash = h == f.height() ? f.hash() : node.chain.index().canonicalHash(h);
            if (hash == null) {
                violation(now, node + " holds height " + f.height() + " final but has no canonical block at height " + h);
                continue;
            }
            Hash prev = finalAt.putIfAbsent(h, hash);
            if (prev == null) {
                firstFinalizedBy.put(h, node.id);
            } else if (!prev.equals(hash)) {
                violation(now, "conflicting finalized blocks at height " + h + ": node " + firstFinalizedBy.get(h) + " holds " + prev
                        + ", " + node + " holds " + hash);
            }
        }
        if (!f.hash().equals(node.chain.index().canonicalHash(f.height()))) {
            violation(now, node + "'s final block " + f.hash() + " at height " + f.height() + " is not on its canonical chain");
        }
        lastFinal[node.id] = f.height();
    }

    long finalHeight(int node) {
        return lastFinal[node];
    }

    private void violation(long now, String what) {
        if (violations.size() < MAX_REPORTED) violations.add("safety at t=" + now + "ms: " + what);
    }

    List<String> violations() {
        return violations;
    }
}
