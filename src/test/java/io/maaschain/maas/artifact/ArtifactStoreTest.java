package io.maaschain.maas.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
    static final int MIB = 1 << 20;
    static final long SIZE = 40L * MIB + 123; // 11 chunks of 4 MiB, the last one short
    static final long SEED = 42;

    @TempDir Path dir;
    ArtifactStore store;

    @BeforeEach
    void open() throws IOException {
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void roundTripOfAMultiChunkArtifactStreamsInConstantMemory() throws Exception {
        Hash digest = PatternStream.digest(SIZE, SEED);
        long before = allocatedBytes();
        StoredArtifact stored = store.put(digest, new PatternStream(SIZE, SEED));
        long allocated = allocatedBytes() - before;
        assertThat(allocated).as("bytes allocated while storing %d bytes", SIZE).isLessThan(12L * MIB);

        assertThat(stored.size()).isEqualTo(SIZE);
        ChunkManifest m = stored.manifest();
        assertThat(m.chunkCount()).isEqualTo(11);
        assertThat(m.chunkLength(10)).isEqualTo(123);
        assertThat(m.artifactDigest()).isEqualTo(digest);
        assertThat(store.contains(digest)).isTrue();
        assertThat(store.manifest(digest)).contains(m);
        assertThat(store.list()).containsExactly(digest);

        // The manifest is exactly what an independent pass over the same bytes gives, chunk by chunk.
        Path copy = PatternStream.writeFile(dir.resolve("copy.bin"), SIZE, SEED);
        assertThat(ArtifactStore.manifestOf(copy, ChunkManifest.DEFAULT_CHUNK_SIZE)).isEqualTo(m);
        try (FileChannel ch = FileChannel.open(copy)) {
            ByteBuffer b = ByteBuffer.allocate(4 * MIB);
            ch.read(b, 4L * MIB);
            assertThat(Sha256.hash(b.array())).isEqualTo(m.chunkHash(1));
        }

        // Reading back streams the same bytes.
        MessageDigest md = Sha256.newDigest();
        try (FileChannel ch = store.openChannel(digest)) {
            ByteBuffer b = ByteBuffer.allocate(MIB);
            while (ch.read(b) > 0) {
                md.update(b.flip());
                b.clear();
            }
        }
        assertThat(Hash.wrap(md.digest())).isEqualTo(digest);

        assertThat(store.verify(digest).ok()).isTrue();
        assertThat(store.verify(digest).actualDigest()).isEqualTo(digest);
        assertThat(store.verify(digest, m).ok()).isTrue();
        assertThat(store.find(digest).orElseThrow().manifest().hash()).isEqualTo(Sha256.hash(m.encode()));

        // Putting the same artifact again is a no-op.
        assertThat(store.put(digest, new PatternStream(SIZE, SEED)).manifest()).isEqualTo(m);
    }

    @Test
    void tamperingWithOneByteFailsVerificationNamingTheChunk() throws Exception {
        Hash digest = PatternStream.digest(SIZE, SEED);
        ChunkManifest pinned = store.put(digest, new PatternStream(SIZE, SEED)).manifest();
        long offset = 5L * 4 * MIB + 12345;
        flipByte(store.file(digest).orElseThrow(), offset);

        VerifyResult full = store.verify(digest);
        assertThat(full.ok()).isFalse();
        assertThat(full.badChunks()).singleElement().satisfies(f -> {
            assertThat(f.index()).isEqualTo(5);
            assertThat(f.offset()).isEqualTo(5L * 4 * MIB);
            assertThat(f.expected()).isEqualTo(pinned.chunkHash(5));
        });
        assertThat(full.actualDigest()).isNotEqualTo(digest);
        assertThat(full.describe()).contains("chunk 5 (bytes 20971520..25165823)");

        VerifyResult quick = store.verify(digest, pinned);
        assertThat(quick.ok()).isFalse();
        assertThat(quick.badChunks()).extracting(VerifyResult.ChunkFailure::index).containsExactly(5);

        assertThatThrownBy(() -> store.loadVerified(digest, Integer.MAX_VALUE - 8))
                .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.DIGEST_MISMATCH))
                .hasMessageContaining("chunk 5");
    }

    @Test
    void truncatedArtifactFailsVerification() throws Exception {
        Hash digest = PatternStream.digest(SIZE, SEED);
        ChunkManifest pinned = store.put(digest, new PatternStream(SIZE, SEED)).manifest();
        Path f = store.file(digest).orElseThrow();
        f.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(SIZE - 50);
        }
        VerifyResult r = store.verify(digest, pinned);
        assertThat(r.ok()).isFalse();
        assertThat(r.badChunks()).extracting(VerifyResult.ChunkFailure::index).containsExactly(10);
    }

    @Test
    void wrongDigestIsRefusedAndNothingIsStored() throws Exception {
        Hash wrong = Sha256.hash("something else".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.put(wrong, new PatternStream(9L * MIB, SEED)))
                .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.DIGEST_MISMATCH))
                .hasMessageContaining("nothing was stored");
        assertThat(store.contains(wrong)).isFalse();
        assertThat(filesUnder(store.root())).isEmpty();
        assertThat(store.resumeOffset(wrong)).isZero();
    }

    @Test
    void anInterruptedUploadResumesFromItsLastWholeChunkEvenAfterARestart() throws Exception {
        Hash digest = PatternStream.digest(SIZE, SEED);
        long cut = 10L * MIB + 777;
        try (ArtifactUpload u = store.beginUpload(digest, 0)) {
            assertThatThrownBy(() -> u.append(new PatternStream(SIZE, SEED, 0, cut)))
                    .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.INTERRUPTED));
        }
        assertThat(store.contains(digest)).isFalse();
        assertThat(store.resumeOffset(digest)).isEqualTo(8L * MIB);

        store.close();
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
        long offset = store.resumeOffset(digest);
        assertThat(offset).isEqualTo(8L * MIB);
        assertThat(store.contains(digest)).isFalse();

        // A resume from anywhere but what the node holds is refused.
        assertThatThrownBy(() -> store.beginUpload(digest, offset + 4 * MIB))
                .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.CONFLICT))
                .hasMessageContaining("resume from offset " + offset);

        try (ArtifactUpload u = store.beginUpload(digest, offset)) {
            assertThat(u.offset()).isEqualTo(offset);
            u.append(new PatternStream(SIZE, SEED, offset, -1));
            u.complete();
        }
        assertThat(store.verify(digest).ok()).isTrue();
        assertThat(filesUnder(store.root().resolve("uploads"))).isEmpty();
    }

    @Test
    void aResumeDetectsBytesDamagedByACrashAndFallsBackToTheLastGoodChunk() throws Exception {
        Hash digest = PatternStream.digest(SIZE, SEED);
        try (ArtifactUpload u = store.beginUpload(digest, 0)) {
            assertThatThrownBy(() -> u.append(new PatternStream(SIZE, SEED, 0, 13L * MIB))).isInstanceOf(ArtifactException.class);
        }
        assertThat(store.resumeOffset(digest)).isEqualTo(12L * MIB);
        flipByte(store.root().resolve("uploads").resolve(digest.toHex() + ".part"), 5L * MIB);

        assertThatThrownBy(() -> store.beginUpload(digest, 12L * MIB))
                .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.CONFLICT))
                .hasMessageContaining("damaged; resume from offset " + 4 * MIB);
        assertThat(store.resumeOffset(digest)).isEqualTo(4L * MIB);
        try (ArtifactUpload u = store.beginUpload(digest, 4L * MIB)) {
            u.append(new PatternStream(SIZE, SEED, 4L * MIB, -1));
            u.complete();
        }
        assertThat(store.verify(digest).ok()).isTrue();
    }

    @Test
    void aCrashBeforeTheFinalRenameLeavesNothingVisible() throws Exception {
        Hash digest = PatternStream.digest(3L * MIB, SEED);
        Path root = store.root();
        store.close();
        // What a crash between writing the manifest and renaming the artifact into place leaves behind.
        Path shard = root.resolve("sha256").resolve(digest.toHex().substring(0, 2));
        Files.createDirectories(shard);
        Files.write(shard.resolve(digest.toHex() + ".manifest"), new byte[] {1, 2, 3});
        Files.write(shard.resolve(digest.toHex() + ".manifest.tmp"), new byte[] {1});
        Files.write(root.resolve("uploads").resolve(digest.toHex() + ".part"), new byte[1000]);
        Files.write(root.resolve("uploads").resolve("x.ckpt.tmp"), new byte[1]);

        store = ArtifactStore.open(root, ArtifactStore.Limits.DEFAULT);
        assertThat(store.contains(digest)).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(filesUnder(root.resolve("sha256"))).isEmpty();
        assertThat(store.resumeOffset(digest)).isZero(); // no checkpoint: nothing of the part is trusted
        store.put(digest, new PatternStream(3L * MIB, SEED));
        assertThat(store.verify(digest).ok()).isTrue();
    }

    @Test
    void anArtifactWithoutManifestGetsOneRebuiltAndAForeignFileIsDropped() throws Exception {
        Hash digest = PatternStream.digest(MIB, SEED);
        store.put(digest, new PatternStream(MIB, SEED));
        Path root = store.root();
        Path blob = store.file(digest).orElseThrow();
        store.close();
        Files.delete(blob.resolveSibling(blob.getFileName() + ".manifest"));
        Hash other = Sha256.hash(new byte[] {9});
        Path foreign = root.resolve("sha256").resolve(other.toHex().substring(0, 2)).resolve(other.toHex());
        Files.createDirectories(foreign.getParent());
        Files.write(foreign, new byte[] {1, 2, 3});

        store = ArtifactStore.open(root, ArtifactStore.Limits.DEFAULT);
        assertThat(store.verify(digest).ok()).isTrue();
        assertThat(store.contains(other)).isFalse();
    }

    @Test
    void oversizedUploadsAreRefusedAndDiscarded() throws Exception {
        store.close();
        store = ArtifactStore.open(dir.resolve("small"), ArtifactStore.Limits.DEFAULT.withMaxArtifactBytes(2L * MIB).withChunkSize(64 << 10));
        Hash digest = PatternStream.digest(2L * MIB + 1, SEED);
        assertThatThrownBy(() -> store.put(digest, new PatternStream(2L * MIB + 1, SEED)))
                .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.TOO_LARGE));
        assertThat(filesUnder(store.root())).isEmpty();
        Hash fits = PatternStream.digest(2L * MIB, SEED);
        assertThat(store.put(fits, new PatternStream(2L * MIB, SEED)).manifest().chunkCount()).isEqualTo(32);
    }

    @Test
    void onlyOneUploadOfADigestRunsAtATime() {
        Hash digest = Sha256.hash(new byte[] {1});
        try (ArtifactUpload u = store.beginUpload(digest, 0)) {
            assertThatThrownBy(() -> store.beginUpload(digest, 0))
                    .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.CONFLICT));
            u.append(InputStream.nullInputStream());
        }
        store.beginUpload(digest, 0).abort();
    }

    @Test
    void idlePartialUploadsAreBoundedInNumber() throws Exception {
        store.close();
        ArtifactStore.Limits limits = new ArtifactStore.Limits(8L << 30, 64 << 10, 2, java.time.Duration.ofHours(1), 64 << 10);
        store = ArtifactStore.open(dir.resolve("bounded"), limits);
        for (int i = 0; i < 5; i++) {
            Hash d = Sha256.hash(new byte[] {(byte) i});
            long seed = i;
            try (ArtifactUpload u = store.beginUpload(d, 0)) {
                assertThatThrownBy(() -> u.append(new PatternStream(200_000, seed, 0, 150_000))).isInstanceOf(ArtifactException.class);
            }
        }
        try (Stream<Path> s = Files.list(store.root().resolve("uploads"))) {
            assertThat(s.filter(p -> p.toString().endsWith(".part")).count()).isLessThanOrEqualTo(2);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        file.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x01)).position(0);
            ch.write(b, offset);
        }
    }

    static java.util.List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    // ---------------------------------------------------------------- accounts: quota, uploaders, expiry

    static final io.maaschain.crypto.Address ALICE = io.maaschain.testing.Fixtures.key(11).address();
    static final io.maaschain.crypto.Address BOB = io.maaschain.testing.Fixtures.key(12).address();

    StoredArtifact upload(Hash digest, long size, long seed, io.maaschain.crypto.Address account) {
        try (ArtifactUpload u = store.beginUpload(digest, 0, account, size)) {
            u.append(new PatternStream(size, seed));
            return u.complete();
        }
    }

    @Test
    void accountsAreChargedOncePerArtifactAndTheirUsageSurvivesAReopen() throws Exception {
        Hash a = PatternStream.digest(5L * MIB, 1);
        upload(a, 5L * MIB, 1, ALICE);
        upload(a, 5L * MIB, 1, ALICE);
        assertThat(store.bytesHeldBy(ALICE)).as("uploading the same artifact again costs nothing more").isEqualTo(5L * MIB);
        upload(a, 5L * MIB, 1, BOB);
        assertThat(store.uploaders(a)).containsExactlyInAnyOrder(ALICE, BOB);
        assertThat(store.bytesHeldBy(BOB)).isEqualTo(5L * MIB);
        // A partial upload counts too, and all of it is found again after a restart.
        Hash b = PatternStream.digest(10L * MIB, 2);
        try (ArtifactUpload u = store.beginUpload(b, 0, BOB, -1)) {
            u.append(new PatternStream(10L * MIB, 2, 0, 6L * MIB));
        } catch (ArtifactException interrupted) {
            // as a dropped connection would
        }
        assertThat(store.bytesHeldBy(BOB)).isEqualTo(11L * MIB);
        store.close();
        store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
        assertThat(store.bytesHeldBy(ALICE)).isEqualTo(5L * MIB);
        assertThat(store.bytesHeldBy(BOB)).isEqualTo(11L * MIB);
        assertThat(store.resumeOffset(b, BOB)).isEqualTo(4L * MIB);
        assertThat(store.resumeOffset(b, ALICE)).as("uploads are per account").isZero();
        assertThat(store.resumeOffset(b)).isZero();
        // Deleting the artifact gives its bytes back to every uploader.
        store.delete(a);
        assertThat(store.bytesHeldBy(ALICE)).isZero();
        assertThat(store.uploaders(a)).isEmpty();
    }

    @Test
    void aQuotaStopsAnAccountNotTheNodeOrOtherAccounts() throws Exception {
        store.close();
        store = ArtifactStore.open(dir.resolve("q"), ArtifactStore.Limits.DEFAULT, new UploadPolicy(6L * MIB, 0, FreeSpaceProbe.FILE_STORE,
                java.time.Clock.systemUTC()));
        upload(PatternStream.digest(4L * MIB, 3), 4L * MIB, 3, ALICE);
        Hash over = PatternStream.digest(4L * MIB, 4);
        assertThatThrownBy(() -> upload(over, 4L * MIB, 4, ALICE)).isInstanceOf(ArtifactException.class)
                .satisfies(e -> assertThat(((ArtifactException) e).reason()).isEqualTo(ArtifactException.Reason.QUOTA_EXCEEDED));
        try (ArtifactUpload u = store.beginUpload(over, 0, ALICE, -1)) {
            assertThatThrownBy(() -> u.append(new PatternStream(4L * MIB, 4))).isInstanceOf(ArtifactException.class).hasMessageContaining("quota");
        }
        assertThat(store.bytesHeldBy(ALICE)).isEqualTo(4L * MIB);
        upload(over, 4L * MIB, 4, BOB);
        store.delete(over);
        store.put(over, new PatternStream(4L * MIB, 4));
        assertThat(store.contains(over)).as("the node's own writes have no quota").isTrue();
    }

    @Test
    void partialUploadsIdleLongerThanTheExpiryAreRemoved() throws Exception {
        store.close();
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now = new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.now());
        java.time.Clock clock = new java.time.Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public java.time.Instant instant() { return now.get(); }
        };
        store = ArtifactStore.open(dir.resolve("e"), ArtifactStore.Limits.DEFAULT.withStaleUploadAge(java.time.Duration.ofMinutes(30)),
                new UploadPolicy(Long.MAX_VALUE, 0, FreeSpaceProbe.FILE_STORE, clock));
        Hash d = PatternStream.digest(10L * MIB, 5);
        try (ArtifactUpload u = store.beginUpload(d, 0, ALICE, -1)) {
            u.append(new PatternStream(10L * MIB, 5, 0, 5L * MIB));
        } catch (ArtifactException interrupted) {
            // dropped
        }
        assertThat(store.expireAbandonedUploads()).isZero();
        now.set(now.get().plus(java.time.Duration.ofMinutes(29)));
        assertThat(store.expireAbandonedUploads()).isZero();
        assertThat(store.resumeOffset(d, ALICE)).isEqualTo(4L * MIB);
        now.set(now.get().plus(java.time.Duration.ofMinutes(2)));
        assertThat(store.expireAbandonedUploads()).isEqualTo(1);
        assertThat(store.resumeOffset(d, ALICE)).isZero();
        assertThat(store.bytesHeldBy(ALICE)).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("e").resolve("uploads"))) {
            assertThat(files).isEmpty();
        }
    }
}
