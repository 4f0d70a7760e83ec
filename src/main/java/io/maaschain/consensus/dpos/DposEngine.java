package io.maaschain.consensus.dpos;

import io.maaschain.consensus.ValidatorSeals;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.dpos.DposParams.GenesisProducer;
import io.maaschain.consensus.dpos.DposState.Candidate;
import io.maaschain.consensus.dpos.DposState.Finality;
import io.maaschain.consensus.dpos.DposState.Schedule;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.Seal;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.state.ConsensusRules;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Delegated proof of stake, Antelope-like (docs/consensus-dpos.md): stake-weighted approval voting elects the top N
 * candidates; each round schedules them in address order, k consecutive slots each; a new schedule waits until the
 * block that elected it is irreversible; the last irreversible block is the one more than 2/3 of the active producers
 * confirmed by Casper-FFG checkpoint votes (one epoch per height), which blocks carry in their seals.
 */
public final class DposEngine implements ConsensusEngine {
    public static final String KIND = "dpos";
    /** The key in the genesis seal: nobody's (block 0 is not proposed). */
    static final PublicKey NOBODY = PublicKey.wrap(new byte[PublicKey.LENGTH]);

    private final DposParams params;
    private final DposBlockRules blockRules;
    private final DposPayloadRules payloadRules;

    public DposEngine(DposParams params) {
        this.params = params;
        this.blockRules = new DposBlockRules(params);
        this.payloadRules = new DposPayloadRules(params);
    }

    public DposParams params() {
        return params;
    }

    // ---------------------------------------------------------------- genesis

    /** Reads the genesis {@code consensus} section (see {@link DposGenesis}). */
    public static DposEngine fromGenesis(Genesis genesis) {
        return new DposEngine(DposGenesis.parse(genesis));
    }

    /** A testnet {@code consensus} section for {@code validators} (see {@link DposGenesis#section}). */
    public static String genesisSection(List<KeyPair> validators) {
        return DposGenesis.section(validators);
    }

    /**
     * Genesis producers are bonded with their stake, registered, and vote for themselves, so the tallies elect them;
     * the first schedule is the top N of them by stake, in address order. Irreversible and justified start at block 0,
     * whose hash is not known yet (it commits to this state): block 1 fills it in.
     */
    @Override
    public Map<Bytes, byte[]> genesisState() {
        Map<Bytes, byte[]> base = new HashMap<>();
        Bonds.putGenesis(base, params.producers().stream().map(p -> new Bond(p.key(), p.stake(), 0, 0, Hash.ZERO, false)).toList());
        WorldState s = new WorldState(base::get);
        List<Candidate> candidates = new ArrayList<>();
        for (GenesisProducer p : params.producers()) {
            Candidate c = new Candidate(p.key(), "", p.stake());
            DposState.putCandidate(s, c);
            DposState.putVoter(s, p.key().address(), new DposState.Voter(p.stake(), List.of(p.key().address())));
            candidates.add(c);
        }
        DposState.putSchedule(s, new Schedule(0, 0, Rounds.elect(candidates, params.activeProducers()), List.of(), 0));
        DposState.putMissedSlots(s, Map.of());
        BlockRef genesis = new BlockRef(0, Hash.ZERO);
        DposState.putFinality(s, new Finality(genesis, genesis, List.of()));
        Map<Bytes, byte[]> out = new LinkedHashMap<>(base);
        out.putAll(s.writes());
        return out;
    }

    // ---------------------------------------------------------------- seals

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Seal genesisSeal() {
        return new ValidatorSeal(0, NOBODY, Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED);
    }

    /** Not used by dpos producers (the protocol gives the seal); the next slot after the parent's, unsigned. */
    @Override
    public Seal templateSeal(HeaderAncestry ancestry, long height) {
        Header parent = ancestry.headerAt(height - 1);
        return new ValidatorSeal(ValidatorSeals.slotOf(parent) + 1, NOBODY, Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED);
    }


