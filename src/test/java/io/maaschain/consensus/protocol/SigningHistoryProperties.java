package io.maaschain.consensus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.crypto.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SigningHistoryProperties {
    static final KeyPair KEY = KeyPair.fromSeed(new byte[32]);

    static Arbitrary<Hash> hashes() {
        return Arbitraries.integers().between(0, 2).map(i -> {
            byte[] b = new byte[32];
            b[0] = i.byteValue();
            return Hash.wrap(b);
        });
    }

    @Provide
    Arbitrary<List<Vote>> requests() {
        Arbitrary<Vote> checkpoint = Combinators.combine(Arbitraries.longs().between(0, 5), hashes(), Arbitraries.longs().between(1, 4), hashes())
                .as((s, sh, d, th) -> new CheckpointVote(s, sh, s + d, th, KEY.publicKey(), ValidatorSeal.UNSIGNED));
        Arbitrary<Vote> round = Combinators.combine(Arbitraries.of(RoundVote.Step.values()), Arbitraries.longs().between(1, 3),
                        Arbitraries.integers().between(0, 2), hashes())
                .as((st, h, r, bh) -> new RoundVote(st, h, r, bh, KEY.publicKey(), ValidatorSeal.UNSIGNED));
        Arbitrary<Vote> proposal = Combinators.combine(Arbitraries.longs().between(1, 3), Arbitraries.longs().between(0, 2), hashes())
                .as((h, sl, d) -> new ProposalSignature(h, sl, d, KEY.publicKey(), ValidatorSeal.UNSIGNED));
        return Arbitraries.oneOf(checkpoint, round, proposal).list().ofMaxSize(40);
    }

    /** Whatever is asked, in whatever order, across restarts (re-loading the encoded history), nothing signed conflicts. */
    @Property(tries = 500)
    void neverAdmitsTwoConflictingStatements(@ForAll("requests") List<Vote> requests) {
        SigningHistory history = SigningHistory.EMPTY;
        List<Vote> signed = new ArrayList<>();
        for (Vote v : requests) {
            Optional<SigningHistory> next = history.admit(v);
            if (next.isEmpty()) continue;
            history = SigningHistory.decode(next.get().encode());
            signed.add(v);
        }
        for (Vote a : signed) for (Vote b : signed) assertThat(a.conflictsWith(b)).as("%s vs %s", a, b).isFalse();
    }

    @Property(tries = 200)
    void theSameStatementMayBeSignedAgain(@ForAll("requests") List<Vote> requests) {
        SigningHistory history = SigningHistory.EMPTY;
        for (Vote v : requests) {
            Optional<SigningHistory> next = history.admit(v);
            if (next.isEmpty()) continue;
            history = next.get();
            if (!(v instanceof CheckpointVote)) assertThat(history.admit(v)).contains(history);
        }
    }
}
