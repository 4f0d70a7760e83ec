package io.maaschain.state.smt;

import static io.maaschain.state.smt.SmtTestSupport.key;
import static io.maaschain.state.smt.SmtTestSupport.leafHash;
import static io.maaschain.state.smt.SmtTestSupport.nodeHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-made forgeries and malformed encodings. */
class SmtProofTest {
    private static final Hash V = key(0xAA, 0xAA);

    @Test
    void moreThan256SiblingsNeverVerify() {
        Hash k = key(0, 0);
        SmtProof tooLong = new SmtProof(Collections.nCopies(257, Hash.ZERO), SmtTestSupport.leaf(k, V));
        assertThat(tooLong.verifyInclusion(leafHash(k, V), k, V)).isFalse();
        assertThat(tooLong.verifyNonInclusion(Hash.ZERO, key(1, 0))).isFalse();
        assertThat(new SmtProof(Collections.nCopies(300, Hash.ZERO), Optional.empty()).verifyNonInclusion(Hash.ZERO, k)).isFalse();
        assertThatThrownBy(tooLong::encode).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A root in which a leaf sits off its key's path cannot come from a correct tree, but a verifier must not be
     * talked into a non-inclusion claim by one: the terminal leaf has to share the proven key's path prefix.
     */
    @Test
    void aTerminalLeafOffThePathIsRejected() {
        Hash stranger = key(0x80, 0); // path starts with bit 1
        Hash probe = key(0x00, 0); // path starts with bit 0
        Hash forgedRoot = nodeHash(leafHash(stranger, V), Hash.ZERO);
        SmtProof p = new SmtProof(List.of(Hash.ZERO), SmtTestSupport.leaf(stranger, V));
        assertThat(p.verifyNonInclusion(forgedRoot, probe)).isFalse();
        // The same fold with a leaf that does share the prefix is accepted, so the prefix rule is what rejected it.
        Hash neighbour = key(0x01, 0);
        SmtProof onPath = new SmtProof(List.of(Hash.ZERO), SmtTestSupport.leaf(neighbour, V));
        assertThat(onPath.verifyNonInclusion(nodeHash(leafHash(neighbour, V), Hash.ZERO), probe)).isTrue();
    }

    @Test
    void aNonInclusionProofCannotCarryTheKeyItself() {
        Hash k = key(0x10, 0);
        SparseMerkleTree t = SparseMerkleTree.empty().put(k, V);
        assertThat(t.prove(k).verifyNonInclusion(t.root(), k)).isFalse();
    }

    @Test
    void anInclusionClaimNeedsALeaf() {
        Hash a = key(0x00, 0);
        Hash b = key(0x40, 0);
        SparseMerkleTree t = SparseMerkleTree.build(Map.of(a, V, b, V));
        SmtProof absent = t.prove(key(0x80, 0));
        assertThat(absent.terminalLeaf()).isEmpty();
        assertThat(absent.verifyInclusion(t.root(), key(0x80, 0), V)).isFalse();
        assertThat(absent.verifyInclusion(t.root(), key(0x80, 0), Hash.ZERO)).isFalse();
    }

    @Test
    void decodingRejectsNonCanonicalInput() {
        assertThatThrownBy(() -> SmtProof.decode(new byte[0])).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> SmtProof.decode(Hex.decode("0101"))).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> SmtProof.decode(Hex.decode("000002"))).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> SmtProof.decode(Hex.decode("0101" + "00".repeat(32) + "00")))
                .isInstanceOf(CodecException.class).hasMessageContaining("257 siblings");
        assertThatThrownBy(() -> SmtProof.decode(Hex.decode("ffff"))).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> SmtProof.decode(Hex.decode("000001" + "00".repeat(63)))).isInstanceOf(CodecException.class);
        assertThat(SmtProof.decode(Hex.decode("000001" + "00".repeat(64))))
                .isEqualTo(new SmtProof(List.of(), SmtTestSupport.leaf(Hash.ZERO, Hash.ZERO)));
    }

    @Test
    void theLongestProofRoundTrips() {
        SmtProof p = new SmtProof(Collections.nCopies(256, V), SmtTestSupport.leaf(V, V));
        byte[] bytes = p.encode();
        assertThat(bytes).hasSize(2 + 256 * 32 + 1 + 64);
        assertThat(SmtProof.decode(bytes)).isEqualTo(p);
    }
}