    /** Stateless rules: a dpos seal, the key behind the proposer address, the slot after the parent's, its exact start time, the signature. */
    @Override
    public void validateSeal(Header header, HeaderAncestry ancestry) throws Rejection {
        if (!(header.seal() instanceof ValidatorSeal seal)) throw new Rejection(RejectCode.INVALID_SEAL, "a dpos block needs a validator seal");
        if (header.height() < 1) throw new Rejection(RejectCode.INVALID_HEADER, "only genesis has height 0");
        if (!seal.reveal().equals(Hash.ZERO)) throw new Rejection(RejectCode.INVALID_SEAL, "a dpos seal carries no reveal");
        long parentSlot = ValidatorSeals.slotOf(ancestry.headerAt(header.height() - 1));
        if (seal.slot() <= parentSlot) throw new Rejection(RejectCode.INVALID_SEAL, "slot " + seal.slot() + " does not follow the parent's slot " + parentSlot);
        if (seal.slot() > (Long.MAX_VALUE - params.genesisTimestamp()) / params.slotMillis()) {
            throw new Rejection(RejectCode.INVALID_SEAL, "slot " + seal.slot() + " is beyond any representable time");
        }
        if (header.timestampMillis() != params.slotTime(seal.slot())) {
            throw new Rejection(RejectCode.INVALID_HEADER, "timestamp " + header.timestampMillis() + " is not the start of slot " + seal.slot()
                    + " (" + params.slotTime(seal.slot()) + ")");
        }
        for (Vote v : seal.votes()) {
            if (!(v instanceof CheckpointVote)) throw new Rejection(RejectCode.INVALID_SEAL, "a dpos seal carries only checkpoint votes");
        }
        ValidatorSeals.requireSignedByProposer(header, seal, params.chainId());
    }

    @Override
    public BigInteger weight(Header header) {
        return BigInteger.ONE;
    }

    /** Bits of a branch's total weight that count its blocks; the bits above hold the highest source it carried. */
    static final int LENGTH_BITS = 64;
    private static final BigInteger LENGTH_MASK = BigInteger.ONE.shiftLeft(LENGTH_BITS).subtract(BigInteger.ONE);

    /**
     * Fork choice: follow the branch with the highest justified block, then the longest (Casper FFG's rule; plain
     * longest-chain can stall finality, since producers that used a newer justified block as their source cannot vote
     * on a branch whose justified block is older). A branch's total weight is J × 2^64 + its number of blocks, where J
     * is the highest justified block its headers show: the votes a valid block carries all have its parent's justified
     * block as their source, and a target that more than 2/3 of {@code activeProducers} (the largest possible schedule)
     * linked in one seal is justified by that block. J is read from headers alone, as the chain needs it before it
     * executes a side branch, so it may lag the state (votes counted over several blocks) but never exceeds it for a
     * valid branch; a side branch claiming more fails when executed and is marked invalid.
     */
    @Override
    public BigInteger totalWeight(BigInteger parentTotal, Header header) {
        long seen = parentTotal.shiftRight(LENGTH_BITS).longValue();
        long shown = justifiedShownBy(header);
        BigInteger next = parentTotal.add(BigInteger.ONE);
        if (shown <= seen) return next;
        return BigInteger.valueOf(shown).shiftLeft(LENGTH_BITS).or(next.and(LENGTH_MASK));
    }

    /** The highest justified height a block's seal shows by itself (see {@link #totalWeight}), -1 if none. */
    long justifiedShownBy(Header header) {
        if (!(header.seal() instanceof ValidatorSeal seal)) return -1;
        long shown = -1;
        Map<Long, Set<PublicKey>> votersByTarget = new HashMap<>();
        for (Vote v : seal.votes()) {
            if (!(v instanceof CheckpointVote c)) continue;
            shown = Math.max(shown, c.sourceEpoch());
            votersByTarget.computeIfAbsent(c.targetEpoch(), t -> new HashSet<>()).add(c.validator());
        }
        for (var e : votersByTarget.entrySet()) {
            if (Checkpoints.supermajority(e.getValue().size(), params.activeProducers())) shown = Math.max(shown, e.getKey());
        }
        return shown;
    }

