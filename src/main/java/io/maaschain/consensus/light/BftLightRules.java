package io.maaschain.consensus.light;

import io.maaschain.codec.CodecException;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.HeaderTimeRules;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.consensus.bft.CommitCheck;
import io.maaschain.consensus.bft.ProposerSchedule;
import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import java.util.ArrayList;
import java.util.List;

/**
 * BFT, verified sequentially from a final header whose next validator set is known (genesis: the genesis section's):
 * <ol>
 *   <li>each served header links to its parent, passes the time rules, is signed by the proposer the schedule names
 *       for its height and round under the validator set of its height, and (from height 2) carries its parent's commit
 *       ({@code BftEngine.validateSeal}, {@code ProposerSchedule}, {@code CommitCheck}: the full node's code);</li>
 *   <li>a header is final when precommits for it from more than 2/3 of its height's validator power verify: those
 *       carried in the next header's seal, or the node's stored commit of its head;</li>
 *   <li>only then is its state root trusted, and the validator set of the next height is read from it: the served value
 *       of state key 0x30 must verify against that state root. So every change of the set (SetValidator, Evidence) is
 *       learnt from a state the previous set committed, never from the node's word.</li>
 * </ol>
 */
public final class BftLightRules implements LightRules {
    private static final Hash NEXT_VALIDATORS_TREE_KEY = Sha256.hash(BftState.nextValidatorsKey().unsafeArray());

    private final BftEngine engine;

    BftLightRules(BftEngine engine) {
        this.engine = engine;
    }

    @Override
    public LightChain extend(LightChain chain, List<ServedHeader> served, List<Vote> headCommit, long nowMillis) throws LightVerificationException {
        // Built up here and checked as one LightChain at the end: a store may hold many headers.
        List<Header> headers = new ArrayList<>(chain.headers());
        List<SetChange> sets = new ArrayList<>(chain.validatorSets());
        List<Vote> tipCommit = chain.tipCommit();
        HeaderAncestry verified = height -> headers.get((int) (height - headers.getFirst().height()));
        for (int i = 0; i < served.size(); i++) {
            Header h = served.get(i).header();
            ValidatorSet set = setAt(sets, h.height());
            checkHeader(headers, verified, sets, h, set, i == 0, nowMillis);
            // 2. Final only with a commit: the next served header's carried precommits, or the head's certificate.
            boolean last = i + 1 == served.size();
            List<Vote> commit = last ? forBlock(headCommit, h) : ((ValidatorSeal) served.get(i + 1).header().seal()).votes();
            if (commit.isEmpty()) {
                if (last) break; // the node's head, not provably final yet: kept for a later sync
                throw LightRules.refused(served.get(i + 1).header(), "carries no commit of its parent");
            }
            try {
                CommitCheck.verify(commit, set, h.height(), h.hash(), engine.chainId());
            } catch (Rejection r) {
                throw LightRules.refused(h, "is not final: " + r.getMessage());
            }
            headers.add(h);
            tipCommit = commit;
            // 3. Its state root is now trusted: learn the next height's validator set from it.
            ValidatorSet next = nextSet(served.get(i));
            if (!setAt(sets, h.height() + 1).equals(next)) sets.add(new SetChange(h.height() + 1, next));
        }
        return headers.size() == chain.headers().size() ? chain : new LightChain(headers, sets, tipCommit);
    }

