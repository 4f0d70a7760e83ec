package io.maaschain.consensus.bft;

import io.maaschain.consensus.ValidatorSeals;
import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.Seal;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.state.ConsensusRules;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tendermint-style BFT behind the engine port. A block at height h is valid when its proposer is the one scheduled for
 * (h, seal slot = round) by the validator set in force at h, and (for h >= 2) its seal carries the commit of its parent:
 * precommits for the parent from more than 2/3 of the parent's validators. That commit makes the parent final in the
 * block's state, so finality is instant and every block stores the signatures that committed its parent. The active
 * part (rounds, locking, timeouts) is {@link BftProtocol}.
 */
public final class BftEngine implements ConsensusEngine {
    public static final String KIND = "bft";
    private static final PublicKey NO_KEY = PublicKey.wrap(new byte[PublicKey.LENGTH]);

    private final BftParams params;
    private final long chainId;
    private final BftRules rules;

    public BftEngine(BftParams params, long chainId) {
        this.params = params;
        this.chainId = chainId;
        this.rules = new BftRules(chainId);
    }

    public static BftEngine fromGenesis(JsonNode section, long chainId) {
        return new BftEngine(BftParams.fromGenesis(section), chainId);
    }

    /** The genesis consensus section of a testnet whose validators have equal power and the default timeouts. */
    public static String genesisSection(List<KeyPair> validators) {
        StringBuilder list = new StringBuilder();
        for (KeyPair k : validators) {
            list.append(list.isEmpty() ? "" : ", ").append("{\"key\": \"").append(k.publicKey().toHex()).append("\", \"power\": 1}");
        }
        return """
                {"kind": "bft", "validators": [%s], "timeoutProposeMillis": %d, "timeoutPrevoteMillis": %d, "timeoutPrecommitMillis": %d, \
                "timeoutDeltaMillis": %d, "timeoutCapMillis": %d, "timeoutCommitMillis": %d, "blockReward": %d}"""
                .formatted(list, BftParams.DEFAULT_TIMEOUT_PROPOSE, BftParams.DEFAULT_TIMEOUT_PREVOTE, BftParams.DEFAULT_TIMEOUT_PRECOMMIT,
                        BftParams.DEFAULT_TIMEOUT_DELTA, BftParams.DEFAULT_TIMEOUT_CAP, BftParams.DEFAULT_TIMEOUT_COMMIT, BftParams.DEFAULT_BLOCK_REWARD);
    }

    public BftParams params() {
        return params;
    }

    public long chainId() {
        return chainId;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Seal genesisSeal() {
        return unsignedSeal(0, NO_KEY, List.of());
    }

    /** A seal for round {@code round} by {@code proposer} carrying {@code commit}, to be signed by the proposer. */
    public static ValidatorSeal unsignedSeal(int round, PublicKey proposer, List<io.maaschain.ledger.vote.Vote> commit) {
        return new ValidatorSeal(round, proposer, Hash.ZERO, commit, ValidatorSeal.UNSIGNED);
    }

    @Override
    public Seal templateSeal(HeaderAncestry ancestry, long height) {
        return genesisSeal();
    }

    @Override
    public void validateSeal(Header header, HeaderAncestry ancestry) throws Rejection {
        ValidatorSeal seal = seal(header);
        if (!seal.reveal().equals(Hash.ZERO)) throw new Rejection(RejectCode.INVALID_SEAL, "a bft seal has no reveal");
        if (seal.slot() > Integer.MAX_VALUE) throw new Rejection(RejectCode.INVALID_SEAL, "round " + seal.slot() + " is too large");
        ValidatorSeals.requireSignedByProposer(header, seal, chainId);
        Header parent = ancestry.headerAt(header.height() - 1);
        if (header.timestampMillis() <= parent.timestampMillis()) {
            throw new Rejection(RejectCode.INVALID_HEADER, "timestamp " + header.timestampMillis() + " is not after the parent's " + parent.timestampMillis());
        }
    }

    private static ValidatorSeal seal(Header header) throws Rejection {
        if (!(header.seal() instanceof ValidatorSeal s)) throw new Rejection(RejectCode.INVALID_SEAL, "a bft block needs a validator seal");
        return s;
    }

    @Override
    public BigInteger weight(Header header) {
        return BigInteger.ONE;
    }

    @Override
    public long blockReward(long height) {
        return params.blockReward();
    }

    @Override
    public Map<Bytes, byte[]> genesisState() {
        return Map.of(BftState.nextValidatorsKey(), params.validators().encode());
    }

    @Override
    public ConsensusRules rules() {
        return rules;
    }

    @Override
    public void beginBlock(WorldState state, Header header) throws Rejection {
        ValidatorSeal seal = seal(header);
        ValidatorSet validators = BftState.nextValidators(state);
        if (seal.slot() > Integer.MAX_VALUE) throw new Rejection(RejectCode.INVALID_SEAL, "round " + seal.slot() + " is too large");
        PublicKey scheduled = ProposerSchedule.proposer(validators, header.height(), seal.slot());
        if (!seal.proposerKey().equals(scheduled)) {
            throw new Rejection(RejectCode.INVALID_SEAL, "height " + header.height() + " round " + seal.slot() + " is " + scheduled
                    + "'s to propose, not " + seal.proposerKey() + "'s");
        }
        if (header.height() == 1) {
            if (!seal.votes().isEmpty()) throw new Rejection(RejectCode.INVALID_SEAL, "the first block has no parent commit to carry");
        } else {
            ValidatorSet parentValidators = BftState.lastValidators(state)
                    .orElseThrow(() -> new IllegalStateException("the parent state records no voting validator set"));
            CommitCheck.verify(seal.votes(), parentValidators, header.height() - 1, header.parentHash(), chainId);
            BftState.setFinalBlock(state, new BlockRef(header.height() - 1, header.parentHash()));
        }
        if (!BftState.lastValidators(state).equals(Optional.of(validators))) BftState.setLastValidators(state, validators);
    }

    /** The set that votes on the next height, or the one that voted on the head (late precommits still count). */
    @Override
    public boolean maySign(StateReader state, PublicKey key) {
        return BftState.nextValidators(state).contains(key) || BftState.lastValidators(state).filter(s -> s.contains(key)).isPresent();
    }

    @Override
    public Optional<BlockRef> finalizedIn(StateReader state) {
        return BftState.finalBlock(state);
    }

    @Override
    public Map<String, Object> describe(StateReader state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", KIND);
        ValidatorSet next = BftState.nextValidators(state);
        List<Map<String, Object>> validators = new ArrayList<>();
        for (ValidatorSet.Validator v : next.validators()) {
            validators.add(Map.of("key", v.key().toHex(), "address", v.key().address().toString(), "power", v.power()));
        }
        out.put("validators", validators);
        out.put("totalPower", next.totalPower());
        Optional<BlockRef> f = finalizedIn(state);
        out.put("finalHeight", f.map(BlockRef::height).orElse(0L));
        f.ifPresent(ref -> out.put("finalHash", ref.hash().toHex()));
        return out;
    }
}
