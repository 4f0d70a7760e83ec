package io.maaschain.consensus.bft;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.VoteCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a validator must not forget about the height in progress when it restarts (Tendermint's lockedValue/lockedRound
 * and validValue/validRound; CometBFT recovers them from its consensus WAL). A validator that forgot its lock could
 * prevote for another block in a later round after precommitting this one: it would behave as a faulty validator,
 * and enough of them restarting at once could break safety. It is saved, synced, before the precommit that depends on
 * it is signed. The valid value only serves liveness: with it, a restarted proposer re-proposes the block that may
 * already have a polka instead of a fresh one nobody locked on will prevote.
 *
 * <p>Layout: version u8 (1), height u64, parent hash (32), locked round u32 + 1 (0: none), the locked block as u32
 * length + block encoding if any, valid round u32 + 1, the valid block likewise, then u16 n and the n prevotes of the
 * valid round for the valid block (its polka). The blocks are whole, because the protocol may have to re-propose them
 * and no peer is obliged to keep them; the polka, because a re-proposal is accepted only with it, and after every
 * validator restarted nobody else would hold it.
 */
public record BftLock(long height, Hash parent, int lockedRound, Block lockedBlock, int validRound, Block validBlock, List<RoundVote> validPolka) {
    private static final int VERSION = 1;

    public BftLock {
        validPolka = List.copyOf(validPolka);
        if ((lockedRound < 0) != (lockedBlock == null) || (validRound < 0) != (validBlock == null)) {
            throw new IllegalArgumentException("a round without its block, or a block without its round");
        }
        if (validPolka.size() > ValidatorSeal.MAX_VOTES) throw new IllegalArgumentException(validPolka.size() + " polka votes, limit " + ValidatorSeal.MAX_VOTES);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(64).u8(VERSION).u64(height).raw(parent.toBytes());
        writeRound(w, lockedRound, lockedBlock);
        writeRound(w, validRound, validBlock);
        w.u16(validPolka.size());
        for (RoundVote v : validPolka) VoteCodec.write(w, v);
        return w.toByteArray();
    }

    private static void writeRound(ByteWriter w, int round, Block block) {
        w.u32(round + 1L);
        if (block != null) w.bytes(BlockCodec.encode(block));
    }

    public static BftLock decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int version = r.u8("bft lock version");
        if (version != VERSION) throw new CodecException("unknown bft lock version " + version);
        long height = r.u63("height");
        Hash parent = Hash.wrap(r.raw(Hash.LENGTH, "parent hash"));
        int lockedRound = round(r, "locked round");
        Block locked = lockedRound < 0 ? null : BlockCodec.decode(r.bytes(BlockCodec.MAX_BLOCK_BYTES, "locked block"));
        int validRound = round(r, "valid round");
        Block valid = validRound < 0 ? null : BlockCodec.decode(r.bytes(BlockCodec.MAX_BLOCK_BYTES, "valid block"));
        int n = r.u16("polka vote count");
        if (n > ValidatorSeal.MAX_VOTES) throw new CodecException(n + " polka votes, limit " + ValidatorSeal.MAX_VOTES);
        List<RoundVote> polka = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (!(VoteCodec.read(r) instanceof RoundVote v) || v.step() != RoundVote.Step.PREVOTE) throw new CodecException("a polka vote must be a prevote");
            polka.add(v);
        }
        r.expectEnd();
        return new BftLock(height, parent, lockedRound, locked, validRound, valid, polka);
    }

    private static int round(ByteReader r, String what) {
        long v = r.u32(what);
        if (v > Integer.MAX_VALUE) throw new CodecException(what + " " + (v - 1) + " too large");
        return (int) v - 1;
    }
}
