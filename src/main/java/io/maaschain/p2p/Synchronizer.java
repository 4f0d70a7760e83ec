package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.ChainIndex;
import io.maaschain.chain.Head;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.GetBlocks;
import io.maaschain.p2p.proto.GetHeaders;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches up with the heaviest peer: headers first, from the peer's canonical chain after the fork point found with
 * a block locator, then the blocks for those headers fetched in parallel from every peer that is high enough,
 * imported in order. {@link Blockchain#importBlock} validates everything and picks the heaviest branch.
 */
final class Synchronizer {
    private static final Logger LOG = LoggerFactory.getLogger(Synchronizer.class);
    static final int HEADERS_PER_REQUEST = 512;
    static final int BLOCKS_PER_REQUEST = 32;
    static final int MAX_CHUNKS_IN_FLIGHT = 8;
    static final int MAX_CHUNKS_PER_PEER = 2;
    private static final long PROGRESS_LOG_MILLIS = 5_000;

    private final P2pService service;
    private final Blockchain chain;
    private final long requestTimeoutMillis;
    private final Object signal = new Object();
    private boolean wake;
    private volatile boolean running = true;
    private volatile SyncState.Phase phase = SyncState.Phase.IN_SYNC;
    private volatile PeerConnection target;
    private volatile long imported;
    private Thread thread;

    Synchronizer(P2pService service, Blockchain chain, long requestTimeoutMillis) {
        this.service = service;
        this.chain = chain;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    void start() {
        thread = Thread.ofPlatform().name("p2p-sync").daemon().start(this::run);
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A peer reported a head, or sent a block whose parent is unknown: look again for something to sync. */
    void requestSync(PeerConnection peer) {
        synchronized (signal) {
            wake = true;
            signal.notifyAll();
        }
    }

    void onPeerStatus(PeerConnection peer) {
        PeerConnection.PeerHead h = peer.head();
        if (h != null && h.totalWork().compareTo(chain.head().totalWork()) > 0) requestSync(peer);
    }

    boolean syncing() {
        return phase == SyncState.Phase.SYNCING;
    }

    SyncState state() {
        long best = -1;
        for (PeerConnection p : service.activePeers()) {
            PeerConnection.PeerHead h = p.head();
            if (h != null) best = Math.max(best, h.height());
        }
        PeerConnection t = target;
        return new SyncState(phase, chain.head().height(), best, phase == SyncState.Phase.SYNCING && t != null ? t.peerId() : null, imported);
    }

    private void run() {
        while (running) {
            try {
                synchronized (signal) {
                    if (!wake) signal.wait(1_000);
                    wake = false;
                }
                PeerConnection best = bestPeer();
                if (best == null) {
                    phase = SyncState.Phase.IN_SYNC;
                    target = null;
                    continue;
                }
                target = best;
                if (phase != SyncState.Phase.SYNCING) {
                    LOG.info("sync: peer {} reports height {} with more work than ours (height {}); syncing", best.describe(),
                            best.head().height(), chain.head().height());
                }
                phase = SyncState.Phase.SYNCING;
                long before = imported;
                syncFrom(best);
                if (bestPeer() == null) {
                    phase = SyncState.Phase.IN_SYNC;
                    target = null;
                    LOG.info("sync: in sync at height {}, head {}", chain.head().height(), chain.head().hash());
                } else if (imported > before) {
                    synchronized (signal) {
                        wake = true;
                    }
                }
                // Without progress the next round waits for a new Status or the one-second tick, never spinning.
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("sync round failed", e);
            }
        }
    }

    /** The connected peer with the most work above ours, skipping those that had nothing to give for their current head. */
    private PeerConnection bestPeer() {
        BigInteger local = chain.head().totalWork();
        return service.activePeers().stream()
                .filter(p -> p.head() != null && p.head().totalWork().compareTo(local) > 0 && !p.head().equals(p.noProgressAt))
                .max(Comparator.comparing(p -> p.head().totalWork()))
                .orElse(null);
    }

    /** Block locator: the extra hash (if any), the last ten canonical hashes, then exponentially sparser, then genesis. */
    static List<Hash> locator(ChainIndex index, long headHeight, Hash extra) {
        List<Hash> out = new ArrayList<>();
        if (extra != null) out.add(extra);
        long step = 1;
        long h = headHeight;
        while (h > 0 && out.size() < Protocol.MAX_LOCATOR_HASHES - 1) {
            Hash hash = index.canonicalHash(h);
            if (hash != null) out.add(hash);
            if (out.size() >= 10) step *= 2;
            h -= step;
        }
        out.add(index.canonicalHash(0));
        return out;
    }

    private void syncFrom(PeerConnection peer) throws InterruptedException {
        Hash lastFromPeer = null;
        long startMillis = service.now();
        long startImported = imported;
        while (running && peer.active()) {
            Head local = chain.head();
            PeerConnection.PeerHead peerHead = peer.head();
            if (peerHead == null || peerHead.totalWork().compareTo(local.totalWork()) <= 0) break;
            List<Hash> locator = locator(chain.index(), local.height(), lastFromPeer);
            Frame answer = await(peer, peer.request(id -> Frame.newBuilder().setGetHeaders(GetHeaders.newBuilder()
                    .setRequestId(id).setMaxHeaders(HEADERS_PER_REQUEST)
                    .addAllLocator(locator.stream().map(x -> ByteString.copyFrom(x.toBytes())).toList())).build(), requestTimeoutMillis), "headers");
            if (answer == null) return;
            List<Header> headers = parseHeaders(peer, answer);
            if (headers == null) return;
            if (headers.isEmpty()) {
                peer.noProgressAt = peerHead;
                LOG.info("sync: peer {} reports more work but has no headers past our locator; trying others", peer.describe());
                return;
            }
            if (!fetchAndImport(peer, headers)) return;
            lastFromPeer = headers.getLast().hash();
        }
        long n = imported - startImported;
        if (n > 0) {
            long secs = Math.max(1, (service.now() - startMillis) / 1000);
            LOG.info("sync: imported {} blocks from {} in {} s; height {}", n, peer.describe(), secs, chain.head().height());
        }
    }

    /** Decodes and checks that the headers form one chain hanging off a block we have; null (peer penalised) if not. */
    private List<Header> parseHeaders(PeerConnection peer, Frame answer) {
        if (answer.getBodyCase() != Frame.BodyCase.HEADERS) {
            service.penalize(peer, Misbehavior.PROTOCOL_VIOLATION, "answered GetHeaders with " + answer.getBodyCase());
            return null;
        }
        List<ByteString> raw = answer.getHeaders().getHeadersList();
        if (raw.size() > HEADERS_PER_REQUEST) {
            service.penalize(peer, Misbehavior.PROTOCOL_VIOLATION, raw.size() + " headers, asked for at most " + HEADERS_PER_REQUEST);
            return null;
        }
        List<Header> out = new ArrayList<>(raw.size());
        Header prev = null;
        for (ByteString b : raw) {
            Header h;
            try {
                h = HeaderCodec.decode(b.toByteArray());
            } catch (CodecException e) {
                service.penalize(peer, Misbehavior.INVALID_SYNC_DATA, "undecodable header: " + e.getMessage());
                return null;
            }
            if (prev == null) {
                Header parent = chain.index().header(h.parentHash());
                if (parent == null || parent.height() + 1 != h.height()) {
                    service.penalize(peer, Misbehavior.INVALID_SYNC_DATA, "headers do not start after a block we know");
                    return null;
                }
            } else if (!h.parentHash().equals(prev.hash()) || h.height() != prev.height() + 1) {
                service.penalize(peer, Misbehavior.INVALID_SYNC_DATA, "headers do not link at height " + h.height());
                return null;
            }
            out.add(h);
            prev = h;
        }
        return out;
    }

    private record Chunk(List<Hash> hashes, PeerConnection peer, CompletableFuture<Frame> answer) {}

    /** Fetches the blocks of {@code headers} that are not stored yet, in parallel, and imports all of them in order. */
    private boolean fetchAndImport(PeerConnection target, List<Header> headers) throws InterruptedException {
        ChainIndex index = chain.index();
        List<List<Hash>> chunkHashes = new ArrayList<>();
        List<Long> chunkTopHeight = new ArrayList<>();
        Map<Hash, Integer> chunkOf = new HashMap<>();
        List<Hash> current = new ArrayList<>();
        for (Header h : headers) {
            Hash hash = h.hash();
            if (index.blockBytes(hash) != null) continue;
            chunkOf.put(hash, chunkHashes.size());
            current.add(hash);
            if (current.size() == BLOCKS_PER_REQUEST) {
                chunkHashes.add(current);
                chunkTopHeight.add(h.height());
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            chunkHashes.add(current);
            chunkTopHeight.add(headers.getLast().height());
        }
        Map<Integer, Chunk> inFlight = new HashMap<>();
        Map<Hash, Block> fetched = new HashMap<>();
        Map<Hash, PeerConnection> supplier = new HashMap<>();
        int scheduled = 0;
        int rotation = 0;
        long lastLog = service.now();
        for (Header h : headers) {
            Hash hash = h.hash();
            Block block;
            PeerConnection from = target;
            Integer c = chunkOf.get(hash);
            if (c == null) {
                block = index.block(hash);
                if (block == null) return false;
            } else {
                while (scheduled < chunkHashes.size() && inFlight.size() < MAX_CHUNKS_IN_FLIGHT) {
                    PeerConnection p = pickPeer(target, chunkTopHeight.get(scheduled), inFlight, rotation++);
                    inFlight.put(scheduled, requestChunk(p, chunkHashes.get(scheduled)));
                    scheduled++;
                }
                Chunk chunk = inFlight.remove(c);
                if (chunk != null && !receiveChunk(chunk, target, fetched, supplier)) return false;
                block = fetched.remove(hash);
                from = supplier.remove(hash);
                if (block == null) return false;
            }
            try {
                chain.importBlock(block, service.now());
            } catch (Rejection r) {
                if (Gossip.aheadOfClock(r)) {
                    LOG.info("sync: block {} from {} is ahead of our clock; stopping for now: {}", hash, from.describe(), r.getMessage());
                    return false;
                }
                Misbehavior m = r.code() == RejectCode.INVALID_SEAL ? Misbehavior.INVALID_SEAL : Misbehavior.INVALID_BLOCK;
                String why = "sync block " + hash + " at height " + h.height() + ": " + r;
                service.penalize(from, m, why);
                if (from != target) service.penalize(target, m, why);
                return false;
            }
            imported++;
            long now = service.now();
            if (now - lastLog >= PROGRESS_LOG_MILLIS) {
                lastLog = now;
                PeerConnection.PeerHead th = target.head();
                LOG.info("sync: height {} of {} from {} ({} blocks imported)", chain.head().height(),
                        th == null ? "?" : th.height(), target.describe(), imported);
            }
        }
        return true;
    }

    /** Round-robin over active peers high enough for the chunk with spare request slots; the target when none has. */
    private PeerConnection pickPeer(PeerConnection target, long topHeight, Map<Integer, Chunk> inFlight, int rotation) {
        List<PeerConnection> candidates = new ArrayList<>();
        for (PeerConnection p : service.activePeers()) {
            PeerConnection.PeerHead h = p.head();
            if (h == null || h.height() < topHeight) continue;
            long busy = inFlight.values().stream().filter(ch -> ch.peer == p).count();
            if (busy < MAX_CHUNKS_PER_PEER) candidates.add(p);
        }
        if (candidates.isEmpty()) return target;
        candidates.sort(Comparator.comparing(p -> p.peerId().toHex()));
        return candidates.get(Math.floorMod(rotation, candidates.size()));
    }

    private Chunk requestChunk(PeerConnection p, List<Hash> hashes) {
        CompletableFuture<Frame> f = p.request(id -> Frame.newBuilder().setGetBlocks(GetBlocks.newBuilder().setRequestId(id)
                .addAllHashes(hashes.stream().map(x -> ByteString.copyFrom(x.toBytes())).toList())).build(), requestTimeoutMillis);
        return new Chunk(hashes, p, f);
    }

    /**
     * Collects a chunk's blocks; whatever its peer did not deliver is asked once more from the target.
     * False if the blocks could not all be had (the peers at fault are penalised).
     */
    private boolean receiveChunk(Chunk chunk, PeerConnection target, Map<Hash, Block> fetched, Map<Hash, PeerConnection> supplier)
            throws InterruptedException {
        List<Hash> missing = collect(chunk.peer, chunk.hashes, await(chunk.peer, chunk.answer, "blocks"), fetched, supplier);
        if (missing == null) return false;
        if (missing.isEmpty()) return true;
        if (!target.active()) return false;
        Chunk retry = requestChunk(target, missing);
        List<Hash> stillMissing = collect(target, missing, await(target, retry.answer, "blocks"), fetched, supplier);
        if (stillMissing == null) return false;
        if (!stillMissing.isEmpty()) {
            LOG.info("sync: peer {} did not deliver {} blocks of its own chain", target.describe(), stillMissing.size());
            return false;
        }
        return true;
    }

    /** Decodes an answer to GetBlocks into {@code fetched}; returns the hashes not delivered, or null on bad data. */
    private List<Hash> collect(PeerConnection peer, List<Hash> asked, Frame answer, Map<Hash, Block> fetched, Map<Hash, PeerConnection> supplier) {
        if (answer == null) return new ArrayList<>(asked);
        if (answer.getBodyCase() != Frame.BodyCase.BLOCKS) {
            service.penalize(peer, Misbehavior.PROTOCOL_VIOLATION, "answered GetBlocks with " + answer.getBodyCase());
            return null;
        }
        List<Hash> missing = new ArrayList<>(asked);
        int cursor = 0;
        for (ByteString b : answer.getBlocks().getBlocksList()) {
            Block block;
            try {
                block = BlockCodec.decode(b.toByteArray());
            } catch (CodecException e) {
                service.penalize(peer, Misbehavior.INVALID_SYNC_DATA, "undecodable block: " + e.getMessage());
                return null;
            }
            Hash hash = block.hash();
            int at = asked.subList(cursor, asked.size()).indexOf(hash);
            if (at < 0) {
                service.penalize(peer, Misbehavior.INVALID_SYNC_DATA, "sent block " + hash + ", which was not asked for (or out of order)");
                return null;
            }
            cursor += at + 1;
            fetched.put(hash, block);
            supplier.put(hash, peer);
            missing.remove(hash);
        }
        return missing;
    }

    /** Waits for an answer; null on timeout (peer penalised) or disconnect. */
    private Frame await(PeerConnection peer, CompletableFuture<Frame> f, String what) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                service.penalize(peer, Misbehavior.TIMEOUT, "no answer to a " + what + " request");
            } else {
                LOG.debug("sync: {} request to {} failed: {}", what, peer.describe(), e.getCause().toString());
            }
            return null;
        }
    }
}
