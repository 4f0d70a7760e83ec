package io.maaschain.ledger;

/** The rules a chain fixes in its genesis file, apart from the consensus engine's own parameters. */
public record ChainParams(long chainId, long minTxFee, int maxBlockTransactions, int maxBlockBytes) {
    public ChainParams {
        if (chainId < 0) throw new IllegalArgumentException("chainId must not be negative");
        if (minTxFee < 0) throw new IllegalArgumentException("minTxFee must not be negative");
        if (maxBlockTransactions < 1) throw new IllegalArgumentException("maxBlockTransactions must be at least 1");
        if (maxBlockBytes < 1024 || maxBlockBytes > io.maaschain.ledger.block.BlockCodec.MAX_BLOCK_BYTES / 2) {
            throw new IllegalArgumentException("maxBlockBytes must be in 1024.." + io.maaschain.ledger.block.BlockCodec.MAX_BLOCK_BYTES / 2);
        }
    }
}
