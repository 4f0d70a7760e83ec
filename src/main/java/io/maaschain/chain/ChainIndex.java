package io.maaschain.chain;

import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.storage.Column;
import io.maaschain.storage.KeyValueStore;
import java.util.Optional;

/** Typed reads of stored blocks, headers and indexes. Every read is decoded strictly and checked against its key. */
public final class ChainIndex {
    private final KeyValueStore store;

    ChainIndex(KeyValueStore store) {
        this.store = store;
    }

    public Header header(Hash hash) {
        byte[] bytes = store.get(Column.HEADERS, hash.toBytes());
        if (bytes == null) return null;
        Header h = Blockchain.decodeStored("header " + hash, () -> HeaderCodec.decode(bytes));
        if (!h.hash().equals(hash)) throw new io.maaschain.storage.StorageException("stored header " + hash + " hashes to " + h.hash() + ": the database is corrupted");
        return h;
    }

    public Block block(Hash hash) {
        byte[] bytes = store.get(Column.BLOCKS, hash.toBytes());
        if (bytes == null) return null;
        Block b = Blockchain.decodeStored("block " + hash, () -> BlockCodec.decode(bytes));
        if (!b.hash().equals(hash)) throw new io.maaschain.storage.StorageException("stored block " + hash + " hashes to " + b.hash() + ": the database is corrupted");
        return b;
    }

    /** The raw stored encoding of a block, for export and sync without a decode/encode round trip. */
    public byte[] blockBytes(Hash hash) {
        return store.get(Column.BLOCKS, hash.toBytes());
    }

    BlockInfo info(Hash hash) {
        byte[] bytes = store.get(Column.BLOCK_INFO, hash.toBytes());
        return bytes == null ? null : Blockchain.decodeStored("block info " + hash, () -> BlockInfo.decode(bytes));
    }

    public Hash canonicalHash(long height) {
        byte[] bytes = store.get(Column.CANONICAL, Keys.height(height));
        return bytes == null ? null : Hash.wrap(bytes);
    }

    public Block canonicalBlock(long height) {
        Hash h = canonicalHash(height);
        return h == null ? null : block(h);
    }

    public Optional<TxLocation> transaction(Hash txHash) {
        byte[] bytes = store.get(Column.TX_INDEX, txHash.toBytes());
        return bytes == null ? Optional.empty() : Optional.of(Blockchain.decodeStored("tx index", () -> TxLocation.decode(bytes)));
    }
}
