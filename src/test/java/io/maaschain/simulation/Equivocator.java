package io.maaschain.simulation;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.WorldState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Byzantine validator: it runs the honest protocol (whose signatures go through slashing protection), and while
 * its equivocation window is open it also signs, with its raw key, a conflicting twin of everything it says, and sends
 * the twin to a random non-empty subset of its peers: a second vote for another value in the same round or epoch,
 * and a second block for the same height and slot (with different transactions).
 */
final class Equivocator {
    private final Simulation sim;
    private final SimNode node;
    /** Twin blocks this validator built, by height, until the honest proposal for that height goes out. */
    private final Map<Long, Block> twins = new HashMap<>();

    Equivocator(Simulation sim, SimNode node) {
        this.sim = sim;
        this.node = node;
    }

    private boolean active() {
        long t = sim.now() - Simulation.START;
        return t >= sim.scenario.equivocateFrom() && t < sim.scenario.equivocateUntil();
    }

    ConsensusProtocol wrap(ConsensusProtocol honest) {
        return new ConsensusProtocol() {
            @Override
            public List<Action> start(long now) {
                return watch(honest.start(now));
            }

            @Override
            public List<Action> onTick(long now) {
                return watch(honest.onTick(now));
            }

            @Override
            public List<Action> onHeadChanged(long now) {
                return watch(honest.onHeadChanged(now));
            }

            @Override
            public List<Action> onMessage(ConsensusMessage message, long now) {
                return watch(honest.onMessage(message, now));
            }

            @Override
            public List<Action> onOwnProposal(Block block, long now) {
                return watch(honest.onOwnProposal(block, now));
            }

            @Override
            public String describe() {
                return "byzantine " + honest.describe();
            }
        };
    }

    /** Before the driver builds the honest block of a Propose, builds its twin on the same parent. */
    private List<Action> watch(List<Action> actions) {
        if (!active()) return actions;
        for (Action a : actions) {
            if (a instanceof Action.Propose p && node.chain.head().hash().equals(p.parent())) {
                twin(p).ifPresent(twin -> {
                    twins.put(twin.height(), twin);
                    // Engines that import at once gossip the honest block as a block: the twin travels the same way.
                    if (p.importNow()) for (SimNode peer : subset()) sim.sendBlock(node, peer, twin, true);
                });
            }
        }
        return actions;
    }

    private Optional<Block> twin(Action.Propose p) {
        WorldState state = new WorldState(node.chain.headState());
        Transaction selfTransfer = new UnsignedTransaction(Simulation.CHAIN_ID, node.key.publicKey(), state.account(node.key.address()).nonce(),
                1, new Transfer(node.key.address(), 1)).sign(node.key);
        BlockBuilder.Template t;
        try {
            t = node.builder.build(List.of(selfTransfer), node.key.address(), p.timestampMillis(), p.seal());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
        Header unsigned = t.block().header();
        ProposalSignature statement = HeaderCodec.proposalSignature(unsigned);
        Header signed = unsigned.withSeal(((ValidatorSeal) unsigned.seal()).withSignature(rawSign(statement).signature()));
        return Optional.of(new Block(signed, t.block().transactions()));
    }

    /** The Byzantine node's network port: the honest message to everyone, and while active a conflicting twin to some. */
    void broadcast(ConsensusMessage m) {
        for (SimNode peer : sim.nodes) if (peer != node) sim.sendMessage(node, peer, m, false);
        if (!active()) return;
        Optional<ConsensusMessage> twin = switch (m) {
            case ConsensusMessage.VoteMessage v when v.vote().validator().equals(node.key.publicKey()) ->
                    conflicting(v.vote()).map(c -> new ConsensusMessage.VoteMessage(rawSign(c)));
            case ConsensusMessage.Proposal p when p.block().header().proposer().equals(node.key.address()) ->
                    Optional.ofNullable(twins.remove(p.block().height()))
                            .filter(t -> t.header().seal() instanceof ValidatorSeal ts && p.block().header().seal() instanceof ValidatorSeal ps
                                    && ts.slot() == ps.slot() && !t.hash().equals(p.block().hash()))
                            .map(t -> new ConsensusMessage.Proposal(t, p.validRound()));
            default -> Optional.empty();
        };
        twin.ifPresent(t -> {
            for (SimNode peer : subset()) sim.sendMessage(node, peer, t, true);
        });
    }

    /** A statement that conflicts with {@code v}: the same round or epoch, another value. */
    private Optional<Vote> conflicting(Vote v) {
        Hash other = Sha256.hash(("twin of " + VoteCodec.encode(v).length + sim.now()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return switch (v) {
            case RoundVote r -> Optional.of(new RoundVote(r.step(), r.height(), r.round(), r.isNil() ? other : RoundVote.NIL, r.validator(),
                    r.signature()));
            case CheckpointVote c -> Optional.of(new CheckpointVote(c.sourceEpoch(), c.sourceHash(), c.targetEpoch(), other, c.validator(),
                    c.signature()));
            case ProposalSignature p -> Optional.empty();
        };
    }

    private Vote rawSign(Vote unsigned) {
        return unsigned.withSignature(node.key.sign(VoteCodec.signingMessage(unsigned, Simulation.CHAIN_ID)));
    }

    private List<SimNode> subset() {
        List<SimNode> peers = new ArrayList<>();
        for (SimNode p : sim.nodes) if (p != node && sim.random.nextBoolean()) peers.add(p);
        if (peers.isEmpty()) {
            List<SimNode> others = sim.nodes.stream().filter(p -> p != node).toList();
            peers.add(others.get(sim.random.nextInt(others.size())));
        }
        return peers;
    }
}