    @Override
    public long blockReward(long height) {
        return params.blockReward();
    }

    @Override
    public ConsensusRules rules() {
        return payloadRules;
    }

    // ---------------------------------------------------------------- blocks

    @Override
    public void beginBlock(WorldState state, Header header) throws Rejection {
        blockRules.begin(state, header);
    }

    // ---------------------------------------------------------------- for the protocol

    /** The producer entitled to {@code slot} in a block on the head whose state is {@code headState}. */
    public PublicKey producerOf(StateReader headState, Header head, long slot) {
        return blockRules.enter(new WorldState(headState), head.height() + 1, head.hash(), slot).producer();
    }

    /** The active schedule a block at {@code slot} on this head would use. */
    public List<PublicKey> activeAt(StateReader headState, Header head, long slot) {
        return blockRules.enter(new WorldState(headState), head.height() + 1, head.hash(), slot).advance().schedule().active();
    }

    /**
     * The votes from {@code pool} that a block at {@code slot} on this head may carry, at most
     * {@link ValidatorSeal#MAX_VOTES}, in a deterministic order (target height, then voter).
     */
    public List<CheckpointVote> includable(StateReader headState, Header head, long slot, Collection<CheckpointVote> pool) {
        return blockRules.includable(headState, head, slot, pool);
    }

    /** Active or pending producers, and registered candidates (which an election may schedule next). */
    @Override
    public boolean maySign(StateReader state, PublicKey key) {
        Schedule s = DposState.schedule(state);
        return s.active().contains(key) || s.pending().contains(key)
                || DposState.candidate(state, key.address()).filter(c -> c.key().equals(key)).isPresent();
    }

    /** The justified block a branch with this head state records: every honest producer's vote source. */
    public static BlockRef justifiedIn(StateReader state) {
        return DposState.finality(state).justified();
    }

    // ---------------------------------------------------------------- finality and reports

    @Override
    public Optional<BlockRef> finalizedIn(StateReader state) {
        BlockRef irreversible = DposState.finality(state).irreversible();
        return irreversible.height() == 0 ? Optional.empty() : Optional.of(irreversible);
    }

    /** Missed slots per producer address, for the node's metrics (maaschain_dpos_missed_slots_total). */
    public static Map<Address, Long> missedSlots(StateReader state) {
        return DposState.missedSlots(state);
    }

    @Override
    public Map<String, Object> describe(StateReader state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", KIND);
        out.put("activeProducers", params.activeProducers());
        out.put("blocksPerProducer", params.blocksPerProducer());
        out.put("slotMillis", params.slotMillis());
        Schedule s = DposState.schedule(state);
        out.put("roundStartSlot", s.roundStart());
        out.put("lastSlot", s.lastSlot());
        out.put("activeSchedule", s.active().stream().map(k -> k.address().toString()).toList());
        out.put("pendingSchedule", s.hasPending()
                ? Map.of("producers", s.pending().stream().map(k -> k.address().toString()).toList(), "electedAtHeight", s.pendingHeight())
                : null);
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (Candidate c : Rounds.candidates(state)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", c.key().address().toString());
            m.put("url", c.url());
            m.put("approval", c.approval());
            candidates.add(m);
        }
        out.put("candidates", candidates);
        Map<String, Object> missed = new LinkedHashMap<>();
        DposState.missedSlots(state).forEach((a, n) -> missed.put(a.toString(), n));
        out.put("missedSlots", missed);
        Finality f = DposState.finality(state);
        out.put("justified", Map.of("height", f.justified().height(), "hash", f.justified().hash().toHex()));
        out.put("irreversible", Map.of("height", f.irreversible().height(), "hash", f.irreversible().hash().toHex()));
        return out;
    }
}
