package io.maaschain.state.smt;

import io.maaschain.crypto.Hash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Generators, an independent reference hash, and a structural invariant check shared by the SMT tests. */
final class SmtTestSupport {
    private SmtTestSupport() {}

    /** SHA-256 over the concatenation, computed without any production helper so the spec is checked independently. */
    static Hash sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) md.update(p);
            return Hash.wrap(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static Hash leafHash(Hash key, Hash value) {
        return sha256(new byte[] {0x00}, key.toBytes(), value.toBytes());
    }

    static Hash nodeHash(Hash left, Hash right) {
        return sha256(new byte[] {0x01}, left.toBytes(), right.toBytes());
    }

    /** A key whose first byte is {@code first} and last byte {@code last}, zeros between. */
    static Hash key(int first, int last) {
        byte[] b = new byte[32];
        b[0] = (byte) first;
        b[31] = (byte) last;
        return Hash.wrap(b);
    }

    static Hash withBitFlipped(Hash h, int bit) {
        byte[] b = h.toBytes();
        b[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
        return Hash.wrap(b);
    }

    /**
     * Keys that often share long prefixes, so deep paths, 256-level chains and empty siblings get exercised;
     * uniformly random keys alone would give shallow trees.
     */
    static Arbitrary<Hash> keys() {
        Arbitrary<Hash> random = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hash::wrap);
        Arbitrary<Hash> fewBits = Arbitraries.integers().between(0, 255).set().ofMaxSize(3).map(bits -> {
            byte[] b = new byte[32];
            for (int i : bits) b[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            return Hash.wrap(b);
        });
        Arbitrary<Hash> smallPrefixes = Arbitraries.integers().between(0, 7).flatMap(prefix ->
                Arbitraries.integers().between(0, 255).map(last -> key(prefix << 5, last)));
        return Arbitraries.frequencyOf(
                Tuple.of(3, random),
                Tuple.of(2, fewBits),
                Tuple.of(2, smallPrefixes));
    }

    /** Values from a tiny set, so re-putting an unchanged value happens often, mixed with random ones. */
    static Arbitrary<Hash> values() {
        Arbitrary<Hash> random = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hash::wrap);
        return Arbitraries.oneOf(random, Arbitraries.of(key(1, 1), key(2, 2), key(3, 3)));
    }

    static Arbitrary<Map<Hash, Hash>> entries(int maxSize) {
        return Arbitraries.maps(keys(), values()).ofMaxSize(maxSize);
    }

    /** Change sets where an empty Optional means "delete", converted to a null-permitting map. */
    static Arbitrary<Map<Hash, Hash>> changes(int maxSize) {
        return Arbitraries.maps(keys(), values().optional(0.7)).ofMaxSize(maxSize).map(m -> {
            Map<Hash, Hash> out = new HashMap<>();
            m.forEach((k, v) -> out.put(k, v.orElse(null)));
            return out;
        });
    }

    static Map<Hash, Hash> deletions(Iterable<Hash> keys) {
        Map<Hash, Hash> out = new HashMap<>();
        for (Hash k : keys) out.put(k, null);
        return out;
    }

    static Optional<SmtLeaf> leaf(Hash key, Hash value) {
        return Optional.of(new SmtLeaf(key, value));
    }

    /**
     * Checks every structural rule of docs/spec-smt.md: stored hashes match an independent recomputation, every
     * branch has at least two leaves below it (so a lone child is never a leaf), every leaf lies on its key's path,
     * and the leaf count equals size().
     */
    static void checkInvariants(SparseMerkleTree tree) {
        int[] path = new int[257];
        int leaves = check(tree.rootNode(), 0, path);
        if (leaves != tree.size()) throw new AssertionError("size " + tree.size() + " but " + leaves + " leaves");
        if (!Node.hashOf(tree.rootNode()).equals(tree.root())) throw new AssertionError("cached root differs");
    }

    private static int check(Node node, int depth, int[] path) {
        if (node == null) return 0;
        if (node instanceof LeafNode leaf) {
            Hash key = leaf.key();
            for (int i = 0; i < depth; i++) {
                if (key.bit(i) != path[i]) throw new AssertionError("leaf " + key + " off its path at bit " + i);
            }
            if (!leaf.hash().equals(leafHash(key, leaf.value()))) throw new AssertionError("bad leaf hash " + key);
            return 1;
        }
        BranchNode b = (BranchNode) node;
        if (depth >= 256) throw new AssertionError("branch at depth " + depth);
        path[depth] = 0;
        int l = check(b.left, depth + 1, path);
        path[depth] = 1;
        int r = check(b.right, depth + 1, path);
        if (l + r < 2) throw new AssertionError("branch at depth " + depth + " has " + (l + r) + " leaves");
        if ((b.left == null && b.right instanceof LeafNode) || (b.right == null && b.left instanceof LeafNode)) {
            throw new AssertionError("lone leaf not lifted at depth " + depth);
        }
        if (!b.hash().equals(nodeHash(Node.hashOf(b.left), Node.hashOf(b.right)))) {
            throw new AssertionError("bad branch hash at depth " + depth);
        }
        return l + r;
    }

    /** Nodes reachable from {@code root}, by identity. */
    static Set<Node> nodes(Node root) {
        Set<Node> out = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(root, out);
        return out;
    }

    private static void collect(Node node, Set<Node> out) {
        if (node == null || !out.add(node)) return;
        if (node instanceof BranchNode b) {
            collect(b.left, out);
            collect(b.right, out);
        }
    }
}
