package io.maaschain.state.smt;

import static io.maaschain.state.smt.SmtTestSupport.key;
import static io.maaschain.state.smt.SmtTestSupport.leafHash;
import static io.maaschain.state.smt.SmtTestSupport.nodeHash;
import static io.maaschain.state.smt.SmtTestSupport.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Small trees whose roots are computed by hand from the hashing rules, pinning the specification. */
class SparseMerkleTreeKnownAnswerTest {
    private static final Hash V1 = utf8("v1");
    private static final Hash V2 = utf8("v2");
    private static final Hash V3 = utf8("v3");

    @Test
    void emptyTreeHasZeroRootAndProvesEverythingAbsent() {
        SparseMerkleTree t = SparseMerkleTree.empty();
        assertThat(t.root()).isEqualTo(Hash.ZERO);
        assertThat(t.size()).isZero();
        SmtProof p = t.prove(key(0x12, 0x34));
        assertThat(p).isEqualTo(new SmtProof(List.of(), Optional.empty()));
        assertThat(p.verifyNonInclusion(Hash.ZERO, key(0x12, 0x34))).isTrue();
        assertThat(p.encode()).containsExactly(0, 0, 0);
    }

    @Test
    void oneLeafIsTheRoot() {
        Hash k = key(0x80, 0x01);
        SparseMerkleTree t = SparseMerkleTree.empty().put(k, V1);
        assertThat(t.root()).isEqualTo(leafHash(k, V1));
        SmtProof p = t.prove(k);
        assertThat(p.siblings()).isEmpty();
        assertThat(p.verifyInclusion(t.root(), k, V1)).isTrue();
        // Any other key ends its path at that same leaf: a non-inclusion proof with no siblings.
        assertThat(t.prove(key(0x00, 0x00)).verifyNonInclusion(t.root(), key(0x00, 0x00))).isTrue();
    }

    @Test
    void twoLeavesDifferingInBitZeroHangBelowTheRoot() {
        Hash left = key(0x00, 0x00);
        Hash right = key(0x80, 0x00);
        SparseMerkleTree t = SparseMerkleTree.build(Map.of(left, V1, right, V2));
        assertThat(t.root()).isEqualTo(nodeHash(leafHash(left, V1), leafHash(right, V2)));
        assertThat(t.prove(left).siblings()).containsExactly(leafHash(right, V2));
        assertThat(t.prove(right).siblings()).containsExactly(leafHash(left, V1));
    }

    @Test
    void twoLeavesSharingBitZeroSitOneLevelDeeperBesideAnEmptySubtree() {
        Hash a = key(0x00, 0x00); // 00...
        Hash b = key(0x40, 0x00); // 01...
        SparseMerkleTree t = SparseMerkleTree.build(Map.of(a, V1, b, V2));
        Hash inner = nodeHash(leafHash(a, V1), leafHash(b, V2));
        assertThat(t.root()).isEqualTo(nodeHash(inner, Hash.ZERO));
        assertThat(t.prove(a).siblings()).containsExactly(Hash.ZERO, leafHash(b, V2));
        // A key starting with bit 1 ends in the empty right subtree after one level.
        Hash absent = key(0xC0, 0x00);
        SmtProof p = t.prove(absent);
        assertThat(p).isEqualTo(new SmtProof(List.of(inner), Optional.empty()));
        assertThat(p.verifyNonInclusion(t.root(), absent)).isTrue();
    }

    @Test
    void threeLeavesAndDeletionLiftsTheSurvivor() {
        Hash a = key(0x00, 0x00); // 00...
        Hash b = key(0x40, 0x00); // 01...
        Hash c = key(0x80, 0x00); // 1...
        SparseMerkleTree t = SparseMerkleTree.empty().put(c, V3).put(b, V2).put(a, V1);
        assertThat(t.root()).isEqualTo(nodeHash(nodeHash(leafHash(a, V1), leafHash(b, V2)), leafHash(c, V3)));

        SparseMerkleTree withoutB = t.remove(b);
        assertThat(withoutB.root()).isEqualTo(nodeHash(leafHash(a, V1), leafHash(c, V3)));
        assertThat(withoutB.size()).isEqualTo(2);
        assertThat(withoutB.remove(c).root()).isEqualTo(leafHash(a, V1));
        assertThat(withoutB.remove(c).remove(a).root()).isEqualTo(Hash.ZERO);
        // The old version is untouched.
        assertThat(t.get(b)).contains(V2);
    }

    @Test
    void keysDifferingOnlyInTheLastBitNeedAllTwoHundredFiftySixLevels() {
        Hash a = key(0x00, 0x00);
        Hash b = key(0x00, 0x01);
        SparseMerkleTree t = SparseMerkleTree.build(Map.of(a, V1, b, V2));
        Hash expected = nodeHash(leafHash(a, V1), leafHash(b, V2));
        for (int depth = 254; depth >= 0; depth--) expected = nodeHash(expected, Hash.ZERO);
        assertThat(t.root()).isEqualTo(expected);

        SmtProof p = t.prove(b);
        assertThat(p.siblings()).hasSize(SmtProof.MAX_SIBLINGS);
        assertThat(p.siblings().getLast()).isEqualTo(leafHash(a, V1));
        assertThat(p.verifyInclusion(t.root(), b, V2)).isTrue();
        assertThat(SmtProof.decode(p.encode())).isEqualTo(p);

        SparseMerkleTree single = t.remove(a);
        assertThat(single.root()).isEqualTo(leafHash(b, V2));
        SmtTestSupport.checkInvariants(single);
    }

