package io.maaschain.chain;

import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.HeaderTimeRules;
import io.maaschain.consensus.protocol.ProtocolStateStore;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.state.CachingStateReader;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateReader;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import io.maaschain.state.smt.SmtProof;
import io.maaschain.state.smt.SparseMerkleTree;
import io.maaschain.storage.Column;
import io.maaschain.storage.KeyValueStore;
import io.maaschain.storage.StorageException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain as stored: imports blocks, chooses the heaviest branch, executes blocks and commits each
 * one (block, state, indexes, undo record, head pointer) in a single atomic write batch.
 */
public final class Blockchain implements AutoCloseable {
    public static final int FORMAT_VERSION = 1;
    /** How far ahead of the local clock a block's timestamp may be. */
    public static final long MAX_FUTURE_DRIFT_MILLIS = HeaderTimeRules.MAX_FUTURE_DRIFT_MILLIS;
    private static final Logger LOG = LoggerFactory.getLogger(Blockchain.class);

    private final KeyValueStore store;
    private final ConsensusEngine engine;
    private final StateTransition transition;
    private final SignatureCheck signatures;
    private final ChainIndex index;
    private final Hash genesisHash;
    private final Genesis genesis;
    private final List<ChainListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Head head;
    /** Commits of the canonical chain so far; a block built while none happened was built on exactly this state. */
    private volatile long commits;
    /** The newest block final by this node's own consensus decisions (bft commits), persisted in META. */
    private volatile BlockRef localFinal;
    /** The newest final block: the newer of {@link #localFinal} and what the canonical head's state records. */
    private volatile BlockRef finalized;
    /** Guarded by this: the last proposal {@link #check} executed. */
    private Checked lastChecked;

    private Blockchain(KeyValueStore store, Genesis genesis, ConsensusEngine engine, SignatureCheck signatures) {
        this.store = store;
        this.engine = engine;
        this.transition = new StateTransition(genesis.params(), engine.rules());
        this.signatures = signatures;
        this.index = new ChainIndex(store);
        GenesisBlock g = GenesisBlock.of(genesis, engine);
        this.genesisHash = g.hash();
        this.genesis = genesis;
        byte[] version = store.get(Column.META, Keys.FORMAT_VERSION);
        if (version == null) {
            initialize(g);
        } else {
            checkCompatible(version);
        }
        this.head = loadHead();
        this.localFinal = loadLocalFinal();
        this.finalized = newerOf(localFinal, engine.finalizedIn(headState()).orElse(localFinal));
    }

    /** Opens (creating on first use) the chain in {@code store} for {@code genesis}. */
    public static Blockchain open(KeyValueStore store, Genesis genesis, ConsensusEngine engine, SignatureCheck signatures) {
        return new Blockchain(store, genesis, engine, signatures);
    }

    private void initialize(GenesisBlock g) {
        Block block = g.block();
        try (KeyValueStore.WriteBatch batch = store.newBatch()) {
            byte[] hash = g.hash().toBytes();
            batch.put(Column.BLOCKS, hash, BlockCodec.encode(block));
            batch.put(Column.HEADERS, hash, HeaderCodec.encode(block.header()));
            batch.put(Column.BLOCK_INFO, hash, new BlockInfo(0, BigInteger.ZERO, BlockInfo.Status.EXECUTED).encode());
            batch.put(Column.CANONICAL, Keys.height(0), hash);
            g.state().forEach((k, v) -> batch.put(Column.STATE, k.unsafeArray(), v));
            batch.put(Column.META, Keys.GENESIS_HASH, hash);
            batch.put(Column.META, Keys.HEAD, hash);
            batch.put(Column.META, Keys.FORMAT_VERSION, Keys.height(FORMAT_VERSION));
            batch.commit();
        }
        LOG.info("initialized a new chain with genesis {}", g.hash());
    }

