package io.maaschain.consensus.bft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BftProperties {
    @Provide
    Arbitrary<ValidatorSet> sets() {
        Arbitrary<ValidatorSet.Validator> validator = Arbitraries.bytes().array(byte[].class).ofSize(32)
                .flatMap(key -> Arbitraries.longs().between(1, 40).map(power -> new ValidatorSet.Validator(PublicKey.wrap(key), power)));
        return validator.list().ofMinSize(1).ofMaxSize(12).uniqueElements(ValidatorSet.Validator::key).map(ValidatorSet::new);
    }

    @Property
    void everyValidatorProposesInProportionToItsPower(@ForAll("sets") ValidatorSet set, @ForAll @LongRange(min = 0, max = 1L << 40) long start,
                                                       @ForAll @IntRange(min = 0, max = 5) int round) {
        long total = set.totalPower();
        Map<PublicKey, Long> turns = new HashMap<>();
        for (long s = 0; s < total; s++) turns.merge(ProposerSchedule.proposer(set, start + s, round), 1L, Long::sum);
        for (ValidatorSet.Validator v : set.validators()) assertThat(turns.get(v.key())).isEqualTo(v.power());
        // The same inputs give the same proposer, and (height + 1, round) is (height, round + 1).
        assertThat(ProposerSchedule.proposer(set, start, round)).isEqualTo(ProposerSchedule.proposer(set, start, round));
        assertThat(ProposerSchedule.proposer(set, start + 1, round)).isEqualTo(ProposerSchedule.proposer(set, start, round + 1));
    }

    @Property
    void withEqualPowerEveryValidatorGetsATurnWithinOneRoundPerValidator(@ForAll @IntRange(min = 1, max = 40) int n,
                                                                         @ForAll @LongRange(min = 1, max = 1L << 40) long height) {
        List<ValidatorSet.Validator> vs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[32];
            key[0] = (byte) i;
            vs.add(new ValidatorSet.Validator(PublicKey.wrap(key), 7));
        }
        ValidatorSet set = new ValidatorSet(vs);
        java.util.Set<PublicKey> seen = new java.util.HashSet<>();
        for (int r = 0; r < n; r++) seen.add(ProposerSchedule.proposer(set, height, r));
        assertThat(seen).hasSize(n);
    }

    @Property
    void validatorSetsRoundTripAndRejectNonCanonicalEncodings(@ForAll("sets") ValidatorSet set) {
        assertThat(ValidatorSet.decode(set.encode())).isEqualTo(set);
        if (set.size() > 1) {
            byte[] enc = set.encode();
            byte[] swapped = enc.clone();
            System.arraycopy(enc, 2 + 40, swapped, 2, 40);
            System.arraycopy(enc, 2, swapped, 2 + 40, 40);
            assertThatThrownBy(() -> ValidatorSet.decode(swapped)).isInstanceOf(CodecException.class);
        }
        byte[] trailing = java.util.Arrays.copyOf(set.encode(), set.encode().length + 1);
        assertThatThrownBy(() -> ValidatorSet.decode(trailing)).isInstanceOf(CodecException.class);
    }

    @Property
    void aQuorumAndAThirdAreStrict(@ForAll("sets") ValidatorSet set) {
        long total = set.totalPower();
        for (long p = 0; p <= total; p++) {
            assertThat(set.isQuorum(p)).isEqualTo(3 * p > 2 * total);
            // Two quorums always share more than a third: the overlap that makes conflicting commits impossible.
            if (set.isQuorum(p)) assertThat(set.exceedsOneThird(2 * p - total)).isTrue();
        }
    }
}
