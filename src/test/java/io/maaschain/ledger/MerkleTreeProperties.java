package io.maaschain.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.merkle.InclusionProof;
import io.maaschain.ledger.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MerkleTreeProperties {

    @Provide
    Arbitrary<List<Hash>> items() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hash::wrap).list().ofMinSize(1).ofMaxSize(70);
    }

    @Property(tries = 300)
    void everyLeafProofVerifies(@ForAll("items") List<Hash> items) {
        Hash root = MerkleTree.root(items);
        for (int i = 0; i < items.size(); i++) {
            assertThat(MerkleTree.prove(items, i).verify(items.get(i), root)).isTrue();
        }
    }

    @Property(tries = 300)
    void forgedProofsFail(@ForAll("items") List<Hash> items, @ForAll @IntRange(min = 0, max = 1000) int pick, @ForAll @IntRange(min = 0, max = 255) int bit) {
        int i = pick % items.size();
        Hash root = MerkleTree.root(items);
        InclusionProof proof = MerkleTree.prove(items, i);
        Hash other = Sha256.hash(items.get(i).toBytes());
        assertThat(proof.verify(other, root)).as("another item").isFalse();
        if (!proof.path().isEmpty()) {
            List<Hash> path = new ArrayList<>(proof.path());
            int at = bit % path.size();
            byte[] b = path.get(at).toBytes();
            b[bit / 8 % 32] ^= (byte) (1 << (bit % 8));
            path.set(at, Hash.wrap(b));
            assertThat(new InclusionProof(proof.index(), proof.treeSize(), path).verify(items.get(i), root)).as("altered sibling").isFalse();
            assertThat(new InclusionProof(proof.index(), proof.treeSize(), proof.path().subList(1, proof.path().size()))
                    .verify(items.get(i), root)).as("shortened path").isFalse();
        }
        if (items.size() > 1) {
            int j = (i + 1) % items.size();
            if (!items.get(j).equals(items.get(i))) {
                assertThat(new InclusionProof(j, proof.treeSize(), proof.path()).verify(items.get(i), root)).as("wrong index").isFalse();
            }
        }
    }

    @Property(tries = 200)
    void rootChangesWhenAnyItemChanges(@ForAll("items") List<Hash> items, @ForAll @IntRange(min = 0, max = 1000) int pick) {
        List<Hash> changed = new ArrayList<>(items);
        int i = pick % items.size();
        changed.set(i, Sha256.hash(items.get(i).toBytes()));
        assertThat(MerkleTree.root(changed)).isNotEqualTo(MerkleTree.root(items));
    }

    /** RFC 6962 structure pinned by hand: root of three leaves is node(node(l0, l1), l2). */
    @Example
    void knownAnswers() {
        assertThat(MerkleTree.EMPTY_ROOT.toHex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        Hash a = Hash.wrap(new byte[32]);
        Hash b = Sha256.hash(new byte[] {1});
        Hash c = Sha256.hash(new byte[] {2});
        Hash la = Sha256.hash(concat(new byte[] {0}, a.toBytes()));
        Hash lb = Sha256.hash(concat(new byte[] {0}, b.toBytes()));
        Hash lc = Sha256.hash(concat(new byte[] {0}, c.toBytes()));
        Hash ab = Sha256.hash(concat(new byte[] {1}, concat(la.toBytes(), lb.toBytes())));
        Hash expected = Sha256.hash(concat(new byte[] {1}, concat(ab.toBytes(), lc.toBytes())));
        assertThat(MerkleTree.root(List.of(a, b, c))).isEqualTo(expected);
        assertThat(MerkleTree.root(List.of(a))).isEqualTo(la);
        assertThat(Hex.encode(la.toBytes())).hasSize(64);
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
