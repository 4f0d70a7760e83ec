package io.maaschain.consensus.dpos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.tx.Unstake;
import io.maaschain.ledger.tx.VoteProducers;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bounded dpos staking state: bonds below {@code minStake} and votes below {@code minVote} are refused when written,
 * registrations beyond {@code maxCandidates} are refused with LIST_FULL (so no block ever meets an oversized list), and the
 * genesis parameters are parsed strictly.
 */
class DposStakingLimitsTest {
    static final String LIMITS = "\"minStake\": 500, \"minVote\": 2000, \"maxCandidates\": 5,";

    final List<KeyPair> spammers = new ArrayList<>();
    final DposFixture f;
    final StateTransition stf;
    final WorldState state;
    final Map<KeyPair, Long> nonces = new HashMap<>();

    DposStakingLimitsTest() {
        for (int i = 0; i < 2_000; i++) spammers.add(Fixtures.key(10_000 + i));
        f = new DposFixture(LIMITS, 4, 4, 2, spammers.toArray(KeyPair[]::new));
        stf = new StateTransition(f.genesis.params(), f.engine.rules());
        state = f.genesisState();
    }

    Rejection tryApply(KeyPair from, Payload p) {
        Transaction tx = new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonces.getOrDefault(from, 0L), 1, p).sign(from);
        Map<Bytes, byte[]> before = new HashMap<>(state.writes());
        try {
            stf.applyTransaction(state, tx, 10, SignatureCheck.VERIFY);
            nonces.merge(from, 1L, Long::sum);
            return null;
        } catch (Rejection r) {
            assertThat(state.writes()).containsExactlyInAnyOrderEntriesOf(before);
            return r;
        }
    }

    @Test
    void thousandsOfMinimalStakesAndVotesAreRefusedAndWriteNothing() {
        int writesBefore = state.writes().size();
        for (KeyPair k : spammers) {
            Rejection r = tryApply(k, new Stake(1, Hash.ZERO));
            assertThat(r).isNotNull();
            assertThat(r.code()).isEqualTo(RejectCode.INSUFFICIENT_STAKE);
            assertThat(r.getMessage()).contains("at least 500");
        }
        assertThat(state.writes()).hasSize(writesBefore);
        assertThat(Bonds.bonded(state)).containsExactlyInAnyOrderElementsOf(f.producers.stream().map(KeyPair::address).toList());
        // Staked at the minimum, still below the minimum vote: the votes are refused too.
        List<KeyPair> some = spammers.subList(0, 200);
        for (KeyPair k : some) assertThat(tryApply(k, new Stake(500, Hash.ZERO))).isNull();
        for (KeyPair k : some) {
            Rejection r = tryApply(k, new VoteProducers(List.of(f.producers.getFirst().address())));
            assertThat(r).isNotNull();
            assertThat(r.code()).isEqualTo(RejectCode.INSUFFICIENT_STAKE);
            assertThat(r.getMessage()).contains("at least 2000");
        }
        assertThat(DposState.candidate(state, f.producers.getFirst().address()).orElseThrow().approval()).isEqualTo(1000);
        KeyPair whale = spammers.getLast();
        assertThat(tryApply(whale, new Stake(2_000, Hash.ZERO))).isNull();
        assertThat(tryApply(whale, new VoteProducers(List.of(f.producers.getFirst().address())))).isNull();
        assertThat(DposState.candidate(state, f.producers.getFirst().address()).orElseThrow().approval()).isEqualTo(3000);
    }

    @Test
    void anUnstakeMayNotLeaveDustBehind() {
        KeyPair k = spammers.getFirst();
        assertThat(tryApply(k, new Stake(800, Hash.ZERO))).isNull();
        assertThat(tryApply(k, new Unstake(400)).code()).isEqualTo(RejectCode.INSUFFICIENT_STAKE);
        assertThat(tryApply(k, new Unstake(300))).isNull();
        assertThat(tryApply(k, new Unstake(500))).isNull();
        assertThat(Bonds.bonded(state)).doesNotContain(k.address());
    }

    @Test
    void theCandidateCapIsEnforcedWhenARegistrationWouldExceedIt() {
        KeyPair fifth = spammers.get(0);
        KeyPair sixth = spammers.get(1);
        for (KeyPair k : List.of(fifth, sixth)) assertThat(tryApply(k, new Stake(500, Hash.ZERO))).isNull();
        assertThat(tryApply(fifth, new RegisterProducer("https://fifth.example"))).isNull();
        assertThat(DposState.candidates(state)).hasSize(5);
        Rejection full = tryApply(sixth, new RegisterProducer("https://sixth.example"));
        assertThat(full.code()).isEqualTo(RejectCode.LIST_FULL);
        assertThat(full.getMessage()).contains("5 producer candidates").contains("maxCandidates");
        // A registered candidate may still change its url at the cap.
        assertThat(tryApply(fifth, new RegisterProducer("https://moved.example"))).isNull();
        assertThat(DposState.candidates(state)).hasSize(5);
    }

    static String genesis(String extra) {
        KeyPair p = Fixtures.key(1);
        return """
                {"chainId": 1337, "consensus": {"kind": "dpos", "producers": [{"key": "%s", "stake": 1000}], %s "activeProducers": 1}}
                """.formatted(p.publicKey().toHex(), extra);
    }

    @Test
    void theGenesisParametersAreParsedStrictlyWithDefaultsThatKeepOldFilesValid() {
        DposParams defaults = DposGenesis.parse(GenesisParser.parse(genesis("")));
        assertThat(defaults.minStake()).isEqualTo(DposGenesis.DEFAULT_MIN_STAKE);
        assertThat(defaults.minVote()).isEqualTo(DposGenesis.DEFAULT_MIN_VOTE);
        assertThat(defaults.maxCandidates()).isEqualTo(DposGenesis.DEFAULT_MAX_CANDIDATES);
        DposParams set = DposGenesis.parse(GenesisParser.parse(genesis("\"minStake\": \"1000\", \"minVote\": 7, \"maxCandidates\": 3,")));
        assertThat(List.of(set.minStake(), set.minVote(), (long) set.maxCandidates())).containsExactly(1000L, 7L, 3L);
        assertThatThrownBy(() -> DposGenesis.parse(GenesisParser.parse(genesis("\"minStake\": 1001,"))))
                .isInstanceOf(CodecException.class).hasMessageContaining("below minStake");
        assertThatThrownBy(() -> DposGenesis.parse(GenesisParser.parse(genesis("\"minVote\": 0,"))))
                .isInstanceOf(CodecException.class).hasMessageContaining("minVote");
        assertThatThrownBy(() -> DposGenesis.parse(GenesisParser.parse(genesis("\"minStake\": 1.5,")))).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> DposGenesis.parse(GenesisParser.parse(genesis("\"maxCandidates\": 0,"))))
                .isInstanceOf(CodecException.class).hasMessageContaining("maxCandidates");
        assertThatThrownBy(() -> DposGenesis.parse(GenesisParser.parse(genesis("\"maxCandidates\": 10001,"))))
                .isInstanceOf(CodecException.class).hasMessageContaining("maxCandidates");
        assertThatThrownBy(() -> DposGenesis.parse(GenesisParser.parse(genesis("\"minStakes\": 5,"))))
                .isInstanceOf(CodecException.class).hasMessageContaining("unknown dpos field 'minStakes'");
    }

    @Test
    void theTestnetSectionParsesBackToItsOwnValues() {
        List<KeyPair> keys = List.of(Fixtures.key(1), Fixtures.key(2), Fixtures.key(3));
        String json = """
                {"chainId": 1337, "consensus": %s}""".formatted(DposGenesis.section(keys));
        DposParams p = DposGenesis.parse(GenesisParser.parse(json));
        assertThat(p.producers()).extracting(DposParams.GenesisProducer::key).containsExactlyElementsOf(keys.stream().map(KeyPair::publicKey).toList());
        assertThat(p.producers()).allSatisfy(g -> assertThat(g.stake()).isEqualTo(DposGenesis.TESTNET_STAKE));
        assertThat(List.of((long) p.activeProducers(), (long) p.blocksPerProducer(), p.slotMillis(), p.unbondingBlocks(), p.blockReward()))
                .containsExactly(3L, 2L, 500L, 100L, 10L);
    }
}
