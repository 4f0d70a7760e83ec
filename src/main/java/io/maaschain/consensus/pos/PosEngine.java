package io.maaschain.consensus.pos;

import io.maaschain.consensus.ValidatorSeals;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proof of stake (docs/consensus-pos.md): slots and epochs from the genesis time, a validator set fixed per epoch and
 * snapshotted one epoch ahead, a stake-weighted proposer per slot drawn from a RANDAO seed of hash-onion reveals, Casper
 * FFG finality from checkpoint votes carried in blocks, and slashing by evidence. Fork choice: one per block, i.e. the
 * longest chain above the final block (no LMD-GHOST).
 */
public final class PosEngine implements ConsensusEngine {
    public static final String KIND = "pos";
    /** The fork-choice weight, in blocks, of a carried vote from one epoch to the next (see {@link #weight}). */
    public static final long LINK_VOTE_WEIGHT = 10;
    /** The fork-choice weight, in blocks, of a carried vote whose target skips epochs after its source. */
    public static final long GAP_VOTE_WEIGHT = 4;
    /** The key of the genesis seal and of placeholder seals: no validator. */
    public static final PublicKey NO_KEY = PublicKey.wrap(new byte[PublicKey.LENGTH]);

    private final PosParams params;
    private final PosBlockRules blockRules;
    private final PosPayloadRules payloadRules;

    public PosEngine(PosParams params) {
        this.params = params;
        this.blockRules = new PosBlockRules(params);
        this.payloadRules = new PosPayloadRules(params);
    }

    public static PosEngine fromGenesis(Genesis genesis) {
        return new PosEngine(PosGenesis.parse(genesis));
    }

    /** The genesis {@code consensus} section for a testnet of {@code validators} (the node keys), with testnet defaults. */
    public static String genesisSection(List<KeyPair> validators) {
        return PosGenesis.section(validators, PosGenesis.DEFAULT_REVEAL_DEPTH);
    }