    private void checkCompatible(byte[] version) {
        long v = new io.maaschain.codec.ByteReader(version).u64("format version");
        if (v != FORMAT_VERSION) {
            throw new StorageException("database format version " + v + ", but this node reads version " + FORMAT_VERSION);
        }
        byte[] storedGenesis = store.get(Column.META, Keys.GENESIS_HASH);
        if (storedGenesis == null || !Arrays.equals(storedGenesis, genesisHash.toBytes())) {
            throw new StorageException("the database belongs to another chain: its genesis is "
                    + (storedGenesis == null ? "missing" : Hash.wrap(storedGenesis)) + ", the genesis file gives " + genesisHash);
        }
    }

    /** Loads the head and rebuilds the state tree from the stored state; refuses to start if they disagree. */
    private Head loadHead() {
        byte[] headHash = store.get(Column.META, Keys.HEAD);
        if (headHash == null) throw new StorageException("database has no head pointer");
        Hash hash = Hash.wrap(headHash);
        Header header = index.header(hash);
        BlockInfo info = index.info(hash);
        if (header == null || info == null) throw new StorageException("head block " + hash + " is missing");
        Map<Hash, Hash> leaves = new HashMap<>();
        store.scan(Column.STATE, new byte[0], (k, v) -> {
            leaves.put(StateCommitment.treeKey(Bytes.adopt(k)), StateCommitment.valueHash(v));
            return true;
        });
        SparseMerkleTree tree = SparseMerkleTree.build(leaves);
        if (!tree.root().equals(header.stateRoot())) {
            throw new StorageException("stored state does not match the state root of head block " + header.height()
                    + " (" + tree.root() + " != " + header.stateRoot() + "): the database is corrupted; run 'chain verify'");
        }
        return new Head(hash, header, info.totalWork(), tree);
    }

    public void addListener(ChainListener l) {
        listeners.add(l);
    }

    public Head head() {
        return head;
    }

    public long commits() {
        return commits;
    }

    /** The genesis file the chain was opened with; its exact text is in {@link Genesis#canonicalJson()}. */
    public Genesis genesis() {
        return genesis;
    }

    public Hash genesisHash() {
        return genesisHash;
    }

    public ConsensusEngine engine() {
        return engine;
    }

    public StateTransition transition() {
        return transition;
    }

    public ChainIndex index() {
        return index;
    }

    /** Reads the committed head state straight from the database. */
    public StateReader headState() {
        return key -> store.get(Column.STATE, key.unsafeArray());
    }

    /** Visits committed state entries whose keys start with {@code prefix}, until the visitor returns false. */
    public void scanState(byte[] prefix, KeyValueStore.Visitor visitor) {
        store.scan(Column.STATE, prefix, visitor);
    }

    /** A state value with its proof against the state root of {@code head}'s header. */
    public record ProvenValue(Head head, byte[] value, SmtProof proof) {}

    /**
     * Reads a state value together with a proof from the same head. The read is optimistic: if a commit lands
     * between reading the head and the value, the value will not match the tree and the read is retried under the lock.
     */
    public ProvenValue prove(Bytes key) {
        for (int attempt = 0; attempt < 3; attempt++) {
            ProvenValue p = readProven(key);
            if (p != null) return p;
        }
        synchronized (this) {
            return readProven(key);
        }
    }

    private ProvenValue readProven(Bytes key) {
        Head h = head;
        byte[] value = store.get(Column.STATE, key.unsafeArray());
        Hash treeKey = StateCommitment.treeKey(key);
        var inTree = h.stateTree().get(treeKey);
        boolean consistent = value == null ? inTree.isEmpty() : inTree.isPresent() && inTree.get().equals(StateCommitment.valueHash(value));
        return consistent ? new ProvenValue(h, value, h.stateTree().prove(treeKey)) : null;
    }

    /** A state value at a past block, with its proof against that block's state root. */
    public record PastValue(Header header, byte[] value, SmtProof proof) {}

    /**
     * {@code key}'s value and proof in the state of every canonical block from {@code from} to {@code to} (clamped to the
     * head), oldest first: the head's state rolled back over undo records (a light client learns the bft validator set of
     * each height this way, docs/light-client.md). Costs one undo record per block between the head and {@code from}.
     */
    public List<PastValue> proveHistory(Bytes key, long from, long to) {
        ProvenValue head = prove(key);
        long last = Math.min(to, head.head().height());
        if (from > last) return List.of();
        return new StateHistory(store, index).prove(key, head.head(), head.value(), from, last).stream()
                .map(p -> new PastValue(p.header(), p.value(), p.proof())).toList();
    }

