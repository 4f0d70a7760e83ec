package io.maaschain.simulation;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.Seal;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.ConsensusRules;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * HARNESS SELF-TEST ONLY, not a real engine: lets the simulation be developed and tested before the real engines land.
 * Validators propose in turn, one per slot. A block is final once {@code confirmations} distinct validators have
 * proposed blocks on top of it (all of them, by default). Evidence of a double proposal marks the proposer slashed.
 * With {@code confirmations = 1} it is deliberately unsafe (every block's parent is final), which proves the
 * simulation's safety check can fail.
 */
final class RoundRobinEngine implements ConsensusEngine {
    static final String KIND = "simtest";
    private static final byte PREFIX = 0x7E;
    private static final Bytes WINDOW = Bytes.of(new byte[] {PREFIX, 1});
    private static final Bytes FINAL = Bytes.of(new byte[] {PREFIX, 2});
    private static final int ENTRY = 8 + Hash.LENGTH + PublicKey.LENGTH;

    final List<PublicKey> validators;
    final long slotMillis;
    final int confirmations;
    final long genesisTime;
    final long chainId;

    RoundRobinEngine(List<PublicKey> validators, long slotMillis, int confirmations, long genesisTime, long chainId) {
        this.validators = List.copyOf(validators);
        this.slotMillis = slotMillis;
        this.confirmations = confirmations;
        this.genesisTime = genesisTime;
        this.chainId = chainId;
    }

    static RoundRobinEngine fromGenesis(Genesis g) {
        List<PublicKey> keys = new ArrayList<>();
        g.consensus().path("validators").forEach(k -> keys.add(PublicKey.fromHex(k.asText())));
        return new RoundRobinEngine(keys, g.consensus().path("slotMillis").asLong(), g.consensus().path("confirmations").asInt(),
                g.timestampMillis(), g.params().chainId());
    }

    PublicKey proposer(long slot) {
        return validators.get((int) (slot % validators.size()));
    }

    long slotAt(long millis) {
        return Math.max(0, (millis - genesisTime) / slotMillis);
    }

    long slotStart(long slot) {
        return genesisTime + slot * slotMillis;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Seal genesisSeal() {
        return new ValidatorSeal(0, validators.getFirst(), Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED);
    }

    @Override
    public Seal templateSeal(HeaderAncestry ancestry, long height) {
        throw new UnsupportedOperationException("the self-test protocol always gives its seal");
    }

    @Override
    public void validateSeal(Header header, HeaderAncestry ancestry) throws Rejection {
        if (!(header.seal() instanceof ValidatorSeal s)) throw new Rejection(RejectCode.INVALID_SEAL, "not a validator seal");
        long parentSlot = ((ValidatorSeal) ancestry.headerAt(header.height() - 1).seal()).slot();
        if (s.slot() <= parentSlot) throw new Rejection(RejectCode.INVALID_SEAL, "slot " + s.slot() + " does not follow " + parentSlot);
        if (!s.proposerKey().equals(proposer(s.slot())) || !s.proposerKey().address().equals(header.proposer())) {
            throw new Rejection(RejectCode.INVALID_SEAL, "wrong proposer for slot " + s.slot());
        }
        if (header.timestampMillis() < slotStart(s.slot())) throw new Rejection(RejectCode.INVALID_SEAL, "timestamp before its slot");
        if (!HeaderCodec.proposalSignature(header).verify(chainId)) throw new Rejection(RejectCode.INVALID_SEAL, "bad proposer signature");
    }

    @Override
    public BigInteger weight(Header header) {
        return BigInteger.ONE;
    }

    @Override
    public long blockReward(long height) {
        return 0;
    }

    private record Entry(long parentHeight, Hash parentHash, PublicKey proposer) {}

    /** Remembers who built on which parent, and moves the final block to the newest one enough distinct validators built on. */
    @Override
    public void beginBlock(WorldState state, Header header) {
        List<Entry> window = window(state);
        window.add(new Entry(header.height() - 1, header.parentHash(), ((ValidatorSeal) header.seal()).proposerKey()));
        while (window.size() > 2 * validators.size()) window.removeFirst();
        ByteWriter w = new ByteWriter(window.size() * ENTRY);
        for (Entry e : window) w.u64(e.parentHeight).raw(e.parentHash.toBytes()).raw(e.proposer.toBytes());
        state.put(WINDOW, w.toByteArray());
        Set<PublicKey> builders = new HashSet<>();
        for (int i = window.size() - 1; i >= 0; i--) {
            builders.add(window.get(i).proposer);
            if (builders.size() >= confirmations) {
                Entry e = window.get(i);
                if (finalizedIn(state).map(f -> f.height() < e.parentHeight).orElse(true)) {
                    state.put(FINAL, new ByteWriter(40).u64(e.parentHeight).raw(e.parentHash.toBytes()).toByteArray());
                }
                return;
            }
        }
    }

    private static List<Entry> window(StateReader state) {
        List<Entry> out = new ArrayList<>();
        byte[] raw = state.get(WINDOW);
        if (raw == null) return out;
        ByteReader r = new ByteReader(raw);
        while (r.remaining() > 0) {
            out.add(new Entry(r.u63("height"), Hash.wrap(r.raw(Hash.LENGTH, "hash")), PublicKey.wrap(r.raw(PublicKey.LENGTH, "key"))));
        }
        return out;
    }

    @Override
    public Optional<BlockRef> finalizedIn(StateReader state) {
        byte[] raw = state.get(FINAL);
        if (raw == null) return Optional.empty();
        ByteReader r = new ByteReader(raw);
        return Optional.of(new BlockRef(r.u63("height"), Hash.wrap(r.raw(Hash.LENGTH, "hash"))));
    }

    static Bytes slashedKey(PublicKey key) {
        return Bytes.of(new ByteWriter(34).u8(PREFIX).u8(3).raw(key.toBytes()).toByteArray());
    }

    @Override
    public ConsensusRules rules() {
        return (state, tx, height) -> {
            if (!(tx.payload() instanceof Evidence e)) {
                throw new Rejection(RejectCode.UNSUPPORTED_PAYLOAD, "the self-test engine takes only evidence");
            }
            Vote a, b;
            try {
                a = VoteCodec.decode(e.first());
                b = VoteCodec.decode(e.second());
            } catch (CodecException ex) {
                throw new Rejection(RejectCode.INVALID_EVIDENCE, ex.getMessage());
            }
            if (!a.conflictsWith(b) || !a.verify(chainId) || !b.verify(chainId)) throw new Rejection(RejectCode.INVALID_EVIDENCE, "no equivocation");
            if (!validators.contains(a.validator())) throw new Rejection(RejectCode.NOT_VALIDATOR, "not a validator");
            if (state.get(slashedKey(a.validator())) != null) throw new Rejection(RejectCode.INVALID_EVIDENCE, "already slashed");
            state.put(slashedKey(a.validator()), new byte[] {1});
        };
    }

    boolean isSlashed(StateReader state, PublicKey key) {
        return state.get(slashedKey(key)) != null;
    }
}