    /**
     * The worked example of docs/spec-smt.md, with literal hex so that the document and the code cannot drift
     * apart: keys SHA-256("alice"), ("bob"), ("carol"), ("victor"), values SHA-256("v1") .. ("v4").
     */
    @Test
    void workedExampleOfTheSpecification() {
        Hash alice = utf8("alice");
        Hash bob = utf8("bob");
        Hash carol = utf8("carol");
        Hash victor = utf8("victor");
        Hash v4 = utf8("v4");
        SparseMerkleTree t = SparseMerkleTree.build(Map.of(alice, V1, bob, V2, carol, V3, victor, v4));

        Hash leafAlice = hex("6c974af30d727d1905e4cb77cd6351fe20145a79f0c010f68654b73863a6dd32");
        Hash leafBob = hex("e288aa9a089bfdd3f0e2fd848a5127ce87e665a182580beb82d9e736ccf0c7ac");
        Hash leafCarol = hex("c827a7d578976e7871c7d75efbe5d80d41e09a220ac17fcbc837bba8fab244ce");
        Hash leafVictor = hex("6a8d84792072c4cf52a267bad7e04f4c1b2f6545804f6115e573bbff7ed5aadb");
        assertThat(leafHash(alice, V1)).isEqualTo(leafAlice);
        assertThat(leafHash(bob, V2)).isEqualTo(leafBob);
        assertThat(leafHash(carol, V3)).isEqualTo(leafCarol);
        assertThat(leafHash(victor, v4)).isEqualTo(leafVictor);
        Hash n0 = hex("f19fbc0a3d98da8849c5f830d855c3e79428e4479661a993d359e5fac1ce69b0");
        Hash n100 = hex("9e8949770be5170ec884a7861b0b18b5b9468d7476cbef912ed590c540d739e7");
        Hash n10 = hex("26cc83b0be0c03f729e5a96f8e4e49b96b477e3f5087c6d86c583d4a05a98699");
        Hash n1 = hex("3b6dd10e1de3f446f4e40f1d21ade4257958a702cf01f675d82da242012d9a60");
        Hash root = hex("85a7f1db73cdcd3dbf607c2773b694915e8cc68bfd9f45bf3c07a24ceab0aa41");
        assertThat(nodeHash(leafAlice, leafCarol)).isEqualTo(n0);
        assertThat(nodeHash(leafBob, leafVictor)).isEqualTo(n100);
        assertThat(nodeHash(n100, Hash.ZERO)).isEqualTo(n10);
        assertThat(nodeHash(n10, Hash.ZERO)).isEqualTo(n1);
        assertThat(nodeHash(n0, n1)).isEqualTo(root);
        assertThat(t.root()).isEqualTo(root);

        assertThat(Hex.encode(t.prove(victor).encode())).isEqualTo("0004"
                + "f19fbc0a3d98da8849c5f830d855c3e79428e4479661a993d359e5fac1ce69b0"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "e288aa9a089bfdd3f0e2fd848a5127ce87e665a182580beb82d9e736ccf0c7ac"
                + "01"
                + "99bde068af2d49ed7fc8b8fa79abe13a6059e0db320bb73459fd96624bb4b33f"
                + "8e38a1ea5c681c8e9a08f1af465f1f07d33d931de8f71af45ecbe957751c9a86");
        assertThat(Hex.encode(t.prove(utf8("dave")).encode())).isEqualTo("0002"
                + "3b6dd10e1de3f446f4e40f1d21ade4257958a702cf01f675d82da242012d9a60"
                + "6c974af30d727d1905e4cb77cd6351fe20145a79f0c010f68654b73863a6dd32"
                + "01"
                + "4c26d9074c27d89ede59270c0ac14b71e071b15239519f75474b2f3ba63481f5"
                + "e0d2747b9ab7abb6eb65e0373fa1b428a28bd6d8a2380106dcc080f58005ee14");
        assertThat(Hex.encode(t.prove(utf8("grace")).encode())).isEqualTo("0002"
                + "f19fbc0a3d98da8849c5f830d855c3e79428e4479661a993d359e5fac1ce69b0"
                + "26cc83b0be0c03f729e5a96f8e4e49b96b477e3f5087c6d86c583d4a05a98699"
                + "00");
        assertThat(t.prove(victor).verifyInclusion(root, victor, v4)).isTrue();
        assertThat(t.prove(utf8("dave")).verifyNonInclusion(root, utf8("dave"))).isTrue();
        assertThat(t.prove(utf8("grace")).verifyNonInclusion(root, utf8("grace"))).isTrue();
    }

    private static Hash utf8(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Hash hex(String s) {
        return Hash.fromHex(s);
    }

    @Test
    void updatesThatChangeNothingReturnTheSameTree() {
        SparseMerkleTree t = SparseMerkleTree.build(Map.of(key(1, 0), V1, key(2, 0), V2));
        assertThat(t.put(key(1, 0), V1)).isSameAs(t);
        assertThat(t.remove(key(3, 0))).isSameAs(t);
        assertThat(t.update(Collections.emptyMap())).isSameAs(t);
    }
}
