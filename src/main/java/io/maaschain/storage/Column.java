package io.maaschain.storage;

import java.nio.charset.StandardCharsets;

/** The column families of the node database (docs/operator-guide.md, "Data directory"). */
public enum Column {
    /** Database metadata: format version, head pointer. */
    META("meta"),
    /** Block hash -> canonical block encoding. Holds canonical and side-branch blocks. */
    BLOCKS("blocks"),
    /** Block hash -> canonical header encoding, so ancestry walks never decode whole blocks. */
    HEADERS("headers"),
    /** Block hash -> block info: cumulative work and execution status. */
    BLOCK_INFO("block_info"),
    /** Height (u64 big-endian) -> hash of the canonical block at that height. */
    CANONICAL("canonical"),
    /** Transaction hash -> (block hash, index) for canonical blocks. */
    TX_INDEX("tx_index"),
    /** State key -> value, the world state at the canonical head. */
    STATE("state"),
    /** Block hash -> the state values the block overwrote, to roll it back in a reorg. */
    UNDO("undo"),
    /** Receipt sequence number (u64 big-endian) -> the node's signed receipt and local call data (docs/receipts.md). */
    RECEIPTS("receipts"),
    /** Local indexes of the receipt log: receipt hash -> seq, next seq, batches submitted and their ranges. */
    RECEIPT_INDEX("receipt_index");

    private final String familyName;

    Column(String familyName) {
        this.familyName = familyName;
    }

    public byte[] familyName() {
        return familyName.getBytes(StandardCharsets.US_ASCII);
    }
}
