package io.maaschain.chain;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The votes that made {@code block} final by this node's consensus decision (bft: +2/3 precommits), stored with the
 * block. Every other block's commit travels in its child's seal; the head's exists nowhere else, and a proposer of the
 * next height needs it: without it a network whose validators all restarted could never build the next block.
 *
 * <p>Stored layout: block hash (32 bytes), u16 vote count (at most {@link ValidatorSeal#MAX_VOTES}), then each vote in
 * its canonical encoding (docs/consensus.md, "Votes").
 */
public record CommitCertificate(Hash block, List<Vote> votes) {
    public CommitCertificate {
        votes = List.copyOf(votes);
        if (votes.size() > ValidatorSeal.MAX_VOTES) throw new IllegalArgumentException(votes.size() + " votes, limit " + ValidatorSeal.MAX_VOTES);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(Hash.LENGTH + 2 + votes.size() * VoteCodec.CHECKPOINT_LENGTH).raw(block.toBytes()).u16(votes.size());
        for (Vote v : votes) VoteCodec.write(w, v);
        return w.toByteArray();
    }

    public static CommitCertificate decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        Hash block = Hash.wrap(r.raw(Hash.LENGTH, "committed block"));
        int n = r.u16("commit vote count");
        if (n > ValidatorSeal.MAX_VOTES) throw new CodecException(n + " votes in a commit, limit " + ValidatorSeal.MAX_VOTES);
        List<Vote> votes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) votes.add(VoteCodec.read(r));
        r.expectEnd();
        return new CommitCertificate(block, votes);
    }
}
