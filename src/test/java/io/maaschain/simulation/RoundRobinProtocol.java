package io.maaschain.simulation;

import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.VoteCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HARNESS SELF-TEST ONLY: the protocol of {@link RoundRobinEngine}. Proposes in its slots on the head, announces its
 * blocks as proposals, and reports a proposer that signed two headers for one height and slot.
 */
final class RoundRobinProtocol implements ConsensusProtocol {
    private final RoundRobinEngine engine;
    private final ChainView view;
    private final Optional<ValidatorSigner> signer;
    private long lastProposedSlot = -1;
    private final Map<String, ProposalSignature> seen = new HashMap<>();
    private final Set<PublicKey> reported = new HashSet<>();

    RoundRobinProtocol(RoundRobinEngine engine, ChainView view, ValidatorSigner signer) {
        this.engine = engine;
        this.view = view;
        this.signer = Optional.ofNullable(signer);
    }

    @Override
    public List<Action> start(long now) {
        return List.of(new Action.WakeAt(engine.slotStart(engine.slotAt(now) + 1)));
    }

    @Override
    public List<Action> onTick(long now) {
        List<Action> out = new ArrayList<>();
        long slot = engine.slotAt(now);
        long headSlot = ((ValidatorSeal) view.head().seal()).slot();
        if (signer.isPresent() && engine.proposer(slot).equals(signer.get().key()) && slot > lastProposedSlot && slot > headSlot) {
            lastProposedSlot = slot;
            out.add(new Action.Propose(view.headHash(), engine.slotStart(slot),
                    new ValidatorSeal(slot, signer.get().key(), Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED), true));
        }
        out.add(new Action.WakeAt(engine.slotStart(slot + 1)));
        return out;
    }

    @Override
    public List<Action> onHeadChanged(long now) {
        List<Action> out = new ArrayList<>();
        Header h = view.head();
        for (int i = 0; i < engine.validators.size() && h.height() > 0; i++) {
            record(HeaderCodec.proposalSignature(h), out);
            h = view.header(h.parentHash()).orElseThrow();
        }
        return out;
    }

    @Override
    public List<Action> onMessage(ConsensusMessage message, long now) {
        List<Action> out = new ArrayList<>();
        if (message instanceof ConsensusMessage.Proposal p && p.block().header().seal() instanceof ValidatorSeal) {
            ProposalSignature s = HeaderCodec.proposalSignature(p.block().header());
            if (engine.validators.contains(s.validator()) && s.verify(engine.chainId)) record(s, out);
        }
        return out;
    }

    private void record(ProposalSignature s, List<Action> out) {
        String slotKey = s.validator().toHex() + "/" + s.height() + "/" + s.slot();
        ProposalSignature earlier = seen.putIfAbsent(slotKey, s);
        if (earlier != null && earlier.conflictsWith(s) && reported.add(s.validator())) {
            out.add(new Action.SubmitEvidence(new Evidence(VoteCodec.encode(earlier), VoteCodec.encode(s))));
        }
    }

    @Override
    public List<Action> onOwnProposal(Block block, long now) {
        return List.of(new Action.Broadcast(new ConsensusMessage.Proposal(block, -1)));
    }

    @Override
    public String describe() {
        return "round-robin self-test, last proposed slot " + lastProposedSlot;
    }
}
