package io.maaschain.state.smt;

import static io.maaschain.state.smt.SmtTestSupport.withBitFlipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SmtProofProperties {

    @Provide
    Arbitrary<Map<Hash, Hash>> entries() {
        return SmtTestSupport.entries(40);
    }

    @Provide
    Arbitrary<Map<Hash, Hash>> nonEmptyEntries() {
        return SmtTestSupport.entries(40).filter(m -> !m.isEmpty());
    }

    @Provide
    Arbitrary<Hash> keys() {
        return SmtTestSupport.keys();
    }

    @Provide
    Arbitrary<SmtProof> anyProof() {
        Arbitrary<List<Hash>> siblings = Arbitraries.oneOf(keys(), Arbitraries.just(Hash.ZERO)).list().ofMaxSize(SmtProof.MAX_SIBLINGS);
        Arbitrary<Optional<SmtLeaf>> leaf = keys().flatMap(k -> SmtTestSupport.values().map(v -> new SmtLeaf(k, v))).optional();
        return siblings.flatMap(s -> leaf.map(l -> new SmtProof(s, l)));
    }

    @Property
    void everyPresentKeyProvesInclusion(@ForAll("nonEmptyEntries") Map<Hash, Hash> entries) {
        SparseMerkleTree tree = SparseMerkleTree.build(entries);
        entries.forEach((k, v) -> {
            SmtProof p = tree.prove(k);
            assertThat(p.terminalLeaf()).contains(new SmtLeaf(k, v));
            assertThat(p.verifyInclusion(tree.root(), k, v)).isTrue();
            assertThat(p.verifyNonInclusion(tree.root(), k)).isFalse();
        });
    }

    @Property
    void everyAbsentKeyProvesNonInclusion(@ForAll("entries") Map<Hash, Hash> entries, @ForAll("keys") Hash key) {
        Assume.that(!entries.containsKey(key));
        SparseMerkleTree tree = SparseMerkleTree.build(entries);
        SmtProof p = tree.prove(key);
        assertThat(p.verifyNonInclusion(tree.root(), key)).isTrue();
        for (Hash v : entries.values()) assertThat(p.verifyInclusion(tree.root(), key, v)).isFalse();
        p.terminalLeaf().ifPresent(leaf -> assertThat(p.verifyInclusion(tree.root(), key, leaf.valueHash())).isFalse());
    }

    /** Any single change to a genuine proof (a sibling bit, the leaf, the path length) breaks it. */
    @Property
    void anAlteredProofFails(
            @ForAll("nonEmptyEntries") Map<Hash, Hash> entries,
            @ForAll("keys") Hash probe,
            @ForAll boolean usePresentKey,
            @ForAll @IntRange(min = 0, max = 7) int alteration,
            @ForAll @IntRange(min = 0, max = 1 << 20) int where) {
        SparseMerkleTree tree = SparseMerkleTree.build(entries);
        Hash key = usePresentKey ? entries.keySet().iterator().next() : probe;
        Hash value = entries.get(key);
        SmtProof genuine = tree.prove(key);
        List<Hash> s = new ArrayList<>(genuine.siblings());
        Optional<SmtLeaf> leaf = genuine.terminalLeaf();
        Hash other = withBitFlipped(key, where & 255);
        switch (alteration) {
            case 0 -> {
                Assume.that(!s.isEmpty());
                int i = where % s.size();
                s.set(i, withBitFlipped(s.get(i), where & 255));
            }
            case 1 -> {
                Assume.that(leaf.isPresent());
                leaf = SmtTestSupport.leaf(leaf.get().key(), withBitFlipped(leaf.get().valueHash(), where & 255));
            }
            case 2 -> {
                Assume.that(leaf.isPresent());
                leaf = SmtTestSupport.leaf(withBitFlipped(leaf.get().key(), where & 255), leaf.get().valueHash());
            }
            case 3 -> leaf = leaf.isPresent() ? Optional.empty() : SmtTestSupport.leaf(other, key);
            case 4 -> {
                Assume.that(!s.isEmpty());
                s.removeLast();
            }
            case 5 -> {
                Assume.that(!s.isEmpty());
                s.removeFirst();
            }
            case 6 -> s.add(Hash.ZERO);
            default -> s.addFirst(Hash.ZERO);
        }
        SmtProof forged = new SmtProof(s, leaf);
        assertThat(forged).isNotEqualTo(genuine);
        if (value != null) assertThat(forged.verifyInclusion(tree.root(), key, value)).isFalse();
        else assertThat(forged.verifyNonInclusion(tree.root(), key)).isFalse();
    }

    @Property
    void aProofIsBoundToItsValueAndRoot(
            @ForAll("nonEmptyEntries") Map<Hash, Hash> entries, @ForAll("keys") Hash otherKey, @ForAll("keys") Hash otherValue) {
        SparseMerkleTree tree = SparseMerkleTree.build(entries);
        Map.Entry<Hash, Hash> e = entries.entrySet().iterator().next();
        SmtProof p = tree.prove(e.getKey());
        Assume.that(!otherValue.equals(e.getValue()));
        assertThat(p.verifyInclusion(tree.root(), e.getKey(), otherValue)).isFalse();

        SparseMerkleTree changed = tree.put(otherKey, otherValue);
        Assume.that(!changed.root().equals(tree.root()));
        assertThat(p.verifyInclusion(changed.root(), e.getKey(), e.getValue())).isFalse();
        assertThat(p.verifyInclusion(withBitFlipped(tree.root(), 0), e.getKey(), e.getValue())).isFalse();
        if (!entries.containsKey(otherKey)) {
            assertThat(p.verifyInclusion(tree.root(), otherKey, e.getValue())).isFalse();
            assertThat(tree.prove(otherKey).verifyNonInclusion(changed.root(), otherKey)).isFalse();
        }
    }

    @Property
    void encodingRoundTripsForGenuineProofs(@ForAll("entries") Map<Hash, Hash> entries, @ForAll("keys") Hash key) {
        SmtProof p = SparseMerkleTree.build(entries).prove(key);
        byte[] bytes = p.encode();
        assertThat(SmtProof.decode(bytes)).isEqualTo(p);
        assertThat(bytes).hasSize(2 + 32 * p.siblings().size() + 1 + (p.terminalLeaf().isPresent() ? 64 : 0));
    }

    @Property
    void encodingRoundTripsForAnyProof(@ForAll("anyProof") SmtProof p) {
        assertThat(SmtProof.decode(p.encode())).isEqualTo(p);
    }

    /** Verification of arbitrary, well-formed but meaningless proofs answers false and never throws. */
    @Property
    void arbitraryProofsNeverThrow(@ForAll("anyProof") SmtProof p, @ForAll("keys") Hash root, @ForAll("keys") Hash key, @ForAll("keys") Hash value) {
        Assume.that(!root.equals(Hash.ZERO));
        assertThat(p.verifyInclusion(root, key, value)).isFalse();
        assertThat(p.verifyNonInclusion(root, key)).isFalse();
    }

    /** Decoding either yields the one proof whose encoding is exactly the input, or throws CodecException. */
    @Property
    void decodingRandomBytesIsStrict(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            assertThat(SmtProof.decode(bytes).encode()).isEqualTo(bytes);
        } catch (CodecException expected) {
            // the only permitted failure
        }
    }

    @Property
    void decodingTruncatedOrExtendedBytesThrows(@ForAll("anyProof") SmtProof p, @ForAll @IntRange(min = 0, max = 1 << 20) int cut, @ForAll byte extra) {
        byte[] bytes = p.encode();
        byte[] truncated = Arrays.copyOf(bytes, cut % bytes.length);
        assertThatThrownBy(() -> SmtProof.decode(truncated)).isInstanceOf(CodecException.class);
        byte[] extended = Arrays.copyOf(bytes, bytes.length + 1);
        extended[bytes.length] = extra;
        assertThatThrownBy(() -> SmtProof.decode(extended)).isInstanceOf(CodecException.class);
    }
}