    /**
     * Validates and imports a block. {@code nowMillis} is the local clock, passed in so this stays testable;
     * it only bounds how far in the future a timestamp may be.
     */
    public ImportResult importBlock(Block block, long nowMillis) throws Rejection {
        return importBlock(block, nowMillis, null, null);
    }

    /**
     * Imports a block this node's consensus decided (bft: +2/3 precommits seen) and makes it final, storing the votes
     * that decided it as the head's {@link CommitCertificate}. When the block extends the head, block, state, final
     * pointer and certificate land in one write batch: a crash leaves either none of them or all of them.
     */
    public synchronized ImportResult commitDecided(Block block, List<Vote> commit, long nowMillis) throws Rejection {
        CommitCertificate certificate = new CommitCertificate(block.hash(), commit);
        boolean extendsHead = index.info(block.hash()) == null && block.header().parentHash().equals(head.hash());
        if (extendsHead) return importBlock(block, nowMillis, null, certificate);
        ImportResult result = importBlock(block, nowMillis);
        finalize(block.hash());
        recordCommit(certificate);
        return result;
    }

    /** Stores {@code certificate} as the commit of the head, if it is the head's (bft: assembled from peers' precommits). */
    public synchronized void recordCommit(CommitCertificate certificate) {
        if (!certificate.block().equals(head.hash())) return;
        try (KeyValueStore.WriteBatch batch = store.newBatch()) {
            batch.put(Column.META, Keys.LAST_COMMIT, certificate.encode());
            batch.commit();
        }
    }

    /** The stored votes that committed {@code block}; empty unless it is the block of the last certificate this node stored. */
    public List<Vote> storedCommit(Hash block) {
        byte[] stored = store.get(Column.META, Keys.LAST_COMMIT);
        if (stored == null) return List.of();
        CommitCertificate c = decodeStored("commit certificate", () -> CommitCertificate.decode(stored));
        return c.block().equals(block) ? c.votes() : List.of();
    }

    /** The durable record of this node's consensus protocol (bft: its lock), kept in this chain's database. */
    public ProtocolStateStore protocolState() {
        return new StoredProtocolState(store);
    }

    /** What executing a block does to the head state: the writes, the undo record and the resulting state tree. */
    public record StateChange(Map<Bytes, byte[]> writes, Map<Bytes, byte[]> undo, SparseMerkleTree tree) {}

    /**
     * Imports a block this node built and sealed from {@code template}. Every rule is checked as for any block, but if
     * nothing was committed since the template was built, the builder's execution is reused instead of running it again.
     */
    public ImportResult importOwnBlock(Block sealed, BlockBuilder.Template template, long nowMillis) throws Rejection {
        Header unsealed = template.block().header();
        boolean sameBlock = sealed.header().withSeal(unsealed.seal()).equals(unsealed)
                && sealed.transactions().equals(template.block().transactions());
        return importBlock(sealed, nowMillis, sameBlock ? template : null, null);
    }

