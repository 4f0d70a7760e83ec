package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Address;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the proof-of-stake engine keeps its state in the world state, so the state root authenticates it and a
 * reorganisation undoes it: 0x22 slot record, 0x23 || address reveal records, 0x24 validator sets, 0x25 finality,
 * 0x26 || epoch vote tallies. Stake itself is in {@link Bonds} (0x20, 0x21).
 */
public final class PosState {
    public static final int SLOT = 0x22;
    public static final int REVEAL = 0x23;
    public static final int SETS = 0x24;
    public static final int FINALITY = 0x25;
    public static final int TALLY = 0x26;
    static final Bytes SLOT_KEY = Bytes.adopt(new byte[] {SLOT});
    static final Bytes SETS_KEY = Bytes.adopt(new byte[] {SETS});
    static final Bytes FINALITY_KEY = Bytes.adopt(new byte[] {FINALITY});

    private PosState() {}

    public static SlotRecord slot(StateReader s) {
        return SlotRecord.decode(require(s, SLOT_KEY, "slot record"));
    }

    public static EpochSets sets(StateReader s) {
        return EpochSets.decode(require(s, SETS_KEY, "validator sets"));
    }

    public static FinalityRecord finality(StateReader s) {
        return FinalityRecord.decode(require(s, FINALITY_KEY, "finality record"));
    }

    public static Bytes revealKey(Address a) {
        return Bytes.adopt(new ByteWriter(1 + Address.LENGTH).u8(REVEAL).raw(a.toBytes()).toByteArray());
    }

    public static Bytes tallyKey(long epoch) {
        return Bytes.adopt(new ByteWriter(9).u8(TALLY).u64(epoch).toByteArray());
    }

    /** The validator's last reveal and count; before its first reveal, its commitment from its bond (empty if it never bonded). */
    public static java.util.Optional<RevealRecord> reveal(StateReader s, Address a) {
        byte[] v = s.get(revealKey(a));
        if (v != null) return java.util.Optional.of(RevealRecord.decode(v));
        return Bonds.get(s, a).map(b -> new RevealRecord(b.revealCommitment(), 0));
    }

    public static VoteTally tally(StateReader s, long epoch) {
        byte[] v = s.get(tallyKey(epoch));
        return v == null ? VoteTally.empty(epoch) : VoteTally.decode(v);
    }

    static void put(WorldState s, SlotRecord r) {
        s.put(SLOT_KEY, r.encode());
    }

    static void put(WorldState s, EpochSets r) {
        s.put(SETS_KEY, r.encode());
    }

    static void put(WorldState s, FinalityRecord r) {
        s.put(FINALITY_KEY, r.encode());
    }

    /**
     * Bonded accounts with at least {@code minStake}, not slashed, in address order: the next epoch's validators. Reads
     * only the accounts that stake now ({@link Bonds#bonded}), not every account that ever did.
     */
    static List<ValidatorSet.Member> snapshot(StateReader s, long minStake) {
        List<ValidatorSet.Member> out = new ArrayList<>();
        for (Address a : Bonds.bonded(s)) {
            Bond b = Bonds.get(s, a).orElseThrow();
            if (!b.slashed() && b.bonded() >= minStake) out.add(new ValidatorSet.Member(b.key(), b.bonded()));
        }
        return out;
    }

    private static byte[] require(StateReader s, Bytes key, String what) {
        byte[] v = s.get(key);
        if (v == null) throw new IllegalStateException("the proof-of-stake " + what + " is missing from the state");
        return v;
    }
}
