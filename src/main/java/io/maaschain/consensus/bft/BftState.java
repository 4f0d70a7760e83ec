package io.maaschain.consensus.bft;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.BlockRef;
import io.maaschain.crypto.Hash;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.util.Optional;

/**
 * Where the bft engine keeps its consensus state in the world state (prefixes 0x30-0x37), so the state root
 * authenticates it and a reorganisation undoes it.
 * <ul>
 *   <li>0x30: the validator set of the next height (what SetValidator and Evidence change);</li>
 *   <li>0x31: the validator set that voted on the latest block: its commit is checked against this one;</li>
 *   <li>0x32: the final block (height, hash) proven by the commit the latest block carries;</li>
 *   <li>0x33 || SHA-256 of the evidence: evidence already used, so it cannot slash twice.</li>
 * </ul>
 */
public final class BftState {
    public static final int NEXT_VALIDATORS = 0x30;
    public static final int LAST_VALIDATORS = 0x31;
    public static final int FINAL_BLOCK = 0x32;
    public static final int USED_EVIDENCE = 0x33;

    private BftState() {}

    public static Bytes nextValidatorsKey() {
        return Bytes.adopt(new byte[] {NEXT_VALIDATORS});
    }

    public static Bytes lastValidatorsKey() {
        return Bytes.adopt(new byte[] {LAST_VALIDATORS});
    }

    public static Bytes finalKey() {
        return Bytes.adopt(new byte[] {FINAL_BLOCK});
    }

    public static Bytes usedEvidenceKey(Hash evidence) {
        return Bytes.adopt(new ByteWriter(33).u8(USED_EVIDENCE).raw(evidence.toBytes()).toByteArray());
    }

    /** The validators of the height after the state's block. */
    public static ValidatorSet nextValidators(StateReader s) {
        return read(s, nextValidatorsKey(), "next validator set").orElseThrow(() -> new IllegalStateException("the state holds no bft validator set"));
    }

    /** The validators that voted on the state's block; empty at genesis. */
    public static Optional<ValidatorSet> lastValidators(StateReader s) {
        return read(s, lastValidatorsKey(), "last validator set");
    }

    private static Optional<ValidatorSet> read(StateReader s, Bytes key, String what) {
        byte[] v = s.get(key);
        if (v == null) return Optional.empty();
        try {
            return Optional.of(ValidatorSet.decode(v));
        } catch (CodecException e) {
            throw new IllegalStateException("stored " + what + " is corrupted: " + e.getMessage(), e);
        }
    }

    public static void setNextValidators(WorldState s, ValidatorSet set) {
        s.put(nextValidatorsKey(), set.encode());
    }

    public static void setLastValidators(WorldState s, ValidatorSet set) {
        s.put(lastValidatorsKey(), set.encode());
    }

    public static Optional<BlockRef> finalBlock(StateReader s) {
        byte[] v = s.get(finalKey());
        if (v == null) return Optional.empty();
        ByteReader r = new ByteReader(v);
        BlockRef ref = new BlockRef(r.u63("final height"), Hash.wrap(r.raw(Hash.LENGTH, "final hash")));
        r.expectEnd();
        return Optional.of(ref);
    }

    public static void setFinalBlock(WorldState s, BlockRef ref) {
        s.put(finalKey(), new ByteWriter(40).u64(ref.height()).raw(ref.hash().toBytes()).toByteArray());
    }
}