    /** {@code decided}: the commit that makes this block final, stored with it (only when it extends the head). */
    private synchronized ImportResult importBlock(Block block, long nowMillis, BlockBuilder.Template own, CommitCertificate decided) throws Rejection {
        Hash hash = block.hash();
        BlockInfo known = index.info(hash);
        if (known != null) {
            if (known.status() == BlockInfo.Status.INVALID) throw new Rejection(RejectCode.KNOWN_INVALID, "block " + hash + " was already found invalid");
            return ImportResult.ALREADY_KNOWN;
        }
        Header header = block.header();
        BlockInfo parentInfo = index.info(header.parentHash());
        if (parentInfo == null) throw new Rejection(RejectCode.UNKNOWN_PARENT, "parent " + header.parentHash() + " of block " + hash + " is unknown");
        if (parentInfo.status() == BlockInfo.Status.INVALID) {
            markInvalid(hash, parentInfo.height() + 1);
            throw new Rejection(RejectCode.KNOWN_INVALID, "parent " + header.parentHash() + " is invalid");
        }
        HeaderAncestry ancestry = ancestryOf(header.parentHash(), parentInfo.height());
        validateHeader(block, ancestry, nowMillis);
        checkDescendsFromFinal(hash, header, ancestry);
        BigInteger work = EngineRules.apply(RejectCode.INVALID_SEAL, "fork-choice weight", () -> engine.totalWeight(parentInfo.totalWork(), header));
        Head current = head;
        if (header.parentHash().equals(current.hash())) {
            boolean builtOnThisState = own != null && own.builtAtCommit() == commits && own.parent().hash().equals(current.hash());
            extendHead(block, work, current, builtOnThisState ? own.change() : checkedChange(hash), decided);
            return ImportResult.EXTENDED_HEAD;
        }
        try (KeyValueStore.WriteBatch batch = store.newBatch()) {
            storeBlock(batch, block, new BlockInfo(header.height(), work, BlockInfo.Status.STORED));
            batch.commit();
        }
        if (work.compareTo(current.totalWork()) > 0) {
            reorganize(hash, current);
            return ImportResult.REORGANIZED;
        }
        LOG.info("stored block {} at height {} on a side branch (its work does not exceed the head's)", hash, header.height());
        return ImportResult.STORED_SIDE_BRANCH;
    }

    /** Rules that need the parent branch but not the state: height, time, size, roots and the seal. */
    private void validateHeader(Block block, HeaderAncestry ancestry, long nowMillis) throws Rejection {
        Header h = block.header();
        Header parent = ancestry.headerAt(h.height() - 1);
        if (h.height() != parent.height() + 1) {
            throw new Rejection(RejectCode.INVALID_HEADER, "height " + h.height() + " does not follow parent height " + parent.height());
        }
        HeaderTimeRules.check(h, ancestry, nowMillis);
        int txs = block.transactions().size();
        if (h.txCount() != txs) throw new Rejection(RejectCode.INVALID_BODY, "header counts " + h.txCount() + " transactions, the body has " + txs);
        if (txs > transition.params().maxBlockTransactions()) {
            throw new Rejection(RejectCode.INVALID_BODY, txs + " transactions exceed the limit " + transition.params().maxBlockTransactions());
        }
        long bytes = 0;
        for (Transaction tx : block.transactions()) bytes += tx.size();
        if (bytes > transition.params().maxBlockBytes()) {
            throw new Rejection(RejectCode.INVALID_BODY, "transactions take " + bytes + " bytes, limit " + transition.params().maxBlockBytes());
        }
        Hash txRoot = MerkleTree.root(block.transactions().stream().map(Transaction::hash).toList());
        if (!txRoot.equals(h.txRoot())) throw new Rejection(RejectCode.INVALID_BODY, "transaction root " + txRoot + " does not match the header's " + h.txRoot());
        EngineRules.run(RejectCode.INVALID_SEAL, "seal validation", () -> engine.validateSeal(h, ancestry));
    }

    /** Ancestry of the branch ending at {@code tip}: canonical heights are read from the index, the rest by walking parents. */
    public HeaderAncestry ancestryOf(Hash tip, long tipHeight) {
        return new BranchAncestry(index, tip, tipHeight);
    }

