package io.maaschain.maas.artifact;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which accounts uploaded which artifact, and how many bytes each account holds against its quota: the stored
 * artifacts it uploaded (each counted once per uploader) plus its partial uploads. The uploaders of an artifact are kept
 * next to it in {@code <digest>.uploaders}: their 20-byte addresses, sorted, concatenated.
 */
final class AccountUsage {
    static final String SUFFIX = ".uploaders";
    private static final Logger LOG = LoggerFactory.getLogger(AccountUsage.class);

    private final BlobFiles files;
    private final long quota;
    private final ConcurrentHashMap<Address, AtomicLong> held = new ConcurrentHashMap<>();

    AccountUsage(BlobFiles files, long quota) {
        this.files = files;
        this.quota = quota;
    }

    long quota() {
        return quota;
    }

    /** Bytes {@code account} holds now. */
    long held(Address account) {
        AtomicLong a = held.get(account);
        return a == null ? 0 : a.get();
    }

    /** Counts {@code n} more bytes for {@code account}, refused with QUOTA_EXCEEDED (nothing counted) past its quota. */
    void charge(Address account, long n) {
        AtomicLong a = held.computeIfAbsent(account, k -> new AtomicLong());
        long after = a.addAndGet(n);
        if (n > 0 && after > quota) {
            a.addAndGet(-n);
            throw new ArtifactException(ArtifactException.Reason.QUOTA_EXCEEDED, "account " + account + " holds " + (after - n)
                    + " bytes of its quota of " + quota + "; " + n + " more do not fit");
        }
    }

    /** Counts bytes already on disk (found on open), whatever the quota. */
    void add(Address account, long n) {
        held.computeIfAbsent(account, k -> new AtomicLong()).addAndGet(n);
    }

    void release(Address account, long n) {
        AtomicLong a = held.get(account);
        if (a != null) a.addAndGet(-n);
    }

    /** The accounts that uploaded {@code digest}; empty for artifacts only the node itself stored. */
    Set<Address> uploaders(Hash digest) {
        Path p = files.sibling(digest, SUFFIX);
        Set<Address> out = new TreeSet<>();
        try {
            if (!Files.isRegularFile(p)) return out;
            byte[] b = Files.readAllBytes(p);
            if (b.length % Address.LENGTH != 0) throw new IOException("length " + b.length + " is not a whole number of addresses");
            for (int i = 0; i < b.length; i += Address.LENGTH) out.add(Address.wrap(Arrays.copyOfRange(b, i, i + Address.LENGTH)));
        } catch (IOException e) {
            LOG.warn("ignoring unreadable uploader record {}: {}", p, e.getMessage());
        }
        return out;
    }

    /** Records {@code account} as an uploader of {@code digest}; false if it already was one. */
    synchronized boolean record(Hash digest, Address account) throws IOException {
        Set<Address> all = uploaders(digest);
        if (!all.add(account)) return false;
        byte[] out = new byte[all.size() * Address.LENGTH];
        int i = 0;
        for (Address a : all) {
            System.arraycopy(a.toBytes(), 0, out, i, Address.LENGTH);
            i += Address.LENGTH;
        }
        BlobFiles.writeAtomically(files.sibling(digest, SUFFIX), out);
        return true;
    }

    /** On open: counts every stored artifact against each of its uploaders. */
    void load(Hash digest, long size) {
        for (Address a : uploaders(digest)) add(a, size);
    }

    /** The artifact is gone: its uploaders no longer hold its bytes. */
    synchronized void forget(Hash digest, long size) throws IOException {
        for (Address a : uploaders(digest)) release(a, size);
        Files.deleteIfExists(files.sibling(digest, SUFFIX));
    }
}
