package io.maaschain.consensus.dpos;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.Account;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateKeys;
import io.maaschain.state.WorldState;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A dpos chain for tests: genesis producers from {@link Fixtures#key}, blocks built and signed by hand. */
final class DposFixture {
    static final long GENESIS_TIME = 1_700_000_000_000L;
    static final long SLOT = 500;
    static final long CHAIN_ID = Fixtures.CHAIN_ID;

    final List<KeyPair> producers;
    final List<KeyPair> funded;
    final Genesis genesis;
    final DposEngine engine;

    /** {@code n} genesis producers (keys 1..n, sorted by address so that index i owns the i-th k slots), schedule of {@code active}. */
    DposFixture(int n, int active, int k, KeyPair... others) {
        this("", n, active, k, others);
    }

    /** As above, with {@code extraConsensus} (e.g. {@code "minStake": 500,}) added to the genesis consensus section. */
    DposFixture(String extraConsensus, int n, int active, int k, KeyPair... others) {
        List<KeyPair> ps = new ArrayList<>();
        for (int i = 1; i <= n; i++) ps.add(Fixtures.key(i));
        ps.sort((a, b) -> a.address().compareTo(b.address()));
        this.producers = List.copyOf(ps);
        List<KeyPair> f = new ArrayList<>(ps);
        f.addAll(List.of(others));
        this.funded = List.copyOf(f);
        this.genesis = GenesisParser.parse(genesisJson(producers, funded, active, k, extraConsensus));
        this.engine = (DposEngine) ConsensusFactory.create(genesis);
    }

    static String genesisJson(List<KeyPair> producers, List<KeyPair> funded, int active, int k) {
        return genesisJson(producers, funded, active, k, "");
    }

    static String genesisJson(List<KeyPair> producers, List<KeyPair> funded, int active, int k, String extraConsensus) {
        StringBuilder ps = new StringBuilder();
        for (KeyPair p : producers) ps.append(ps.isEmpty() ? "" : ",").append("{\"key\":\"").append(p.publicKey().toHex()).append("\",\"stake\":1000}");
        StringBuilder alloc = new StringBuilder();
        for (KeyPair p : funded) alloc.append(alloc.isEmpty() ? "" : ",").append("\"").append(p.address()).append("\":\"1000000\"");
        return """
                {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 1000, "maxBlockBytes": 1048576,
                 "consensus": {"kind": "dpos", "producers": [%s], "activeProducers": %d, "blocksPerProducer": %d,
                               %s "slotMillis": %d, "unbondingBlocks": 5, "blockReward": 10},
                 "alloc": {%s}}
                """.formatted(CHAIN_ID, GENESIS_TIME, ps, active, k, extraConsensus, SLOT, alloc);
    }

    Blockchain open() {
        return Blockchain.open(new InMemoryStore(), genesis, engine, SignatureCheck.VERIFY);
    }

    static long time(long slot) {
        return GENESIS_TIME + slot * SLOT;
    }

    /** A genesis-like world state (balances and engine entries) for rule tests without a chain. */
    WorldState genesisState() {
        Map<Bytes, byte[]> base = new HashMap<>(engine.genesisState());
        for (KeyPair k : funded) base.put(StateKeys.account(k.address()), new Account(1_000_000, 0).encode());
        return new WorldState(base::get);
    }

    /** Builds the next block at {@code slot} by {@code proposer} with {@code votes} and {@code txs}, signed. */
    static Block block(Blockchain chain, KeyPair proposer, long slot, List<CheckpointVote> votes, List<Transaction> txs) {
        ValidatorSeal seal = new ValidatorSeal(slot, proposer.publicKey(), Hash.ZERO, List.copyOf(votes), ValidatorSeal.UNSIGNED);
        Block template = new BlockBuilder(chain, SignatureCheck.VERIFY).build(txs, proposer.address(), time(slot), seal).block();
        return new Block(sign(template.header(), proposer), template.transactions());
    }

    /** Signs a header's validator seal with {@code key} (no slashing protection: tests forge on purpose). */
    static Header sign(Header h, KeyPair key) {
        ValidatorSeal seal = (ValidatorSeal) h.seal();
        ProposalSignature statement = new ProposalSignature(h.height(), seal.slot(), HeaderCodec.unsignedDigest(h), key.publicKey(), ValidatorSeal.UNSIGNED);
        return h.withSeal(seal.withSignature(key.sign(VoteCodec.signingMessage(statement, CHAIN_ID))));
    }

    static CheckpointVote vote(KeyPair key, BlockRef source, BlockRef target) {
        return vote(key, source, target, CHAIN_ID);
    }

    static CheckpointVote vote(KeyPair key, BlockRef source, BlockRef target, long chainId) {
        CheckpointVote v = new CheckpointVote(source.height(), source.hash(), target.height(), target.hash(), key.publicKey(), ValidatorSeal.UNSIGNED);
        return (CheckpointVote) v.withSignature(key.sign(VoteCodec.signingMessage(v, chainId)));
    }

    static <V extends Vote> V signed(V unsigned, KeyPair key) {
        @SuppressWarnings("unchecked")
        V v = (V) unsigned.withSignature(key.sign(VoteCodec.signingMessage(unsigned, CHAIN_ID)));
        return v;
    }

    static Transaction tx(KeyPair from, long nonce, Payload p) {
        return new UnsignedTransaction(CHAIN_ID, from.publicKey(), nonce, 1, p).sign(from);
    }

    static BlockRef head(Blockchain chain) {
        return new BlockRef(chain.head().height(), chain.head().hash());
    }

    /** The producer that owns {@code slot} on the chain's head. */
    KeyPair producerOf(Blockchain chain, long slot) {
        var key = engine.producerOf(chain.headState(), chain.head().header(), slot);
        return funded.stream().filter(k -> k.publicKey().equals(key)).findFirst().orElseThrow();
    }

    /**
     * Extends the head with a block at {@code slot} by its scheduled producer, carrying the votes of {@code voters} that
     * link the head's justified block to the head (none when the head is genesis).
     */
    Block extend(Blockchain chain, long slot, List<KeyPair> voters, List<Transaction> txs) throws io.maaschain.ledger.Rejection {
        BlockRef j = DposEngine.justifiedIn(chain.headState());
        BlockRef target = head(chain);
        List<CheckpointVote> votes = target.height() == 0 ? List.of() : voters.stream().map(v -> vote(v, j, target)).toList();
        Block b = block(chain, producerOf(chain, slot), slot, votes, txs);
        chain.importBlock(b, time(slot));
        return b;
    }

    /** The same block with other seal votes, re-signed by its proposer (the state root is left stale on purpose). */
    static Block withVotes(Block b, List<CheckpointVote> votes, KeyPair proposer) {
        ValidatorSeal seal = (ValidatorSeal) b.header().seal();
        Header h = b.header().withSeal(new ValidatorSeal(seal.slot(), seal.proposerKey(), seal.reveal(), List.copyOf(votes), ValidatorSeal.UNSIGNED));
        return new Block(sign(h, proposer), b.transactions());
    }
}
