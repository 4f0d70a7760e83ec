package io.maaschain.testing;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.pow.PowEngine;
import io.maaschain.consensus.pow.PowSealVerifier;
import io.maaschain.consensus.pow.CompactTarget;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.PowSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.state.SignatureCheck;
import io.maaschain.storage.KeyValueStore;
import java.util.List;

/** A regtest-style chain (the easiest target, no retargeting) for tests, with a trivial in-thread sealer. */
public final class TestChain {
    public static final long GENESIS_TIME = 1_700_000_000_000L;

    private TestChain() {}

    public static String genesisJson(KeyPair... funded) {
        return genesisJson(true, funded);
    }

    public static String genesisJson(boolean noRetargeting, KeyPair... funded) {
        StringBuilder alloc = new StringBuilder();
        for (KeyPair k : funded) alloc.append(alloc.isEmpty() ? "" : ",").append("\"").append(k.address()).append("\": \"1000000000\"");
        return """
                {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 1000, "maxBlockBytes": 1048576,
                 "consensus": {"kind": "pow", "powLimitBits": "0x207fffff", "initialBits": "0x207fffff",
                               "targetBlockTimeMillis": 1000, "retargetInterval": 2, "noRetargeting": %s, "blockReward": 50},
                 "alloc": {%s}}
                """.formatted(Fixtures.CHAIN_ID, GENESIS_TIME, noRetargeting, alloc);
    }

    public static Genesis genesis(KeyPair... funded) {
        return GenesisParser.parse(genesisJson(funded));
    }

    public static Blockchain open(KeyValueStore store, Genesis genesis) {
        return Blockchain.open(store, genesis, ConsensusFactory.create(genesis), SignatureCheck.VERIFY);
    }

    /** Builds and seals the next block on the current head. */
    public static Block next(Blockchain chain, List<Transaction> txs, Address proposer) {
        return nextAt(chain, txs, proposer, chain.head().header().timestampMillis() + 1000);
    }

    public static Block nextAt(Blockchain chain, List<Transaction> txs, Address proposer, long time) {
        Block template = new BlockBuilder(chain, SignatureCheck.VERIFY).build(txs, proposer, time).block();
        return seal(template);
    }

    public static Block seal(Block template) {
        Header h = template.header();
        int bits = ((PowSeal) h.seal()).bits();
        for (long nonce = 0; ; nonce++) {
            Header candidate = h.withSeal(new PowSeal(bits, nonce));
            if (PowSealVerifier.meets(candidate.hash(), CompactTarget.toTarget(bits))) return new Block(candidate, template.transactions());
        }
    }

    public static PowEngine engine(Genesis g) {
        return (PowEngine) ConsensusFactory.create(g);
    }
}
