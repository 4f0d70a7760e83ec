package io.maaschain.state.smt;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Larger trees than the properties use, so that sorting and splitting run over thousands of keys per batch. */
class SparseMerkleTreeLargeTest {

    private static Hash h(long i) {
        return Sha256.hash(ByteBuffer.allocate(8).putLong(i).array());
    }

    @Test
    void manyMixedBatchesAgreeWithRebuildingFromScratch() {
        SplittableRandom random = new SplittableRandom(7);
        Map<Hash, Hash> model = new HashMap<>();
        for (int i = 0; i < 20_000; i++) model.put(h(i), h(-i - 1));
        SparseMerkleTree tree = SparseMerkleTree.build(model);
        SmtTestSupport.checkInvariants(tree);
        List<Hash> known = new ArrayList<>(model.keySet());

        for (int round = 0; round < 6; round++) {
            Map<Hash, Hash> changes = new HashMap<>();
            for (int j = 0; j < 4_000; j++) {
                int kind = random.nextInt(4);
                Hash key = kind == 0 ? h(1_000_000 + random.nextInt(50_000)) : known.get(random.nextInt(known.size()));
                changes.put(key, kind == 3 ? null : h(random.nextLong()));
            }
            tree = tree.update(changes);
            changes.forEach((k, v) -> {
                if (v == null) model.remove(k);
                else model.put(k, v);
            });
            assertThat(tree.size()).isEqualTo(model.size());
            assertThat(tree.root()).isEqualTo(SparseMerkleTree.build(model).root());
        }
        SmtTestSupport.checkInvariants(tree);
        SparseMerkleTree finalTree = tree;
        model.entrySet().stream().limit(500).forEach(e ->
                assertThat(finalTree.prove(e.getKey()).verifyInclusion(finalTree.root(), e.getKey(), e.getValue())).isTrue());
    }

    /** Sequential, low-entropy keys are legal input too: they give one long shared prefix and a deep tree. */
    @Test
    void keysThatAreSmallNumbersStillWork() {
        Map<Hash, Hash> entries = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            byte[] b = new byte[32];
            b[30] = (byte) (i >>> 8);
            b[31] = (byte) i;
            entries.put(Hash.wrap(b), h(i));
        }
        SparseMerkleTree tree = SparseMerkleTree.build(entries);
        SmtTestSupport.checkInvariants(tree);
        SparseMerkleTree oneByOne = SparseMerkleTree.empty();
        for (Map.Entry<Hash, Hash> e : entries.entrySet()) oneByOne = oneByOne.put(e.getKey(), e.getValue());
        assertThat(oneByOne.root()).isEqualTo(tree.root());
        Hash first = entries.keySet().iterator().next();
        assertThat(tree.prove(first).siblings().size()).isGreaterThan(240);
    }
}