    public PosParams params() {
        return params;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Seal genesisSeal() {
        return new ValidatorSeal(0, NO_KEY, Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED);
    }

    /** A placeholder: proof-of-stake blocks are built from the seal their proposer's protocol gives. */
    @Override
    public Seal templateSeal(HeaderAncestry ancestry, long height) {
        return new ValidatorSeal(ValidatorSeals.slotOf(ancestry.headerAt(height - 1)) + 1, NO_KEY, Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED);
    }

    @Override
    public void validateSeal(Header header, HeaderAncestry ancestry) throws Rejection {
        ValidatorSeal seal = PosBlockRules.sealOf(header);
        long parentSlot = ValidatorSeals.slotOf(ancestry.headerAt(header.height() - 1));
        if (seal.slot() <= parentSlot) throw new Rejection(RejectCode.INVALID_SEAL, "slot " + seal.slot() + " does not follow the parent's slot " + parentSlot);
        if (seal.slot() > params.maxSlot()) throw new Rejection(RejectCode.INVALID_SEAL, "slot " + seal.slot() + " is too far in the future");
        long expected = params.slotStart(seal.slot());
        if (header.timestampMillis() != expected) {
            throw new Rejection(RejectCode.INVALID_HEADER, "timestamp " + header.timestampMillis() + " is not the start " + expected + " of slot " + seal.slot());
        }
        for (Vote v : seal.votes()) {
            if (!(v instanceof CheckpointVote)) throw new Rejection(RejectCode.INVALID_SEAL, "a proof-of-stake block carries only checkpoint votes");
        }
        ValidatorSeals.requireSignedByProposer(header, seal, params.chainId());
    }


    /**
     * Fork-choice weight of a block: one, plus {@link #LINK_VOTE_WEIGHT} per carried FFG vote whose target is the epoch
     * right after its source, plus {@link #GAP_VOTE_WEIGHT} per other carried vote. Every carried vote was counted by the
     * branch (a block with a vote it cannot count is invalid), and a vote's source is its branch's latest justified
     * checkpoint: votes from one epoch to the next are what a branch that keeps justifying produces, while the votes on a
     * branch that fewer than 2/3 attest to soon all skip epochs. Read from the header alone, this is a stand-in for
     * "follow the highest justified checkpoint" and LMD-GHOST, neither of which is implemented. It matters for
     * liveness: a validator that voted with source S can never vote on a branch whose justified checkpoint is older
     * than S (the vote would surround its earlier one), so a longer branch that justifies less must not win.
     */
    @Override
    public BigInteger weight(Header header) {
        long w = 1;
        if (header.seal() instanceof ValidatorSeal s) {
            for (Vote v : s.votes()) {
                boolean link = v instanceof CheckpointVote c && c.targetEpoch() == c.sourceEpoch() + 1;
                w += link ? LINK_VOTE_WEIGHT : GAP_VOTE_WEIGHT;
            }
        }
        return BigInteger.valueOf(w);
    }

    @Override
    public long blockReward(long height) {
        return params.blockReward();
    }

    @Override
    public Map<Bytes, byte[]> genesisState() {
        Map<Bytes, byte[]> state = new LinkedHashMap<>();
        List<Bond> bonds = new ArrayList<>();
        List<ValidatorSet.Member> members = new ArrayList<>();
        long total = 0;
        for (PosParams.GenesisValidator v : params.validators()) {
            bonds.add(new Bond(v.key(), v.stake(), 0, 0, v.revealCommitment(), false));
            total += v.stake();
        }
        Bonds.putGenesis(state, bonds);
        bonds.stream().sorted((a, b) -> java.util.Arrays.compareUnsigned(a.key().address().toBytes(), b.key().address().toBytes()))
                .forEach(b -> members.add(new ValidatorSet.Member(b.key(), b.bonded())));
        Hash mix = genesisMix(params.chainId());
        ValidatorSet set = new ValidatorSet(0, mix, total, members);
        state.put(PosState.SLOT_KEY, new SlotRecord(0, 0, mix).encode());
        state.put(PosState.SETS_KEY, new EpochSets(set, set, set, set.withEpoch(1)).encode());
        // The genesis hash is not known yet (it commits to this state); block 1 fills it in.
        Checkpoint genesis = new Checkpoint(0, new BlockRef(0, Hash.ZERO));
        state.put(PosState.FINALITY_KEY, new FinalityRecord(genesis, genesis, List.of()).encode());
        return state;
    }

    static Hash genesisMix(long chainId) {
        return Sha256.hash(("maaschain/randao/genesis/" + chainId).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public ConsensusRules rules() {
        return payloadRules;
    }

    @Override
    public void beginBlock(WorldState state, Header header) throws Rejection {
        blockRules.begin(state, header);
    }

    @Override
    public Optional<BlockRef> finalizedIn(StateReader state) {
        Checkpoint f = PosState.finality(state).finalized();
        return f.hash().equals(Hash.ZERO) ? Optional.empty() : Optional.of(f.block());
    }

    // ---- what a validator's protocol reads from a head state ----

    /** The validator set that governs {@code slot} on a branch whose head state is {@code state} (the slot at or after its head). */
    public ValidatorSet setAt(StateReader state, long slot) {
        long epoch = params.epochOf(slot);
        EpochSets sets = PosState.sets(state);
        return epoch > PosState.slot(state).epoch() ? (epoch == sets.current().epoch() + 1 ? sets.next() : sets.next().withEpoch(epoch))
                : sets.current();
    }

    /** The proposer of {@code slot} on top of {@code state}, if the set has members. */
    public Optional<PublicKey> proposerAt(StateReader state, long slot) {
        return setAt(state, slot).proposer(slot).map(ValidatorSet.Member::key);
    }

    @Override
    public boolean maySign(StateReader state, PublicKey key) {
        return isValidator(state, key);
    }

    /** True if {@code key} is in the previous, current or next validator set of this branch (whose votes are worth keeping). */
    public boolean isValidator(StateReader state, PublicKey key) {
        EpochSets sets = PosState.sets(state);
        for (ValidatorSet s : List.of(sets.older(), sets.previous(), sets.current(), sets.next())) {
            if (s.member(key.address()).filter(m -> m.key().equals(key)).isPresent()) return true;
        }
        return false;
    }

    /** How many reveals {@code key} has made on this branch. */
    public long revealCount(StateReader state, PublicKey key) {
        return PosState.reveal(state, key.address()).map(RevealRecord::count).orElse(0L);
    }

    /** The justified checkpoint a vote on this branch must name as its source (genesis before block 1 has its hash). */
    public Checkpoint justified(StateReader state) {
        return PosState.finality(state).justified();
    }

    public SlotRecord slotRecord(StateReader state) {
        return PosState.slot(state);
    }

    /** The votes among {@code candidates} that a block {@code header} (its seal without votes) on {@code parentState} can carry. */
    public List<Vote> includableVotes(StateReader parentState, Header header, List<? extends Vote> candidates) throws Rejection {
        return blockRules.includable(parentState, header, candidates);
    }

    @Override
    public Map<String, Object> describe(StateReader state) {
        SlotRecord slot = PosState.slot(state);
        EpochSets sets = PosState.sets(state);
        FinalityRecord fin = PosState.finality(state);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", KIND);
        out.put("slot", slot.lastSlot());
        out.put("epoch", slot.epoch());
        out.put("slotMillis", params.slotMillis());
        out.put("epochSlots", params.epochSlots());
        out.put("validators", describe(sets.current()));
        out.put("totalStake", sets.current().votingTotal());
        out.put("nextValidators", describe(sets.next()));
        out.put("justified", describe(fin.justified()));
        out.put("finalized", describe(fin.finalized()));
        out.put("randaoMix", slot.mix().toHex());
        return out;
    }

    private static List<Map<String, Object>> describe(ValidatorSet set) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ValidatorSet.Member m : set.members()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("address", m.address().toString());
            v.put("key", m.key().toHex());
            v.put("stake", m.stake());
            out.add(v);
        }
        return out;
    }

    private static Map<String, Object> describe(Checkpoint c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch", c.epoch());
        out.put("height", c.block().height());
        out.put("hash", c.hash().toHex());
        return out;
    }
}