    /** 1. Linked to the verified tip, timed, signed by the proposer {@code set}'s schedule names, carrying the tip's commit if first. */
    private void checkHeader(List<Header> headers, HeaderAncestry verified, List<SetChange> sets, Header h, ValidatorSet set, boolean first,
                             long nowMillis) throws LightVerificationException {
        Header prev = headers.getLast();
        if (h.height() != prev.height() + 1 || !h.parentHash().equals(prev.hash())) {
            throw LightRules.refused(h, first
                    ? "conflicts with the final header " + prev.hash() + " at height " + prev.height() + " that this client verified (it does not link to it)"
                    : "does not link to the header before it (" + prev.hash() + " at height " + prev.height() + ")");
        }
        try {
            HeaderTimeRules.check(h, verified, nowMillis);
            engine.validateSeal(h, verified);
            ValidatorSeal seal = (ValidatorSeal) h.seal();
            PublicKey scheduled = ProposerSchedule.proposer(set, h.height(), seal.slot());
            if (!seal.proposerKey().equals(scheduled)) {
                throw LightRules.refused(h, "round " + seal.slot() + " is " + scheduled + "'s to propose, not " + seal.proposerKey() + "'s");
            }
            if (h.height() == 1 && !seal.votes().isEmpty()) throw LightRules.refused(h, "the first block has no parent commit to carry");
            // Later headers' carried commits are checked as their parents' finality (step 2). Not checkable on a
            // pinned checkpoint, whose own validators are not known: the pin vouches for it.
            if (first && h.height() >= 2 && sets.getFirst().fromHeight() <= prev.height()) {
                CommitCheck.verify(seal.votes(), setAt(sets, prev.height()), prev.height(), prev.hash(), engine.chainId());
            }
        } catch (Rejection r) {
            throw LightRules.refused(h, r.getMessage());
        } catch (RuntimeException e) {
            throw LightRules.refused(h, "invalid header: " + e.getMessage());
        }
    }

    private static ValidatorSet setAt(List<SetChange> sets, long height) {
        ValidatorSet found = null;
        for (SetChange c : sets) if (c.fromHeight() <= height) found = c.set();
        if (found == null) throw new IllegalArgumentException("no validator set is known for height " + height);
        return found;
    }

    /** The head commit if it is for {@code h}; a commit for another block finalises nothing here. */
    private static List<Vote> forBlock(List<Vote> commit, Header h) {
        if (commit.isEmpty()) return List.of();
        return commit.getFirst() instanceof RoundVote v && v.blockHash().equals(h.hash()) && v.height() == h.height() ? commit : List.of();
    }

    /** The validator set of the height after {@code s}'s (final) header: the served value of state key 0x30, verified against its state root. */
    private static ValidatorSet nextSet(ServedHeader s) throws LightVerificationException {
        Header h = s.header();
        if (s.nextValidators() == null || s.nextValidatorsProof() == null) {
            throw LightRules.refused(h, "the node sent no validator set (state key 0x30) with its proof for this header");
        }
        if (!s.nextValidatorsProof().verifyInclusion(h.stateRoot(), NEXT_VALIDATORS_TREE_KEY, Sha256.hash(s.nextValidators()))) {
            throw LightRules.refused(h, "the validator set the node sent for the next height does not verify against this header's state root");
        }
        try {
            return ValidatorSet.decode(s.nextValidators());
        } catch (CodecException e) {
            throw LightRules.refused(h, "the validator set the node sent is malformed: " + e.getMessage());
        }
    }

    @Override
    public String finality(LightChain chain, long height) {
        if (height == 0) return "final: the genesis block";
        if (!chain.knowsValidatorsAt(height)) return "final: the checkpoint you pinned, or a block it links to by hash";
        boolean tip = height == chain.tip().height();
        List<Vote> commit = tip ? chain.tipCommit() : ((ValidatorSeal) chain.at(height + 1).seal()).votes();
        ValidatorSet set = chain.validatorsAt(height);
        long power = 0;
        int round = 0;
        for (Vote v : commit) {
            if (v instanceof RoundVote r) {
                power += set.power(r.validator());
                round = r.round();
            }
        }
        return "final: committed in round " + round + " by " + commit.size() + " precommit" + (commit.size() == 1 ? "" : "s") + " with power " + power
                + " of " + set.totalPower() + " (more than 2/3) of the validator set of height " + height + ", "
                + (tip ? "from the node's commit certificate of that block" : "carried in the seal of block " + (height + 1));
    }

    @Override
    public boolean isFinal(LightChain chain, long height) {
        return chain.at(height) != null;
    }
}
