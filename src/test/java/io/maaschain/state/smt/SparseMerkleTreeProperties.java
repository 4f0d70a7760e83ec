package io.maaschain.state.smt;

import static io.maaschain.state.smt.SmtTestSupport.checkInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.Hash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SparseMerkleTreeProperties {

    @Provide
    Arbitrary<Map<Hash, Hash>> entries() {
        return SmtTestSupport.entries(40);
    }

    @Provide
    Arbitrary<List<Map<Hash, Hash>>> batches() {
        return SmtTestSupport.changes(25).list().ofMaxSize(8);
    }

    @Property
    void rootIsIndependentOfInsertionOrderAndBatching(@ForAll("entries") Map<Hash, Hash> entries, @ForAll Random random) {
        List<Map.Entry<Hash, Hash>> order = new ArrayList<>(entries.entrySet());
        Collections.shuffle(order, random);
        SparseMerkleTree oneByOne = SparseMerkleTree.empty();
        for (Map.Entry<Hash, Hash> e : order) oneByOne = oneByOne.put(e.getKey(), e.getValue());

        Collections.shuffle(order, random);
        SparseMerkleTree inBatches = SparseMerkleTree.empty();
        Map<Hash, Hash> batch = new HashMap<>();
        for (Map.Entry<Hash, Hash> e : order) {
            batch.put(e.getKey(), e.getValue());
            if (random.nextInt(4) == 0) {
                inBatches = inBatches.update(batch);
                batch = new HashMap<>();
            }
        }
        inBatches = inBatches.update(batch);

        assertThat(inBatches.root()).isEqualTo(oneByOne.root());
        assertThat(inBatches.size()).isEqualTo(oneByOne.size()).isEqualTo(entries.size());
        checkInvariants(oneByOne);
        checkInvariants(inBatches);
    }

    @Property
    void buildEqualsSuccessivePuts(@ForAll("entries") Map<Hash, Hash> entries) {
        SparseMerkleTree built = SparseMerkleTree.build(entries);
        SparseMerkleTree put = SparseMerkleTree.empty();
        for (Map.Entry<Hash, Hash> e : entries.entrySet()) put = put.put(e.getKey(), e.getValue());
        assertThat(built.root()).isEqualTo(put.root());
        assertThat(built.size()).isEqualTo(entries.size());
        checkInvariants(built);
        entries.forEach((k, v) -> assertThat(built.get(k)).contains(v));
    }

    @Property
    void deletionCollapsesToTheTreeThatNeverHadTheKeys(
            @ForAll("entries") Map<Hash, Hash> kept, @ForAll("entries") Map<Hash, Hash> extra, @ForAll Random random) {
        extra.keySet().removeAll(kept.keySet());
        Map<Hash, Hash> all = new HashMap<>(kept);
        all.putAll(extra);
        SparseMerkleTree full = SparseMerkleTree.build(all);
        Hash expected = SparseMerkleTree.build(kept).root();

        List<Hash> doomed = new ArrayList<>(extra.keySet());
        Collections.shuffle(doomed, random);
        SparseMerkleTree single = full;
        for (Hash k : doomed) {
            single = single.remove(k);
            checkInvariants(single);
        }
        SparseMerkleTree batch = full.update(SmtTestSupport.deletions(doomed));

        assertThat(single.root()).isEqualTo(expected);
        assertThat(batch.root()).isEqualTo(expected);
        assertThat(batch.size()).isEqualTo(kept.size());
        checkInvariants(batch);
        doomed.forEach(k -> assertThat(batch.get(k)).isEmpty());
    }

    /** Random batches of inserts, overwrites, no-op re-puts and deletions (of present and absent keys) against a map. */
    @Property
    void batchesAgreeWithAMapModelAndLeaveOldVersionsIntact(@ForAll("batches") List<Map<Hash, Hash>> batches) {
        Map<Hash, Hash> model = new HashMap<>();
        SparseMerkleTree tree = SparseMerkleTree.empty();
        List<SparseMerkleTree> versions = new ArrayList<>();
        List<Map<Hash, Hash>> snapshots = new ArrayList<>();
        for (Map<Hash, Hash> changes : batches) {
            tree = tree.update(changes);
            changes.forEach((k, v) -> {
                if (v == null) model.remove(k);
                else model.put(k, v);
            });
            checkInvariants(tree);
            assertThat(tree.size()).isEqualTo(model.size());
            assertThat(tree.root()).isEqualTo(SparseMerkleTree.build(model).root());
            for (Hash k : changes.keySet()) assertThat(tree.get(k)).isEqualTo(Optional.ofNullable(model.get(k)));
            versions.add(tree);
            snapshots.add(new HashMap<>(model));
        }
        for (int i = 0; i < versions.size(); i++) {
            SparseMerkleTree version = versions.get(i);
            Map<Hash, Hash> snapshot = snapshots.get(i);
            assertThat(version.root()).isEqualTo(SparseMerkleTree.build(snapshot).root());
            snapshot.forEach((k, v) -> assertThat(version.get(k)).contains(v));
        }
    }

    @Property
    void changesWithoutEffectReturnTheSameTree(@ForAll("entries") Map<Hash, Hash> entries, @ForAll("entries") Map<Hash, Hash> absent) {
        absent.keySet().removeAll(entries.keySet());
        SparseMerkleTree tree = SparseMerkleTree.build(entries);
        Map<Hash, Hash> noop = new HashMap<>(entries);
        absent.keySet().forEach(k -> noop.put(k, null));
        assertThat(tree.update(noop)).isSameAs(tree);
    }

    /** Path copying: the new version's nodes are the old version's plus exactly one freshly hashed node per change. */
    @Property
    void aBatchHashesEachNewNodeExactlyOnce(@ForAll("entries") Map<Hash, Hash> entries, @ForAll("batches") List<Map<Hash, Hash>> batches) {
        Node root = SparseMerkleTree.build(entries).rootNode();
        for (Map<Hash, Hash> changes : batches) {
            BatchUpdate batch = new BatchUpdate(changes);
            Node next = batch.apply(root);
            Set<Node> fresh = SmtTestSupport.nodes(next);
            fresh.removeAll(SmtTestSupport.nodes(root));
            assertThat(batch.hashCount()).isEqualTo(fresh.size());
            root = next;
        }
    }
}