    /** {@code built}: the change the block builder computed on this same head, or null to execute the block here. */
    private void extendHead(Block block, BigInteger work, Head current, StateChange built, CommitCertificate decided) throws Rejection {
        StateChange change = built;
        if (change == null) {
            // Cached: the undo record reads back every key the block wrote, and execution has just read them all.
            WorldState state = new WorldState(new CachingStateReader(headState()));
            try {
                Execution exec = execute(state, block, current.stateTree());
                change = new StateChange(state.writes(), exec.undo(), exec.tree());
            } catch (Rejection r) {
                markInvalid(block.hash(), block.height());
                throw r;
            }
        } else if (!change.tree().root().equals(block.header().stateRoot())) {
            throw new IllegalStateException("the builder's state root differs from the header it produced");
        }
        Hash hash = block.hash();
        try (KeyValueStore.WriteBatch batch = store.newBatch()) {
            storeBlock(batch, block, new BlockInfo(block.height(), work, BlockInfo.Status.EXECUTED));
            batch.put(Column.UNDO, hash.toBytes(), UndoRecord.encode(change.undo()));
            writeCanonical(batch, block);
            writeState(batch, change.writes());
            batch.put(Column.META, Keys.HEAD, hash.toBytes());
            if (decided != null) {
                batch.put(Column.META, Keys.FINALIZED, finalPointer(new BlockRef(block.height(), hash)));
                batch.put(Column.META, Keys.LAST_COMMIT, decided.encode());
            }
            batch.commit();
        }
        Head next = new Head(hash, block.header(), work, change.tree());
        commits++;
        head = next;
        if (decided != null) markLocalFinal(new BlockRef(block.height(), hash));
        advanceFinality();
        notifyListeners(List.of(), List.of(block), next);
    }

    private record Execution(SparseMerkleTree tree, Map<Bytes, byte[]> undo) {}

    /** Executes {@code block} on {@code state} (changing it only on success) and checks the resulting state root. */
    private Execution execute(WorldState state, Block block, SparseMerkleTree tree) throws Rejection {
        WorldState layer = state.child();
        preverifySignatures(block);
        EngineRules.run(RejectCode.INVALID_BODY, "execution", () -> {
            engine.beginBlock(layer, block.header());
            transition.applyBlock(layer, block, engine.blockReward(block.height()), signatures);
        });
        SparseMerkleTree next = StateCommitment.apply(tree, layer.writes());
        if (!next.root().equals(block.header().stateRoot())) {
            throw new Rejection(RejectCode.INVALID_STATE_ROOT, "executing block " + block.hash() + " gives state root "
                    + next.root() + ", its header says " + block.header().stateRoot());
        }
        Map<Bytes, byte[]> undo = layer.previousValues();
        layer.mergeIntoParent();
        return new Execution(next, undo);
    }

    /** Checks every signature up front, in batches on all cores; the state transition then only reads the cached verdicts. */
    private void preverifySignatures(Block block) throws Rejection {
        signatures.checkAhead(block.transactions());
        List<Transaction> bad = block.transactions().parallelStream().filter(tx -> !signatures.isValid(tx)).limit(1).toList();
        if (!bad.isEmpty()) {
            throw new Rejection(RejectCode.INVALID_BODY, "transaction " + bad.getFirst().hash() + " has an invalid signature");
        }
    }

    private void reorganize(Hash newTip, Head current) throws Rejection {
        List<Block> added = new ArrayList<>();
        Hash cursor = newTip;
        BlockInfo info = index.info(cursor);
        while (!cursor.equals(index.canonicalHash(info.height()))) {
            added.add(index.block(cursor));
            cursor = added.getLast().header().parentHash();
            info = index.info(cursor);
        }
        long forkHeight = info.height();
        if (forkHeight < finalized.height()) {
            throw new Rejection(RejectCode.FINALITY_CONFLICT, "branch " + newTip + " forks at height " + forkHeight
                    + ", below the final block " + finalized.hash() + " at height " + finalized.height());
        }
        added = added.reversed();
        List<Block> removed = new ArrayList<>();
        for (long h = current.height(); h > forkHeight; h--) removed.add(index.block(index.canonicalHash(h)));

        WorldState state = new WorldState(headState());
        SparseMerkleTree tree = current.stateTree();
        for (Block b : removed) {
            Map<Bytes, byte[]> undo = UndoRecord.decode(store.get(Column.UNDO, b.hash().toBytes()));
            undo.forEach((k, v) -> {
                if (v == null) state.delete(k);
                else state.put(k, v);
            });
            tree = StateCommitment.apply(tree, undo);
        }
        Map<Hash, Map<Bytes, byte[]>> undos = new HashMap<>();
        for (Block b : added) {
            try {
                Execution exec = execute(state, b, tree);
                tree = exec.tree();
                undos.put(b.hash(), exec.undo());
            } catch (Rejection r) {
                markInvalid(b.hash(), b.height());
                LOG.warn("reorg to {} abandoned: block {} at height {} is invalid: {}", newTip, b.hash(), b.height(), r.toString());
                throw r;
            }
        }
        Block tip = added.getLast();
        BigInteger work = index.info(newTip).totalWork();
        try (KeyValueStore.WriteBatch batch = store.newBatch()) {
            for (Block b : removed) {
                for (Transaction tx : b.transactions()) batch.delete(Column.TX_INDEX, tx.hash().toBytes());
                if (b.height() > tip.height()) batch.delete(Column.CANONICAL, Keys.height(b.height()));
            }
            for (Block b : added) {
                BlockInfo bi = index.info(b.hash());
                batch.put(Column.BLOCK_INFO, b.hash().toBytes(), bi.withStatus(BlockInfo.Status.EXECUTED).encode());
                batch.put(Column.UNDO, b.hash().toBytes(), UndoRecord.encode(undos.get(b.hash())));
                writeCanonical(batch, b);
            }
            writeState(batch, state.writes());
            batch.put(Column.META, Keys.HEAD, newTip.toBytes());
            batch.commit();
        }
        Head next = new Head(newTip, tip.header(), work, tree);
        commits++;
        head = next;
        advanceFinality();
        LOG.info("reorganized: {} blocks rolled back to height {}, {} applied; new head {} at height {}",
                removed.size(), forkHeight, added.size(), newTip, tip.height());
        notifyListeners(removed, added, next);
    }

