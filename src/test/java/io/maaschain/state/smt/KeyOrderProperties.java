package io.maaschain.state.smt;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.Hash;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;

class KeyOrderProperties {

    /** Lists long enough to exercise the merge levels, with many keys tying on their first 64 bits. */
    @Provide
    Arbitrary<List<Hash>> keyLists() {
        return SmtTestSupport.keys().list().ofMaxSize(300).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 300)
    void sortsLikeHashCompareTo(@ForAll("keyLists") List<Hash> keys) {
        long[][] columns = new long[4][keys.size()];
        byte[] scratch = new byte[32];
        for (int i = 0; i < keys.size(); i++) Words.split(keys.get(i), columns, i, scratch);

        int[] order = KeyOrder.sort(columns, keys.size());

        List<Hash> sorted = new ArrayList<>();
        for (int i : order) sorted.add(keys.get(i));
        List<Hash> expected = new ArrayList<>(keys);
        expected.sort(null);
        assertThat(sorted).isEqualTo(expected);
        assertThat(order).doesNotHaveDuplicates();
    }
}
