package io.maaschain.consensus.light;

import io.maaschain.codec.Bytes;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftParams;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.consensus.bft.ProposerSchedule;
import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.WorldState;
import io.maaschain.state.smt.SparseMerkleTree;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bft chain built by the engine's own rules, with real state roots over the engine's state (no transactions), so a
 * light client can be served headers, validator-set proofs and commits exactly as a node would serve them.
 * {@code changes} applies validator-set changes (what SetValidator or Evidence would do) in the state of a given height.
 */
public final class BftTestChain {
    public static final long CHAIN = Fixtures.CHAIN_ID;
    public static final long T0 = 1_700_000_000_000L;

    public final BftEngine engine;
    public final List<KeyPair> keys;
    public final Header genesis;
    public final List<Header> headers = new ArrayList<>();       // index = height; 0 is genesis
    public final List<ServedHeader> served = new ArrayList<>();  // index = height
    public final List<List<Vote>> commits = new ArrayList<>();   // index = height: the precommits that commit it
    private final List<ValidatorSet> sets = new ArrayList<>(); // index = height: the set voting on it

    /** {@code votingKeys}: every key that may ever sign (validators now or later). */
    public BftTestChain(List<KeyPair> genesisValidators, List<KeyPair> votingKeys, int length, Map<Long, ValidatorSet> changes, long nowMillis) {
        this(new BftEngine(BftParams.fromGenesis(json(BftEngine.genesisSection(genesisValidators))), CHAIN), null, null, votingKeys, length, changes);
    }

    /**
     * A chain on {@code genesisHeader} whose state before block 1 is {@code initialState} (null: the engine's genesis
     * state and a synthetic genesis header). A forger passes a real genesis header with a state of its own making.
     */
    public BftTestChain(BftEngine engine, Header genesisHeader, Map<Bytes, byte[]> initialState, List<KeyPair> votingKeys, int length,
                        Map<Long, ValidatorSet> changes) {
        this.engine = engine;
        this.keys = votingKeys;
        Map<Bytes, byte[]> state = new HashMap<>(initialState == null ? engine.genesisState() : initialState);
        SparseMerkleTree tree = tree(state);
        genesis = genesisHeader != null ? genesisHeader
                : new Header(0, Fixtures.digest("genesis file"), T0, MerkleTree.EMPTY_ROOT, tree.root(), Address.wrap(new byte[20]), 0, engine.genesisSeal());
        headers.add(genesis);
        served.add(served(genesis, state, tree));
        commits.add(List.of());
        sets.add(null);
        for (long h = 1; h <= length; h++) {
            ValidatorSet set = BftState.nextValidators(state::get);
            PublicKey proposerKey = ProposerSchedule.proposer(set, h, 0);
            KeyPair proposer = key(proposerKey);
            Header parent = headers.getLast();
            List<Vote> carried = h == 1 ? List.of() : commits.get((int) h - 1);
            Header draft = new Header(h, parent.hash(), genesis.timestampMillis() + h * 1000, MerkleTree.EMPTY_ROOT, Hash.ZERO, proposer.address(), 0,
                    BftEngine.unsignedSeal(0, proposerKey, carried));
            WorldState ws = new WorldState(state::get);
            try {
                engine.beginBlock(ws, draft);
            } catch (io.maaschain.ledger.Rejection e) {
                throw new AssertionError("test chain broke its own rules at height " + h + ": " + e, e);
            }
            if (changes.containsKey(h)) BftState.setNextValidators(ws, changes.get(h));
            ws.writes().forEach((k, v) -> {
                if (v == null) state.remove(k);
                else state.put(k, v);
            });
            tree = tree(state);
            Header header = sign(proposer, new Header(h, parent.hash(), draft.timestampMillis(), draft.txRoot(), tree.root(), proposer.address(), 0, draft.seal()));
            headers.add(header);
            served.add(served(header, state, tree));
            sets.add(set);
            commits.add(precommits(set, header, set.validators().stream().map(ValidatorSet.Validator::key).toList()));
        }
    }

    public static BftTestChain of(int validators, int length) {
        List<KeyPair> keys = keys(validators);
        return new BftTestChain(keys, keys, length, Map.of(), 0);
    }

    public static List<KeyPair> keys(int n) {
        List<KeyPair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Fixtures.key(300 + i));
        return out;
    }

    public LightChain genesisChain() {
        return new LightChain(List.of(genesis), List.of(new SetChange(1, BftState.nextValidators(engine.genesisState()::get))), List.of());
    }

    public LightRules rules() {
        return LightRules.of(engine).orElseThrow();
    }

    /** Served headers {@code from..to}. */
    public List<ServedHeader> served(long from, long to) {
        return new ArrayList<>(served.subList((int) from, (int) to + 1));
    }

    ValidatorSet setAt(long height) {
        return sets.get((int) height);
    }

    KeyPair key(PublicKey k) {
        return keys.stream().filter(p -> p.publicKey().equals(k)).findFirst().orElseThrow();
    }

    List<Vote> precommits(ValidatorSet set, Header block, List<PublicKey> voters) {
        List<Vote> out = new ArrayList<>();
        for (PublicKey v : voters) out.add(precommit(key(v), block));
        return out;
    }

    public static RoundVote precommit(KeyPair k, Header block) {
        RoundVote unsigned = new RoundVote(RoundVote.Step.PRECOMMIT, block.height(), 0, block.hash(), k.publicKey(), ValidatorSeal.UNSIGNED);
        return unsigned.withSignature(k.sign(VoteCodec.signingMessage(unsigned, CHAIN)));
    }

    static Header sign(KeyPair proposer, Header unsigned) {
        var sig = proposer.sign(VoteCodec.signingMessage(HeaderCodec.proposalSignature(unsigned), CHAIN));
        return unsigned.withSeal(((ValidatorSeal) unsigned.seal()).withSignature(sig));
    }

    /** {@code h} with its seal's votes replaced, re-signed by {@code proposer}. */
    static Header withVotes(Header h, KeyPair proposer, List<Vote> votes) {
        ValidatorSeal s = (ValidatorSeal) h.seal();
        return sign(proposer, h.withSeal(new ValidatorSeal(s.slot(), s.proposerKey(), s.reveal(), votes, ValidatorSeal.UNSIGNED)));
    }

    private static ServedHeader served(Header h, Map<Bytes, byte[]> state, SparseMerkleTree tree) {
        byte[] value = state.get(BftState.nextValidatorsKey());
        return new ServedHeader(h, value, tree.prove(Sha256.hash(BftState.nextValidatorsKey().unsafeArray())));
    }

    private static SparseMerkleTree tree(Map<Bytes, byte[]> state) {
        Map<Hash, Hash> leaves = new HashMap<>();
        state.forEach((k, v) -> leaves.put(Sha256.hash(k.unsafeArray()), Sha256.hash(v)));
        return SparseMerkleTree.build(leaves);
    }

    static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