    public BlockRef finalized() {
        return finalized;
    }

    private BlockRef loadLocalFinal() {
        byte[] stored = store.get(Column.META, Keys.FINALIZED);
        if (stored == null) return new BlockRef(0, genesisHash);
        io.maaschain.codec.ByteReader r = new io.maaschain.codec.ByteReader(stored);
        BlockRef ref = decodeStored("final block pointer", () -> new BlockRef(r.u63("height"), Hash.wrap(r.raw(Hash.LENGTH, "hash"))));
        if (!ref.hash().equals(index.canonicalHash(ref.height()))) {
            throw new StorageException("the final block " + ref.hash() + " at height " + ref.height() + " is not on the stored canonical chain: run 'chain verify'");
        }
        return ref;
    }

    private static BlockRef newerOf(BlockRef a, BlockRef b) {
        return b.height() > a.height() ? b : a;
    }

    /** Moves the final pointer to what the new head's state records, if that is newer. */
    private void advanceFinality() {
        engine.finalizedIn(headState()).ifPresent(f -> {
            if (f.height() > finalized.height()) {
                finalized = f;
                LOG.info("finalized block {} at height {}", f.hash(), f.height());
            }
        });
    }

    /** A block that does not descend from the final block can never become canonical: refuse it outright. */
    private void checkDescendsFromFinal(Hash hash, Header header, HeaderAncestry ancestry) throws Rejection {
        BlockRef f = finalized;
        if (f.height() == 0) return;
        boolean conflicts = header.height() <= f.height() || !ancestry.headerAt(f.height()).hash().equals(f.hash());
        if (conflicts) {
            markInvalid(hash, header.height());
            throw new Rejection(RejectCode.FINALITY_CONFLICT, "block " + hash + " at height " + header.height()
                    + " does not descend from the final block " + f.hash() + " at height " + f.height());
        }
    }

    /**
     * Makes an imported block final by this node's own consensus decision (bft: +2/3 precommits seen). If it is on a
     * side branch, the chain reorganises to it first: finality overrides weight. Persisted before it returns.
     */
    public synchronized void finalize(Hash hash) throws Rejection {
        BlockInfo info = index.info(hash);
        if (info == null || info.status() == BlockInfo.Status.INVALID) throw new Rejection(RejectCode.UNKNOWN_PARENT, "cannot finalize unknown block " + hash);
        if (info.height() <= finalized.height()) {
            if (hash.equals(index.canonicalHash(info.height()))) return;
            throw new Rejection(RejectCode.FINALITY_CONFLICT, "block " + hash + " conflicts with the final block " + finalized.hash());
        }
        if (!hash.equals(index.canonicalHash(info.height()))) reorganize(hash, head);
        BlockRef ref = new BlockRef(info.height(), hash);
        try (KeyValueStore.WriteBatch batch = store.newBatch()) {
            batch.put(Column.META, Keys.FINALIZED, finalPointer(ref));
            batch.commit();
        }
        markLocalFinal(ref);
    }

