package io.maaschain.chain;

import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.state.smt.SparseMerkleTree;
import io.maaschain.storage.Column;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.storage.KeyValueStore;
import io.maaschain.storage.StorageException;
import io.maaschain.txpool.VerifiedSignatures;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Re-validates a chain from genesis by replaying every block into a fresh in-memory chain: hash links, Merkle roots,
 * signatures, seals and state roots. Reports the first bad block; never trusts stored indexes or state.
 */
public final class ChainVerifier {
    /** Each block's signatures are checked in batches before it executes; its verdicts need not outlive it. */
    private static final int SIGNATURE_VERDICTS = 100_000;

    /** The outcome: {@code firstBadHeight} is -1 when everything verified. */
    public record Report(long blocksVerified, Hash headHash, long firstBadHeight, String problem) {
        public boolean ok() {
            return firstBadHeight < 0 && problem == null;
        }
    }

    /** Supplies stored block bytes by height, null past the end. */
    @FunctionalInterface
    public interface BlockSource {
        byte[] blockAt(long height) throws Exception;
    }

    private final Genesis genesis;
    private final ConsensusEngine engine;
    private final long nowMillis;

    public ChainVerifier(Genesis genesis, ConsensusEngine engine, long nowMillis) {
        this.genesis = genesis;
        this.engine = engine;
        this.nowMillis = nowMillis;
    }

    /** Replays blocks 1.. from {@code source}; {@code progress} hears each verified height. */
    public Report verify(BlockSource source, LongConsumer progress) {
        try (Blockchain replay = Blockchain.open(new InMemoryStore(), genesis, engine, new VerifiedSignatures(SIGNATURE_VERDICTS))) {
            long height = 1;
            while (true) {
                byte[] bytes;
                try {
                    bytes = source.blockAt(height);
                } catch (Exception e) {
                    return new Report(height - 1, replay.head().hash(), height, "cannot read block: " + e.getMessage());
                }
                if (bytes == null) break;
                Block block;
                try {
                    block = BlockCodec.decode(bytes);
                } catch (CodecException e) {
                    return new Report(height - 1, replay.head().hash(), height, "block does not decode: " + e.getMessage());
                }
                if (block.height() != height) {
                    return new Report(height - 1, replay.head().hash(), height, "block claims height " + block.height());
                }
                if (!block.header().parentHash().equals(replay.head().hash())) {
                    return new Report(height - 1, replay.head().hash(), height, "parent hash " + block.header().parentHash()
                            + " does not link to block " + (height - 1) + " (" + replay.head().hash() + ")");
                }
                try {
                    replay.importBlock(block, nowMillis);
                } catch (Rejection r) {
                    return new Report(height - 1, replay.head().hash(), height, r.code() + ": " + r.getMessage());
                }
                progress.accept(height);
                height++;
            }
            return new Report(height - 1, replay.head().hash(), -1, null);
        }
    }

    /**
     * Verifies a node database: replays its canonical blocks, then checks that its head pointer and its stored
     * state agree with the replay, so tampering with any column is found.
     */
    public Report verifyDatabase(KeyValueStore store, LongConsumer progress) {
        ChainIndex index = new ChainIndex(store);
        Report report = verify(height -> {
            Hash h = index.canonicalHash(height);
            if (h == null) return null;
            byte[] bytes = store.get(Column.BLOCKS, h.toBytes());
            if (bytes == null) throw new StorageException("block " + h + " is missing");
            Hash actual = decodedHash(bytes);
            if (!h.equals(actual)) throw new StorageException("stored block hashes to " + actual + ", indexed as " + h);
            return bytes;
        }, progress);
        if (!report.ok()) return report;
        byte[] head = store.get(Column.META, Keys.HEAD);
        if (head == null || !Hash.wrap(head).equals(report.headHash())) {
            return new Report(report.blocksVerified(), report.headHash(), report.blocksVerified(),
                    "head pointer does not name the last canonical block");
        }
        Map<Hash, Hash> leaves = new HashMap<>();
        store.scan(Column.STATE, new byte[0], (k, v) -> {
            leaves.put(StateCommitment.treeKey(Bytes.adopt(k)), StateCommitment.valueHash(v));
            return true;
        });
        Hash stored = SparseMerkleTree.build(leaves).root();
        Hash expected = index.header(report.headHash()).stateRoot();
        if (!stored.equals(expected)) {
            return new Report(report.blocksVerified(), report.headHash(), report.blocksVerified(),
                    "stored state (root " + stored + ") differs from the head's state root " + expected);
        }
        return report;
    }

    private static Hash decodedHash(byte[] bytes) {
        try {
            return BlockCodec.decode(bytes).hash();
        } catch (CodecException e) {
            throw new StorageException("stored block does not decode: " + e.getMessage());
        }
    }
}
