package io.maaschain.consensus.light;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.CodecException;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever single byte a node changes in the headers or the head commit it serves, the bft light client never keeps a
 * header that is not the honest chain's: it refuses the answer, or keeps only honest headers it could still prove final.
 */
class LightTamperingProperties {
    static final BftTestChain CHAIN = BftTestChain.of(4, 5);
    static final long NOW = BftTestChain.T0 + 1_000_000;

    @Property(tries = 300)
    void aTamperedHeaderIsNeverKept(@ForAll @IntRange(min = 1, max = 5) int height, @ForAll @IntRange(min = 0, max = 100_000) int offset,
                                    @ForAll @IntRange(min = 1, max = 255) int xor) {
        List<ServedHeader> served = CHAIN.served(1, 5);
        ServedHeader target = served.get(height - 1);
        byte[] bytes = HeaderCodec.encode(target.header());
        bytes[offset % bytes.length] ^= (byte) xor;
        Header tampered;
        try {
            tampered = HeaderCodec.decode(bytes);
        } catch (CodecException | IllegalArgumentException e) {
            return; // the client decodes with the same strict codec: such bytes never become a header
        }
        served.set(height - 1, new ServedHeader(tampered, target.nextValidators(), target.nextValidatorsProof()));
        assertOnlyHonestHeadersKept(served, CHAIN.commits.get(5));
    }

    @Property(tries = 200)
    void aTamperedHeadCommitFinalisesNothingFalse(@ForAll @IntRange(min = 0, max = 3) int vote, @ForAll @IntRange(min = 0, max = 10_000) int offset,
                                                  @ForAll @IntRange(min = 1, max = 255) int xor) {
        List<Vote> commit = new ArrayList<>(CHAIN.commits.get(5));
        byte[] bytes = VoteCodec.encode(commit.get(vote));
        bytes[offset % bytes.length] ^= (byte) xor;
        try {
            commit.set(vote, VoteCodec.decode(bytes));
        } catch (CodecException | IllegalArgumentException e) {
            return;
        }
        assertOnlyHonestHeadersKept(CHAIN.served(1, 5), commit);
    }

    private static void assertOnlyHonestHeadersKept(List<ServedHeader> served, List<Vote> headCommit) {
        LightChain result;
        try {
            result = CHAIN.rules().extend(CHAIN.genesisChain(), served, headCommit, NOW);
        } catch (LightVerificationException refused) {
            return;
        }
        for (Header h : result.headers()) assertThat(h).isEqualTo(CHAIN.headers.get((int) h.height()));
    }
}
