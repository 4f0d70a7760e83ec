package io.maaschain.consensus.dpos;

import static io.maaschain.consensus.dpos.DposFixture.signed;
import static io.maaschain.consensus.dpos.DposFixture.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.SetValidator;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.ledger.tx.Unstake;
import io.maaschain.ledger.tx.VoteProducers;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import io.maaschain.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dpos transaction payloads: stake, unstake, registration, approval votes and evidence, with their tallies. */
class DposRulesTest {
    final KeyPair voter = Fixtures.key(50);
    final KeyPair newcomer = Fixtures.key(51);
    final DposFixture f = new DposFixture(4, 4, 2, voter, newcomer);
    final List<KeyPair> p = f.producers;
    final StateTransition stf = new StateTransition(f.genesis.params(), f.engine.rules());
    final WorldState state = f.genesisState();
    final Map<Address, Long> nonces = new HashMap<>();

    void apply(KeyPair from, Payload payload) throws Rejection {
        stf.applyTransaction(state, tx(from, nonces.getOrDefault(from.address(), 0L), payload), 10, SignatureCheck.VERIFY);
        nonces.merge(from.address(), 1L, Long::sum);
    }

    void assertRejected(KeyPair from, Payload payload, RejectCode code) {
        Map<Bytes, byte[]> before = new HashMap<>(state.writes());
        assertThatThrownBy(() -> stf.applyTransaction(state, tx(from, nonces.getOrDefault(from.address(), 0L), payload), 10, SignatureCheck.VERIFY))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.code()).isEqualTo(code));
        assertThat(state.writes()).containsExactlyInAnyOrderEntriesOf(before);
    }

    long approval(KeyPair k) {
        return DposState.candidate(state, k.address()).orElseThrow().approval();
    }

    @Test
    void genesisProducersAreBondedRegisteredAndApproveThemselves() {
        for (KeyPair k : p) {
            assertThat(approval(k)).isEqualTo(1000);
            assertThat(Bonds.get(state, k.address()).orElseThrow().bonded()).isEqualTo(1000);
        }
        assertThat(DposState.candidates(state)).containsExactlyElementsOf(p.stream().map(KeyPair::address).toList());
    }

    @Test
    void talliesFollowStakeUnstakeAndReplacedVotes() throws Rejection {
        apply(voter, new Stake(500, Hash.ZERO));
        apply(voter, new VoteProducers(List.of(p.get(0).address(), p.get(1).address())));
        assertThat(approval(p.get(0))).isEqualTo(1500);
        assertThat(approval(p.get(1))).isEqualTo(1500);
        apply(voter, new Unstake(200));
        assertThat(approval(p.get(0))).isEqualTo(1300);
        apply(voter, new Stake(100, Hash.ZERO));
        assertThat(approval(p.get(1))).isEqualTo(1400);
        apply(voter, new VoteProducers(List.of(p.get(2).address())));
        assertThat(List.of(approval(p.get(0)), approval(p.get(1)), approval(p.get(2)), approval(p.get(3)))).containsExactly(1000L, 1000L, 1400L, 1000L);
        apply(voter, new VoteProducers(List.of()));
        assertThat(approval(p.get(2))).isEqualTo(1000);
        assertThat(DposState.voter(state, voter.address())).isEmpty();
        assertThat(state.account(voter.address()).balance()).isEqualTo(1_000_000 - 500 - 100 - 6);
    }

    @Test
    void votesForNonCandidatesOrWithoutStakeAreRejected() throws Rejection {
        apply(voter, new Stake(500, Hash.ZERO));
        assertRejected(voter, new VoteProducers(List.of(p.get(0).address(), newcomer.address())), RejectCode.NOT_VALIDATOR);
        assertRejected(newcomer, new VoteProducers(List.of(p.get(0).address())), RejectCode.INSUFFICIENT_STAKE);
    }

    @Test
    void moreThanThirtyVotesAreRefusedByTheRecordAndTheCodec() {
        List<Address> thirtyOne = IntStream.range(0, 31).mapToObj(i -> Fixtures.key(100 + i).address()).toList();
        assertThatThrownBy(() -> new VoteProducers(thirtyOne)).isInstanceOf(IllegalArgumentException.class);
        byte[] thirty = TransactionCodec.encode(tx(voter, 0, new VoteProducers(thirtyOne.subList(0, 30))));
        int countAt = 1 + 8 + 1 + 32 + 8 + 8;
        assertThat(thirty[countAt + 1]).isEqualTo((byte) 30);
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        forged.write(thirty, 0, countAt);
        forged.write(0);
        forged.write(31);
        forged.write(thirty, countAt + 2, 30 * Address.LENGTH);
        forged.writeBytes(thirtyOne.get(30).toBytes());
        forged.write(thirty, countAt + 2 + 30 * Address.LENGTH, thirty.length - countAt - 2 - 30 * Address.LENGTH);
        assertThatThrownBy(() -> TransactionCodec.decode(forged.toByteArray())).isInstanceOf(CodecException.class).hasMessageContaining("limit 30");
    }

    @Test
    void registrationNeedsBondedStakeAndKeepsApprovalOnReregistration() throws Rejection {
        assertRejected(newcomer, new RegisterProducer("https://newcomer.example"), RejectCode.INSUFFICIENT_STAKE);
        apply(newcomer, new Stake(100, Hash.ZERO));
        apply(newcomer, new RegisterProducer("https://newcomer.example"));
        assertThat(approval(newcomer)).isZero();
        apply(voter, new Stake(700, Hash.ZERO));
        apply(voter, new VoteProducers(List.of(newcomer.address())));
        apply(newcomer, new RegisterProducer("https://moved.example"));
        assertThat(DposState.candidate(state, newcomer.address()).orElseThrow()).satisfies(c -> {
            assertThat(c.approval()).isEqualTo(700);
            assertThat(c.url()).isEqualTo("https://moved.example");
        });
    }

    @Test
    void aStakeWithARevealCommitmentAndForeignPayloadsAreRejected() {
        assertRejected(voter, new Stake(10, Fixtures.digest("onion")), RejectCode.MALFORMED);
        assertRejected(voter, new SetValidator(voter.publicKey(), 1), RejectCode.UNSUPPORTED_PAYLOAD);
        assertRejected(voter, new Unstake(1), RejectCode.INSUFFICIENT_STAKE);
    }

    @Test
    void evidenceSlashesUnregistersAndWithdrawsTheOffendersVotes() throws Rejection {
        KeyPair offender = p.get(0);
        apply(voter, new Stake(500, Hash.ZERO));
        apply(voter, new VoteProducers(List.of(offender.address(), p.get(1).address())));
        apply(offender, new VoteProducers(List.of(offender.address(), p.get(1).address())));
        assertThat(approval(p.get(1))).isEqualTo(2500);

        CheckpointVote a = signed(new CheckpointVote(0, Hash.ZERO, 5, Fixtures.digest("a"), offender.publicKey(), ValidatorSeal.UNSIGNED), offender);
        CheckpointVote b = signed(new CheckpointVote(0, Hash.ZERO, 5, Fixtures.digest("b"), offender.publicKey(), ValidatorSeal.UNSIGNED), offender);
        CheckpointVote unrelated = signed(new CheckpointVote(0, Hash.ZERO, 6, Fixtures.digest("c"), offender.publicKey(), ValidatorSeal.UNSIGNED), offender);
        assertRejected(voter, EvidenceCheck.of(a, unrelated), RejectCode.INVALID_EVIDENCE);

        apply(voter, EvidenceCheck.of(a, b));
        assertThat(Bonds.get(state, offender.address()).orElseThrow().slashed()).isTrue();
        assertThat(DposState.candidate(state, offender.address())).isEmpty();
        assertThat(DposState.candidates(state)).doesNotContain(offender.address());
        assertThat(approval(p.get(1))).isEqualTo(1500);
        assertThat(Rounds.elect(Rounds.candidates(state), 4)).doesNotContain(offender.publicKey());

        assertRejected(voter, EvidenceCheck.of(a, b), RejectCode.INVALID_EVIDENCE);
        assertRejected(offender, new RegisterProducer("again"), RejectCode.NOT_VALIDATOR);
        assertRejected(offender, new Stake(5, Hash.ZERO), RejectCode.NOT_VALIDATOR);
        assertRejected(voter, new Evidence(new byte[] {1, 2}, new byte[] {3}), RejectCode.INVALID_EVIDENCE);
        List<Address> still = new ArrayList<>(DposState.voter(state, voter.address()).orElseThrow().votes());
        assertThat(still).contains(offender.address());
    }
}
