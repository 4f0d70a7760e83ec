package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.vote.CheckpointVote;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The FFG votes a branch has counted for one target epoch (state key 0x26 || epoch): who voted (each validator counts
 * once per target epoch) and the stake behind each source-to-target link.
 */
public record VoteTally(long targetEpoch, List<Address> voters, List<Link> links) {
    public record Link(long sourceEpoch, Hash sourceHash, Hash targetHash, long stake) {}

    public VoteTally {
        voters = List.copyOf(voters);
        links = List.copyOf(links);
    }

    public static VoteTally empty(long targetEpoch) {
        return new VoteTally(targetEpoch, List.of(), List.of());
    }

    public boolean hasVoted(Address a) {
        return voters.contains(a);
    }

    /** The tally with {@code vote} counted with {@code stake}; returns it and the link's new stake through {@link Counted}. */
    public Counted count(CheckpointVote vote, long stake) {
        List<Address> v = new ArrayList<>(voters);
        v.add(vote.validator().address());
        v.sort((x, y) -> Arrays.compareUnsigned(x.toBytes(), y.toBytes()));
        List<Link> l = new ArrayList<>();
        long linkStake = stake;
        boolean found = false;
        for (Link x : links) {
            if (x.sourceEpoch() == vote.sourceEpoch() && x.sourceHash().equals(vote.sourceHash()) && x.targetHash().equals(vote.targetHash())) {
                linkStake = Math.addExact(x.stake(), stake);
                l.add(new Link(x.sourceEpoch(), x.sourceHash(), x.targetHash(), linkStake));
                found = true;
            } else {
                l.add(x);
            }
        }
        if (!found) l.add(new Link(vote.sourceEpoch(), vote.sourceHash(), vote.targetHash(), stake));
        return new Counted(new VoteTally(targetEpoch, v, l), linkStake);
    }

    public record Counted(VoteTally tally, long linkStake) {}

    public byte[] encode() {
        ByteWriter w = new ByteWriter(16 + voters.size() * Address.LENGTH + links.size() * 80).u64(targetEpoch).u32(voters.size());
        voters.forEach(a -> w.raw(a.toBytes()));
        w.u32(links.size());
        links.forEach(x -> w.u64(x.sourceEpoch()).raw(x.sourceHash().toBytes()).raw(x.targetHash().toBytes()).u64(x.stake()));
        return w.toByteArray();
    }

    public static VoteTally decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        long epoch = r.u63("target epoch");
        long n = r.u32("voter count");
        List<Address> voters = new ArrayList<>();
        for (long i = 0; i < n; i++) voters.add(Address.wrap(r.raw(Address.LENGTH, "voter")));
        long m = r.u32("link count");
        List<Link> links = new ArrayList<>();
        for (long i = 0; i < m; i++) {
            links.add(new Link(r.u63("source epoch"), Hash.wrap(r.raw(Hash.LENGTH, "source hash")), Hash.wrap(r.raw(Hash.LENGTH, "target hash")),
                    r.u63("link stake")));
        }
        r.expectEnd();
        return new VoteTally(epoch, voters, links);
    }
}
