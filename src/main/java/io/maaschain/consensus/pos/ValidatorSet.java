package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validators of one epoch with their stake, fixed for the whole epoch, and the RANDAO seed its proposer schedule
 * is drawn from. {@code votingTotal} is the stake snapshotted at the epoch's start: the FFG threshold stays 2/3 of it
 * even after a slashed member is removed, so removing a member can only make justification harder.
 * Members are sorted by address, the order of the proposer draw.
 */
public record ValidatorSet(long epoch, Hash seed, long votingTotal, List<Member> members) {
    public record Member(PublicKey key, long stake) {
        public Member {
            Objects.requireNonNull(key, "key");
            if (stake <= 0) throw new IllegalArgumentException("a member's stake must be positive");
        }

        public Address address() {
            return key.address();
        }
    }

    public ValidatorSet {
        Objects.requireNonNull(seed, "seed");
        members = List.copyOf(members);
        if (epoch < 0 || votingTotal < 0) throw new IllegalArgumentException("negative epoch or total");
    }

    public ValidatorSet withEpoch(long e) {
        return new ValidatorSet(e, seed, votingTotal, members);
    }

    public Optional<Member> member(Address a) {
        for (Member m : members) if (m.address().equals(a)) return Optional.of(m);
        return Optional.empty();
    }

    public ValidatorSet without(Address a) {
        return new ValidatorSet(epoch, seed, votingTotal, members.stream().filter(m -> !m.address().equals(a)).toList());
    }

    /** The stake of the members still in the set (the proposer draw's range). */
    public long activeStake() {
        long sum = 0;
        for (Member m : members) sum = Math.addExact(sum, m.stake());
        return sum;
    }

    /**
     * The proposer of {@code slot}: SHA-256(seed || slot as u64) read as an unsigned big-endian number, modulo the active
     * stake, picks a point on the members' stakes laid end to end in address order. Empty if the set has no members.
     */
    public Optional<Member> proposer(long slot) {
        long total = activeStake();
        if (total == 0) return Optional.empty();
        byte[] msg = new ByteWriter(Hash.LENGTH + 8).raw(seed.toBytes()).u64(slot).toByteArray();
        long point = new BigInteger(1, Sha256.hash(msg).toBytes()).mod(BigInteger.valueOf(total)).longValueExact();
        for (Member m : members) {
            if (point < m.stake()) return Optional.of(m);
            point -= m.stake();
        }
        throw new IllegalStateException("unreachable: the point lies within the total stake");
    }

    /** True if {@code stake} is at least two thirds of this epoch's voting total. */
    public boolean isSupermajority(long stake) {
        return BigInteger.valueOf(stake).multiply(BigInteger.valueOf(3)).compareTo(BigInteger.valueOf(votingTotal).shiftLeft(1)) >= 0;
    }

    void write(ByteWriter w) {
        w.u64(epoch).raw(seed.toBytes()).u64(votingTotal).u32(members.size());
        for (Member m : members) w.raw(m.key().toBytes()).u64(m.stake());
    }

    static ValidatorSet read(ByteReader r) {
        long epoch = r.u63("set epoch");
        Hash seed = Hash.wrap(r.raw(Hash.LENGTH, "set seed"));
        long total = r.u63("voting total");
        long n = r.u32("member count");
        List<Member> members = new ArrayList<>((int) Math.min(n, 1024));
        for (long i = 0; i < n; i++) members.add(new Member(PublicKey.wrap(r.raw(PublicKey.LENGTH, "member key")), r.u63("member stake")));
        return new ValidatorSet(epoch, seed, total, members);
    }
}
