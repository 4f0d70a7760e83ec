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
        if (served.isEmpty()) return chain;
        List<Header> branch = new ArrayList<>(chain.headers());
        HeaderAncestry ancestry = height -> branch.get((int) (height - branch.getFirst().height()));
        // 1. Each header is well formed, linked, timed, signed by its scheduled proposer.
        for (int i = 0; i < served.size(); i++) {
            Header h = served.get(i).header();
            Header prev = branch.getLast();
            if (h.height() != prev.height() + 1 || !h.parentHash().equals(prev.hash())) {
                throw LightRules.refused(h, i == 0
                        ? "conflicts with the final header " + prev.hash() + " at height " + prev.height() + " that this client verified (it does not link to it)"
                        : "does not link to the header before it (" + prev.hash() + " at height " + prev.height() + ")");
            }
            ValidatorSet set = chain.validatorsAt(h.height());
            try {
                HeaderTimeRules.check(h, ancestry, nowMillis);
                engine.validateSeal(h, ancestry);
                ValidatorSeal seal = (ValidatorSeal) h.seal();
                PublicKey scheduled = ProposerSchedule.proposer(set, h.height(), seal.slot());
                if (!seal.proposerKey().equals(scheduled)) {
                    throw LightRules.refused(h, "round " + seal.slot() + " is " + scheduled + "'s to propose, not " + seal.proposerKey() + "'s");
                }
                if (h.height() == 1 && !seal.votes().isEmpty()) throw LightRules.refused(h, "the first block has no parent commit to carry");
                // From the second served header on, the carried commit is the one step 2 checks for the parent. (Not
                // checkable on a pinned checkpoint, whose own validators are not known; the pin vouches for it.)
                if (h.height() >= 2 && i == 0 && chain.knowsValidatorsAt(prev.height())) CommitCheck.verify(seal.votes(), chain.validatorsAt(prev.height()), prev.height(), prev.hash(), engine.chainId());
            } catch (Rejection r) {
                throw LightRules.refused(h, r.getMessage());
            } catch (RuntimeException e) {
                throw LightRules.refused(h, "invalid header: " + e.getMessage());
            }
            branch.add(h);
            // Set changes are learnt only from final headers (step 3), so a set for the next one is needed now.
            if (i + 1 < served.size()) chain = withNextSet(chain, served.get(i), null);
        }
        // 2 and 3: finality, then the next validator set from the final state root. Stop at the first header not proven final.
        List<Header> finalHeaders = new ArrayList<>(chain.headers());
        List<Vote> tipCommit = chain.tipCommit();
        LightChain result = chain;
        for (int i = 0; i < served.size(); i++) {
            Header h = served.get(i).header();
            List<Vote> commit = i + 1 < served.size() ? ((ValidatorSeal) served.get(i + 1).header().seal()).votes() : forBlock(headCommit, h);
            if (commit.isEmpty()) break;
            try {
                CommitCheck.verify(commit, result.validatorsAt(h.height()), h.height(), h.hash(), engine.chainId());
            } catch (Rejection r) {
                throw LightRules.refused(h, "is not final: " + r.getMessage());
            }
            finalHeaders.add(h);
            tipCommit = commit;
            result = withNextSet(new LightChain(finalHeaders, result.validatorSets(), tipCommit), served.get(i), h);
        }
        return result;
    }

    /** The head commit if it is for {@code h}; a commit for another block finalises nothing here. */
    private static List<Vote> forBlock(List<Vote> commit, Header h) {
        if (commit.isEmpty()) return List.of();
        return commit.getFirst() instanceof RoundVote v && v.blockHash().equals(h.hash()) && v.height() == h.height() ? commit : List.of();
    }

    /**
     * {@code chain} with the validator set of the height after {@code s}: read from the served value of key 0x30, which
     * must verify against the state root of {@code s}'s header once it is {@code proven} final. Before that (during step
     * 1) the set is taken provisionally and checked again in step 3 with the proof.
     */
    private LightChain withNextSet(LightChain chain, ServedHeader s, Header proven) throws LightVerificationException {
        Header h = s.header();
        if (s.nextValidators() == null || s.nextValidatorsProof() == null) {
            throw LightRules.refused(h, "the node sent no validator set (state key 0x30) with its proof for this header");
        }
        if (proven != null && !s.nextValidatorsProof().verifyInclusion(h.stateRoot(), NEXT_VALIDATORS_TREE_KEY, Sha256.hash(s.nextValidators()))) {
            throw LightRules.refused(h, "the validator set the node sent for the next height does not verify against this header's state root");
        }
        ValidatorSet next;
        try {
            next = ValidatorSet.decode(s.nextValidators());
        } catch (CodecException e) {
            throw LightRules.refused(h, "the validator set the node sent is malformed: " + e.getMessage());
        }
        List<SetChange> sets = new ArrayList<>(chain.validatorSets());
        sets.removeIf(c -> c.fromHeight() > h.height());
        if (!sets.getLast().set().equals(next)) sets.add(new SetChange(h.height() + 1, next));
        return new LightChain(chain.headers(), sets, chain.tipCommit());
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
