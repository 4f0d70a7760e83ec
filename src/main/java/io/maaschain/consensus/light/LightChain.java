package io.maaschain.consensus.light;

import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.vote.Vote;
import java.util.ArrayList;
import java.util.List;

/**
 * What a light client has verified: the headers of one branch from its anchor (genesis or a pinned checkpoint) to its
 * tip, consecutive and hash-linked. On a bft chain every header here is final (a commit by more than 2/3 of its
 * validators was checked), {@code validatorSets} is the validator set of every height from the anchor's next one on
 * (each learnt from a state proof against a final header), and {@code tipCommit} the precommits that made the tip final.
 * On a proof-of-work chain the headers are the heaviest valid branch seen, and the two lists are empty.
 */
public record LightChain(List<Header> headers, List<SetChange> validatorSets, List<Vote> tipCommit) {
    public LightChain {
        headers = List.copyOf(headers);
        validatorSets = List.copyOf(validatorSets);
        tipCommit = List.copyOf(tipCommit);
        if (headers.isEmpty()) throw new IllegalArgumentException("a light chain has at least its anchor header");
        for (int i = 1; i < headers.size(); i++) {
            Header h = headers.get(i);
            Header parent = headers.get(i - 1);
            if (h.height() != parent.height() + 1 || !h.parentHash().equals(parent.hash())) {
                throw new IllegalArgumentException("header " + h.height() + " does not link to header " + parent.height());
            }
        }
        for (int i = 1; i < validatorSets.size(); i++) {
            if (validatorSets.get(i).fromHeight() <= validatorSets.get(i - 1).fromHeight()) {
                throw new IllegalArgumentException("validator set changes are not in height order");
            }
        }
    }

    public Header anchor() {
        return headers.getFirst();
    }

    public Header tip() {
        return headers.getLast();
    }

    /** The header at {@code height}, or null if it is outside anchor..tip. */
    public Header at(long height) {
        long i = height - anchor().height();
        return i < 0 || i >= headers.size() ? null : headers.get((int) i);
    }

    /** The headers of this branch by height, for the engines' rules (retarget windows, median time past). */
    public HeaderAncestry ancestry() {
        return height -> {
            Header h = at(height);
            if (h == null) throw new IllegalArgumentException("height " + height + " is outside the verified headers " + anchor().height() + ".." + tip().height());
            return h;
        };
    }

    /** The bft validator set that votes on {@code height}; throws if none is known for it. */
    public ValidatorSet validatorsAt(long height) {
        ValidatorSet found = null;
        for (SetChange c : validatorSets) if (c.fromHeight() <= height) found = c.set();
        if (found == null) throw new IllegalArgumentException("no validator set is known for height " + height);
        return found;
    }

    public boolean knowsValidatorsAt(long height) {
        return !validatorSets.isEmpty() && validatorSets.getFirst().fromHeight() <= height;
    }

    /** This chain cut back to end at {@code height} (anchor <= height <= tip); the tip's commit is dropped unless the tip stays. */
    public LightChain truncate(long height) {
        if (height == tip().height()) return this;
        List<Header> kept = new ArrayList<>(headers.subList(0, (int) (height - anchor().height() + 1)));
        List<SetChange> sets = validatorSets.stream().filter(c -> c.fromHeight() <= height + 1).toList();
        return new LightChain(kept, sets, List.of());
    }
}
