package io.maaschain.state.smt;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The path from the root to where a key's path ends (docs/spec-smt.md). {@code siblings} is root-first: entry
 * {@code d} is the hash of the sibling of the depth-{@code d+1} node on the path, so the path ends at depth
 * {@code siblings.size()}. {@code terminalLeaf} is the leaf found there: the key itself (inclusion), another key
 * (non-inclusion), or empty when the path ends in an empty subtree (non-inclusion).
 *
 * <p>Any list is accepted so that forged proofs can be represented; the verifiers return false for every proof
 * that does not prove its statement, and never throw on one.
 */
public record SmtProof(List<Hash> siblings, Optional<SmtLeaf> terminalLeaf) {
    /** Keys have 256 bits, so no path is longer than 256 levels. */
    public static final int MAX_SIBLINGS = 256;

    public SmtProof {
        siblings = List.copyOf(siblings);
        Objects.requireNonNull(terminalLeaf, "terminalLeaf");
    }

    public boolean verifyInclusion(Hash root, Hash key, Hash valueHash) {
        if (terminalLeaf.isEmpty()) return false;
        SmtLeaf leaf = terminalLeaf.get();
        if (!leaf.key().equals(key) || !leaf.valueHash().equals(valueHash)) return false;
        return foldsTo(root, key, leaf.hash());
    }

    public boolean verifyNonInclusion(Hash root, Hash key) {
        if (siblings.size() > MAX_SIBLINGS) return false;
        Hash terminal = Hash.ZERO;
        if (terminalLeaf.isPresent()) {
            SmtLeaf leaf = terminalLeaf.get();
            // The leaf must sit on key's own path, or the proof would only show where some other key lives.
            if (leaf.key().equals(key) || !sharePrefix(leaf.key(), key, siblings.size())) return false;
            terminal = leaf.hash();
        }
        return foldsTo(root, key, terminal);
    }

    /** u16 sibling count, the siblings, then u8 0 (no leaf) or 1 followed by the leaf's key and value hash. */
    public byte[] encode() {
        if (siblings.size() > MAX_SIBLINGS) {
            throw new IllegalStateException(siblings.size() + " siblings cannot be encoded, limit " + MAX_SIBLINGS);
        }
        ByteWriter w = new ByteWriter(2 + Hash.LENGTH * siblings.size() + 1 + 2 * Hash.LENGTH);
        w.u16(siblings.size());
        for (Hash s : siblings) w.raw(s.toBytes());
        w.bool(terminalLeaf.isPresent());
        terminalLeaf.ifPresent(leaf -> w.raw(leaf.key().toBytes()).raw(leaf.valueHash().toBytes()));
        return w.toByteArray();
    }

    public static SmtProof decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int count = r.u16("sibling count");
        if (count > MAX_SIBLINGS) throw new CodecException(count + " siblings, limit " + MAX_SIBLINGS);
        List<Hash> siblings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) siblings.add(Hash.wrap(r.raw(Hash.LENGTH, "sibling")));
        Optional<SmtLeaf> leaf = Optional.empty();
        if (r.bool("terminal leaf flag")) {
            Hash key = Hash.wrap(r.raw(Hash.LENGTH, "leaf key"));
            Hash value = Hash.wrap(r.raw(Hash.LENGTH, "leaf value hash"));
            leaf = Optional.of(new SmtLeaf(key, value));
        }
        r.expectEnd();
        return new SmtProof(siblings, leaf);
    }

    private boolean foldsTo(Hash root, Hash key, Hash terminal) {
        int depth = siblings.size();
        if (depth > MAX_SIBLINGS) return false;
        Hash h = terminal;
        for (int d = depth - 1; d >= 0; d--) {
            Hash sibling = siblings.get(d);
            h = key.bit(d) == 0
                    ? Sha256.tagged(NodeHasher.BRANCH_TAG, h, sibling)
                    : Sha256.tagged(NodeHasher.BRANCH_TAG, sibling, h);
        }
        return h.equals(root);
    }

    private static boolean sharePrefix(Hash a, Hash b, int bits) {
        for (int i = 0; i < bits; i++) {
            if (a.bit(i) != b.bit(i)) return false;
        }
        return true;
    }
}