    private static byte[] finalPointer(BlockRef ref) {
        return new io.maaschain.codec.ByteWriter(40).u64(ref.height()).raw(ref.hash().toBytes()).toByteArray();
    }

    private void markLocalFinal(BlockRef ref) {
        localFinal = ref;
        if (ref.height() > finalized.height()) {
            finalized = ref;
            LOG.debug("finalized block {} at height {} by this node's decision", ref.hash(), ref.height());
        }
    }

    /**
     * Fully validates a block built on the current head, as import would, without storing anything
     * (bft: a proposal is checked before this validator prevotes for it).
     */
    public synchronized void check(Block block, long nowMillis) throws Rejection {
        Head current = head;
        if (!block.header().parentHash().equals(current.hash())) {
            throw new Rejection(RejectCode.UNKNOWN_PARENT, "block " + block.hash() + " is not built on the head " + current.hash());
        }
        validateHeader(block, ancestryOf(current.hash(), current.height()), nowMillis);
        WorldState state = new WorldState(new CachingStateReader(headState()));
        Execution exec = execute(state, block, current.stateTree());
        lastChecked = new Checked(block.hash(), commits, new StateChange(state.writes(), exec.undo(), exec.tree()));
    }

    /** The execution of the block last {@link #check checked}, if it is this one and nothing was committed since. */
    private StateChange checkedChange(Hash hash) {
        Checked c = lastChecked;
        lastChecked = null;
        return c != null && c.hash().equals(hash) && c.atCommit() == commits ? c.change() : null;
    }

    /** A checked proposal's state change, so that committing it (bft) does not execute it a second time. */
    private record Checked(Hash hash, long atCommit, StateChange change) {}

    private void storeBlock(KeyValueStore.WriteBatch batch, Block block, BlockInfo info) {
        byte[] hash = block.hash().toBytes();
        batch.put(Column.BLOCKS, hash, BlockCodec.encode(block));
        batch.put(Column.HEADERS, hash, HeaderCodec.encode(block.header()));
        batch.put(Column.BLOCK_INFO, hash, info.encode());
    }

    private static void writeCanonical(KeyValueStore.WriteBatch batch, Block block) {
        byte[] hash = block.hash().toBytes();
        batch.put(Column.CANONICAL, Keys.height(block.height()), hash);
        List<Transaction> txs = block.transactions();
        for (int i = 0; i < txs.size(); i++) batch.put(Column.TX_INDEX, txs.get(i).hash().toBytes(), TxLocation.encode(block.hash(), i));
    }

    private static void writeState(KeyValueStore.WriteBatch batch, Map<Bytes, byte[]> writes) {
        writes.forEach((k, v) -> {
            if (v == null) batch.delete(Column.STATE, k.unsafeArray());
            else batch.put(Column.STATE, k.unsafeArray(), v);
        });
    }

    private void markInvalid(Hash hash, long height) {
        try (KeyValueStore.WriteBatch batch = store.newBatch()) {
            BlockInfo info = index.info(hash);
            batch.put(Column.BLOCK_INFO, hash.toBytes(),
                    (info != null ? info : new BlockInfo(height, BigInteger.ZERO, BlockInfo.Status.INVALID)).withStatus(BlockInfo.Status.INVALID).encode());
            batch.commit();
        }
    }

    private void notifyListeners(List<Block> removed, List<Block> added, Head next) {
        for (ChainListener l : listeners) {
            try {
                l.onHeadChanged(removed, added, next);
            } catch (RuntimeException e) {
                LOG.error("chain listener failed", e);
            }
        }
    }

    /** Decodes stored bytes, turning corruption into a storage error that names what was damaged. */
    static <T> T decodeStored(String what, java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (CodecException e) {
            throw new StorageException("stored " + what + " is corrupted: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
