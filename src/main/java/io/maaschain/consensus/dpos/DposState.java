package io.maaschain.consensus.dpos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.BlockRef;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.VoteProducers;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the dpos engine keeps its state in the world state (prefixes 0x28-0x2E; docs/consensus-dpos.md, "State"), and the
 * encodings of its records. Everything the engine decides from is here, so it is covered by the state root, survives
 * restarts and is undone by reorganisations. Lists are kept sorted by address bytes, so every node iterates them alike.
 */
public final class DposState {
    static final int CANDIDATE = 0x28;
    static final int CANDIDATE_INDEX = 0x29;
    static final int VOTER = 0x2A;
    static final int SCHEDULE = 0x2B;
    static final int MISSED = 0x2C;
    static final int FINALITY = 0x2D;
    static final int ANCESTOR = 0x2E;
    private static final int MAX_LIST = 1 << 20;

    private DposState() {}

    /** A registered producer candidate and the stake that approves it (sum of its voters' bonded stake). */
    public record Candidate(PublicKey key, String url, long approval) {
        byte[] encode() {
            return new ByteWriter(64 + url.length()).raw(key.toBytes()).string(url).u64(approval).toByteArray();
        }

        static Candidate decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            Candidate c = new Candidate(PublicKey.wrap(r.raw(PublicKey.LENGTH, "candidate key")),
                    r.string(RegisterProducer.MAX_URL_BYTES, "candidate url"), r.u63("approval"));
            r.expectEnd();
            return c;
        }
    }

    /** A voter's approval votes and the weight they were counted with (always its current bonded stake). */
    public record Voter(long weight, List<Address> votes) {
        public Voter {
            votes = List.copyOf(votes);
        }

        byte[] encode() {
            ByteWriter w = new ByteWriter(8 + 2 + votes.size() * Address.LENGTH).u64(weight).u16(votes.size());
            votes.forEach(a -> w.raw(a.toBytes()));
            return w.toByteArray();
        }

        static Voter decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            long weight = r.u63("voter weight");
            int n = r.u16("vote count");
            if (n > VoteProducers.MAX_PRODUCERS) throw new io.maaschain.codec.CodecException("too many votes in a voter record");
            List<Address> votes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) votes.add(Address.wrap(r.raw(Address.LENGTH, "voted producer")));
            r.expectEnd();
            return new Voter(weight, votes);
        }
    }

    /**
     * The producer schedule: the active schedule and the round it started, the slot of the newest block, and the
     * pending schedule (empty if none) with the height of the block that computed it.
     */
    public record Schedule(long roundStart, long lastSlot, List<PublicKey> active, List<PublicKey> pending, long pendingHeight) {
        public Schedule {
            active = List.copyOf(active);
            pending = List.copyOf(pending);
            if (active.isEmpty()) throw new IllegalArgumentException("empty active schedule");
        }

        byte[] encode() {
            ByteWriter w = new ByteWriter(64 + 32 * (active.size() + pending.size())).u64(roundStart).u64(lastSlot).u64(pendingHeight);
            w.u16(active.size());
            active.forEach(k -> w.raw(k.toBytes()));
            w.u16(pending.size());
            pending.forEach(k -> w.raw(k.toBytes()));
            return w.toByteArray();
        }

        static Schedule decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            long roundStart = r.u63("round start");
            long lastSlot = r.u63("last slot");
            long pendingHeight = r.u63("pending height");
            List<PublicKey> active = keys(r);
            List<PublicKey> pending = keys(r);
            r.expectEnd();
            return new Schedule(roundStart, lastSlot, active, pending, pendingHeight);
        }

        private static List<PublicKey> keys(ByteReader r) {
            int n = r.u16("schedule size");
            if (n > DposParams.MAX_ACTIVE_PRODUCERS) throw new io.maaschain.codec.CodecException("schedule too large");
            List<PublicKey> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(PublicKey.wrap(r.raw(PublicKey.LENGTH, "scheduled producer")));
            return out;
        }

        public boolean hasPending() {
            return !pending.isEmpty();
        }

        /** The slots of one round of the active schedule. */
        public long roundLength(int blocksPerProducer) {
            return (long) active.size() * blocksPerProducer;
        }
    }

    /** Votes for one target block, from the current justified checkpoint: the active producers that signed them. */
    public record Tally(long height, Hash hash, List<Address> voters) {
        public Tally {
            voters = List.copyOf(voters);
        }
    }

    /**
     * The FFG view of this branch: the justified checkpoint every counted vote must use as its source, the newest
     * irreversible block, and the votes counted so far from the justified checkpoint, per target.
     */
    public record Finality(BlockRef justified, BlockRef irreversible, List<Tally> tallies) {
        public Finality {
            tallies = List.copyOf(tallies);
        }

        byte[] encode() {
            ByteWriter w = new ByteWriter(128).u64(justified.height()).raw(justified.hash().toBytes())
                    .u64(irreversible.height()).raw(irreversible.hash().toBytes()).u32(tallies.size());
            for (Tally t : tallies) {
                w.u64(t.height()).raw(t.hash().toBytes()).u16(t.voters().size());
                t.voters().forEach(a -> w.raw(a.toBytes()));
            }
            return w.toByteArray();
        }

        static Finality decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            BlockRef justified = new BlockRef(r.u63("justified height"), Hash.wrap(r.raw(Hash.LENGTH, "justified hash")));
            BlockRef irreversible = new BlockRef(r.u63("irreversible height"), Hash.wrap(r.raw(Hash.LENGTH, "irreversible hash")));
            long n = r.u32("tally count");
            if (n > MAX_LIST) throw new io.maaschain.codec.CodecException("too many tallies");
            List<Tally> tallies = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                long height = r.u63("tally height");
                Hash hash = Hash.wrap(r.raw(Hash.LENGTH, "tally hash"));
                int m = r.u16("tally voters");
                List<Address> voters = new ArrayList<>(m);
                for (int j = 0; j < m; j++) voters.add(Address.wrap(r.raw(Address.LENGTH, "tally voter")));
                tallies.add(new Tally(height, hash, voters));
            }
            r.expectEnd();
            return new Finality(justified, irreversible, tallies);
        }
    }

    // ---- keys

    static Bytes key(int prefix, Address a) {
        byte[] k = new byte[1 + Address.LENGTH];
        k[0] = (byte) prefix;
        System.arraycopy(a.toBytes(), 0, k, 1, Address.LENGTH);
        return Bytes.adopt(k);
    }

    static Bytes key(int prefix) {
        return Bytes.adopt(new byte[] {(byte) prefix});
    }

    static Bytes ancestorKey(long height) {
        return Bytes.adopt(new ByteWriter(9).u8(ANCESTOR).u64(height).toByteArray());
    }

    // ---- candidates

    public static Optional<Candidate> candidate(StateReader s, Address a) {
        byte[] v = s.get(key(CANDIDATE, a));
        return v == null ? Optional.empty() : Optional.of(Candidate.decode(v));
    }

    static void putCandidate(WorldState s, Candidate c) {
        Address a = c.key().address();
        boolean isNew = s.get(key(CANDIDATE, a)) == null;
        s.put(key(CANDIDATE, a), c.encode());
        if (isNew) {
            TreeSet<Address> index = new TreeSet<>(candidates(s));
            index.add(a);
            s.put(key(CANDIDATE_INDEX), encodeAddresses(index));
        }
    }

    static void removeCandidate(WorldState s, Address a) {
        if (s.get(key(CANDIDATE, a)) == null) return;
        s.delete(key(CANDIDATE, a));
        TreeSet<Address> index = new TreeSet<>(candidates(s));
        index.remove(a);
        s.put(key(CANDIDATE_INDEX), encodeAddresses(index));
    }

    /**
     * Registered candidates, in ascending address order. Registration refuses a candidate beyond the genesis
     * {@code maxCandidates} (at most {@link DposParams#MAX_CANDIDATES}), so the length check here guards decoding only.
     */
    public static List<Address> candidates(StateReader s) {
        byte[] v = s.get(key(CANDIDATE_INDEX));
        if (v == null) return List.of();
        ByteReader r = new ByteReader(v);
        long n = r.u32("candidate count");
        if (n > DposParams.MAX_CANDIDATES) throw new io.maaschain.codec.CodecException("too many candidates");
        List<Address> out = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) out.add(Address.wrap(r.raw(Address.LENGTH, "candidate")));
        r.expectEnd();
        return out;
    }

    /** How many candidates are registered (reads only the index's count). */
    static long candidateCount(StateReader s) {
        byte[] v = s.get(key(CANDIDATE_INDEX));
        return v == null ? 0 : new ByteReader(v).u32("candidate count");
    }

    static byte[] encodeAddresses(java.util.Collection<Address> sorted) {
        ByteWriter w = new ByteWriter(4 + sorted.size() * Address.LENGTH).u32(sorted.size());
        sorted.forEach(a -> w.raw(a.toBytes()));
        return w.toByteArray();
    }

    // ---- voters

    public static Optional<Voter> voter(StateReader s, Address a) {
        byte[] v = s.get(key(VOTER, a));
        return v == null ? Optional.empty() : Optional.of(Voter.decode(v));
    }

    static void putVoter(WorldState s, Address a, Voter v) {
        if (v.votes().isEmpty()) s.delete(key(VOTER, a));
        else s.put(key(VOTER, a), v.encode());
    }

    // ---- schedule

    public static Schedule schedule(StateReader s) {
        byte[] v = s.get(key(SCHEDULE));
        if (v == null) throw new IllegalStateException("this state has no dpos schedule: is the chain's engine dpos?");
        return Schedule.decode(v);
    }

    static void putSchedule(WorldState s, Schedule schedule) {
        s.put(key(SCHEDULE), schedule.encode());
    }

    // ---- missed slots

    /** Missed slots per producer since genesis, in ascending address order. */
    public static Map<Address, Long> missedSlots(StateReader s) {
        byte[] v = s.get(key(MISSED));
        TreeMap<Address, Long> out = new TreeMap<>();
        if (v == null) return out;
        ByteReader r = new ByteReader(v);
        long n = r.u32("missed count");
        if (n > MAX_LIST) throw new io.maaschain.codec.CodecException("too many missed-slot counters");
        for (long i = 0; i < n; i++) out.put(Address.wrap(r.raw(Address.LENGTH, "producer")), r.u63("missed slots"));
        r.expectEnd();
        return out;
    }

    static void putMissedSlots(WorldState s, Map<Address, Long> missed) {
        TreeMap<Address, Long> sorted = new TreeMap<>(missed);
        ByteWriter w = new ByteWriter(4 + sorted.size() * 28).u32(sorted.size());
        sorted.forEach((a, n) -> w.raw(a.toBytes()).u64(n));
        s.put(key(MISSED), w.toByteArray());
    }

    // ---- finality

    public static Finality finality(StateReader s) {
        byte[] v = s.get(key(FINALITY));
        if (v == null) throw new IllegalStateException("this state has no dpos finality record");
        return Finality.decode(v);
    }

    static void putFinality(WorldState s, Finality f) {
        s.put(key(FINALITY), f.encode());
    }

    /** The hash of this branch's block at {@code height}, if still recorded (recent heights above the justified block). */
    public static Optional<Hash> ancestor(StateReader s, long height) {
        byte[] v = s.get(ancestorKey(height));
        return v == null ? Optional.empty() : Optional.of(Hash.wrap(v));
    }
}
