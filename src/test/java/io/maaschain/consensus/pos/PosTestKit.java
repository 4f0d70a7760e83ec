package io.maaschain.consensus.pos;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.WorldState;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validators, parameters and a state-level branch (blocks applied through beginBlock only) for pos tests. */
final class PosTestKit {
    static final long DEPTH = 1024;
    static final long MIN_STAKE = 10_000;

    final List<KeyPair> keys = new ArrayList<>();
    final Map<Address, RandaoOnion> onions = new LinkedHashMap<>();
    final PosParams params;
    final PosEngine engine;

    PosTestKit(List<Long> stakes) {
        List<PosParams.GenesisValidator> validators = new ArrayList<>();
        for (int i = 0; i < stakes.size(); i++) {
            KeyPair k = Fixtures.key(100 + i);
            keys.add(k);
            RandaoOnion onion = RandaoOnion.forKey(k, DEPTH);
            onions.put(k.address(), onion);
            validators.add(new PosParams.GenesisValidator(k.publicKey(), stakes.get(i), onion.commitment()));
        }
        params = new PosParams(Fixtures.CHAIN_ID, TestChain.GENESIS_TIME, 500, 4, MIN_STAKE, 2, 50, DEPTH, validators);
        engine = new PosEngine(params);
    }

    static PosTestKit equal(int n) {
        List<Long> stakes = new ArrayList<>();
        for (int i = 0; i < n; i++) stakes.add(100_000L);
        return new PosTestKit(stakes);
    }

    KeyPair keyOf(PublicKey k) {
        return keys.stream().filter(x -> x.publicKey().equals(k)).findFirst().orElseThrow();
    }

    Branch genesis() {
        Map<Bytes, byte[]> data = new HashMap<>(engine.genesisState());
        return new Branch(this, data, "main", 0, syntheticHash("genesis", 0), new ArrayList<>(List.of(new long[] {0, 0})),
                new ArrayList<>(List.of(syntheticHash("genesis", 0))));
    }

    static Hash syntheticHash(String tag, long height) {
        return Sha256.hash((tag + ":" + height).getBytes(StandardCharsets.UTF_8));
    }

    CheckpointVote sign(KeyPair k, long sourceEpoch, Hash source, long targetEpoch, Hash target, long chainId) {
        CheckpointVote unsigned = new CheckpointVote(sourceEpoch, source, targetEpoch, target, k.publicKey(), ValidatorSeal.UNSIGNED);
        return unsigned.withSignature(k.sign(VoteCodec.signingMessage(unsigned, chainId)));
    }

    /** A chain of blocks applied at the state level; block hashes are synthetic (tag and height). */
    static final class Branch {
        final PosTestKit kit;
        Map<Bytes, byte[]> data;
        String tag;
        long height;
        Hash tip;
        final List<long[]> slots; // {slot, index into hashes}
        final List<Hash> hashes;

        Branch(PosTestKit kit, Map<Bytes, byte[]> data, String tag, long height, Hash tip, List<long[]> slots, List<Hash> hashes) {
            this.kit = kit;
            this.data = data;
            this.tag = tag;
            this.height = height;
            this.tip = tip;
            this.slots = slots;
            this.hashes = hashes;
        }

        Branch fork(String newTag) {
            return new Branch(kit, new HashMap<>(data), newTag, height, tip, new ArrayList<>(slots), new ArrayList<>(hashes));
        }

        WorldState state() {
            return new WorldState(data::get);
        }

        long lastSlot() {
            return slots.getLast()[0];
        }

        KeyPair proposerAt(long slot) {
            return kit.keyOf(kit.engine.proposerAt(state(), slot).orElseThrow());
        }

        /** The header the rightful proposer of {@code slot} would make on this branch. */
        Header header(long slot, List<Vote> votes) {
            KeyPair p = proposerAt(slot);
            Hash reveal = kit.onions.get(p.address()).reveal(kit.engine.revealCount(state(), p.publicKey())).orElseThrow();
            return header(slot, p, reveal, votes);
        }

        Header header(long slot, KeyPair proposer, Hash reveal, List<Vote> votes) {
            ValidatorSeal seal = new ValidatorSeal(slot, proposer.publicKey(), reveal, votes, ValidatorSeal.UNSIGNED);
            return new Header(height + 1, tip, kit.params.slotStart(slot), Hash.ZERO, Hash.ZERO, proposer.address(), 0, seal);
        }

        /** Applies {@code h}'s begin-block; on success the branch moves to it. */
        Hash apply(Header h) throws Rejection {
            WorldState ws = state();
            kit.engine.beginBlock(ws, h);
            ws.writes().forEach((k, v) -> {
                if (v == null) data.remove(k);
                else data.put(k, v);
            });
            height++;
            tip = syntheticHash(tag, height);
            hashes.add(tip);
            slots.add(new long[] {((ValidatorSeal) h.seal()).slot(), hashes.size() - 1});
            return tip;
        }

        Hash extend(long slot, List<Vote> votes) throws Rejection {
            return apply(header(slot, votes));
        }

        Hash extend(long slot) throws Rejection {
            return extend(slot, List.of());
        }

        /** The checkpoint hash of {@code epoch} on this branch: the last block with slot at most the epoch's first slot. */
        Hash checkpoint(long epoch) {
            long first = kit.params.firstSlot(epoch);
            Hash h = hashes.getFirst();
            for (long[] s : slots) if (s[0] <= first) h = hashes.get((int) s[1]);
            return h;
        }

        Checkpoint justified() {
            Checkpoint j = kit.engine.justified(state());
            return j.hash().equals(Hash.ZERO) ? new Checkpoint(0, new io.maaschain.consensus.BlockRef(0, hashes.getFirst())) : j;
        }

        /** {@code k}'s honest vote for {@code epoch} on this branch. */
        CheckpointVote vote(KeyPair k, long epoch) {
            Checkpoint j = justified();
            return kit.sign(k, j.epoch(), j.hash(), epoch, checkpoint(epoch), kit.params.chainId());
        }

        FinalityRecord finality() {
            return PosState.finality(state());
        }
    }
}
