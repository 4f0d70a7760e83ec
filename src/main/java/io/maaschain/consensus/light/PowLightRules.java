package io.maaschain.consensus.light;

import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.HeaderTimeRules;
import io.maaschain.consensus.pow.PowEngine;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.vote.Vote;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Proof of work: every served header must link to its parent, pass the median-time-past and clock rules, and carry
 * exactly the bits {@code Retarget} requires with a SHA-256d hash at or below their target ({@code PowEngine.validateSeal},
 * the full node's code). Of two valid branches the one with more work above their fork point is kept; a tie keeps the
 * branch already held, as full nodes keep the first seen.
 */
public final class PowLightRules implements LightRules {
    private final PowEngine engine;

    PowLightRules(PowEngine engine) {
        this.engine = engine;
    }

    @Override
    public LightChain extend(LightChain chain, List<ServedHeader> served, List<Vote> headCommit, long nowMillis) throws LightVerificationException {
        if (served.isEmpty()) return chain;
        Header first = served.getFirst().header();
        Header parent = chain.at(first.height() - 1);
        if (parent == null || !first.parentHash().equals(parent.hash())) {
            throw LightRules.refused(first, "does not link to a verified header (its parent " + first.parentHash() + " is not the verified header at height "
                    + (first.height() - 1) + ")");
        }
        LightChain base = chain.truncate(parent.height());
        List<Header> branch = new ArrayList<>(base.headers());
        HeaderAncestry ancestry = height -> branch.get((int) (height - branch.getFirst().height()));
        for (ServedHeader s : served) {
            Header h = s.header();
            Header prev = branch.getLast();
            if (h.height() != prev.height() + 1 || !h.parentHash().equals(prev.hash())) {
                throw LightRules.refused(h, "does not link to the header before it (" + prev.hash() + " at height " + prev.height() + ")");
            }
            try {
                HeaderTimeRules.check(h, ancestry, nowMillis);
                engine.validateSeal(h, ancestry);
            } catch (Rejection r) {
                throw LightRules.refused(h, r.getMessage());
            } catch (RuntimeException e) {
                throw LightRules.refused(h, "invalid header: " + e.getMessage());
            }
            branch.add(h);
        }
        LightChain candidate = new LightChain(branch, List.of(), List.of());
        BigInteger held = work(chain, parent.height());
        BigInteger offered = work(candidate, parent.height());
        return offered.compareTo(held) > 0 ? candidate : chain;
    }

    /** The work of {@code chain}'s headers above {@code height}. */
    public BigInteger work(LightChain chain, long height) {
        BigInteger w = BigInteger.ZERO;
        for (Header h : chain.headers()) if (h.height() > height) w = w.add(engine.weight(h));
        return w;
    }

    @Override
    public String finality(LightChain chain, long height) {
        long confirmations = chain.tip().height() - height + 1;
        return "not final (proof of work has no finality): " + confirmations + " confirmation" + (confirmations == 1 ? "" : "s")
                + " on the heaviest header chain this client verified from height " + chain.anchor().height()
                + " (work above it: " + work(chain, height - 1) + ")";
    }

    @Override
    public boolean isFinal(LightChain chain, long height) {
        return false;
    }
}
