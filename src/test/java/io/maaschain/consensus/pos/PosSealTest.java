package io.maaschain.consensus.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.PowSeal;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.testing.Fixtures;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class PosSealTest {
    private final PosTestKit kit = PosTestKit.equal(4);
    private final KeyPair key = kit.keys.getFirst();
    private final Header parent = new Header(4, Hash.ZERO, kit.params.slotStart(6), Hash.ZERO, Hash.ZERO, key.address(), 0,
            new ValidatorSeal(6, key.publicKey(), Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED));
    private final HeaderAncestry ancestry = h -> parent;

    private Header signed(Header unsigned, KeyPair signer, long chainId) {
        ValidatorSeal seal = (ValidatorSeal) unsigned.seal();
        ProposalSignature p = HeaderCodec.proposalSignature(unsigned);
        return unsigned.withSeal(seal.withSignature(signer.sign(VoteCodec.signingMessage(p, chainId))));
    }

    private Header header(long slot, long timestamp, KeyPair proposerKey) {
        return new Header(5, parent.hash(), timestamp, Hash.ZERO, Hash.ZERO, key.address(), 0,
                new ValidatorSeal(slot, proposerKey.publicKey(), Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED));
    }

    private void rejects(Header h, RejectCode code) {
        assertThatThrownBy(() -> kit.engine.validateSeal(h, ancestry)).isInstanceOf(Rejection.class)
                .extracting(e -> ((Rejection) e).code()).isEqualTo(code);
    }

    @Test
    void aWellFormedSealPasses() {
        assertThatCode(() -> kit.engine.validateSeal(signed(header(7, kit.params.slotStart(7), key), key, Fixtures.CHAIN_ID), ancestry))
                .doesNotThrowAnyException();
    }

    @Test
    void theTimestampMustBeTheSlotStart() {
        rejects(signed(header(7, kit.params.slotStart(7) + 1, key), key, Fixtures.CHAIN_ID), RejectCode.INVALID_HEADER);
        rejects(signed(header(7, kit.params.slotStart(8), key), key, Fixtures.CHAIN_ID), RejectCode.INVALID_HEADER);
    }

    @Test
    void theSlotMustFollowTheParent() {
        rejects(signed(header(6, kit.params.slotStart(6), key), key, Fixtures.CHAIN_ID), RejectCode.INVALID_SEAL);
        rejects(signed(header(Long.MAX_VALUE / 2, 0, key), key, Fixtures.CHAIN_ID), RejectCode.INVALID_SEAL);
    }

    @Test
    void theSignatureAndKeyMustBeTheProposers() {
        KeyPair other = kit.keys.get(1);
        rejects(signed(header(7, kit.params.slotStart(7), other), other, Fixtures.CHAIN_ID), RejectCode.INVALID_SEAL);
        rejects(signed(header(7, kit.params.slotStart(7), key), other, Fixtures.CHAIN_ID), RejectCode.INVALID_SEAL);
        rejects(signed(header(7, kit.params.slotStart(7), key), key, Fixtures.CHAIN_ID + 1), RejectCode.INVALID_SEAL);
        rejects(header(7, kit.params.slotStart(7), key), RejectCode.INVALID_SEAL);
    }

    @Test
    void onlyCheckpointVotesAndValidatorSealsAreAccepted() {
        RoundVote r = new RoundVote(RoundVote.Step.PRECOMMIT, 4, 0, Hash.ZERO, key.publicKey(), ValidatorSeal.UNSIGNED);
        Header withRoundVote = new Header(5, parent.hash(), kit.params.slotStart(7), Hash.ZERO, Hash.ZERO, key.address(), 0,
                new ValidatorSeal(7, key.publicKey(), Hash.ZERO, List.of(r), ValidatorSeal.UNSIGNED));
        rejects(signed(withRoundVote, key, Fixtures.CHAIN_ID), RejectCode.INVALID_SEAL);
        rejects(new Header(5, parent.hash(), kit.params.slotStart(7), Hash.ZERO, Hash.ZERO, key.address(), 0, new PowSeal(0, 0)),
                RejectCode.INVALID_SEAL);
    }

    @Test
    void forkChoiceWeighsVotesFromOneEpochToTheNextMost() {
        Hash h = Fixtures.digest("checkpoint");
        CheckpointVote link = new CheckpointVote(1, h, 2, h, key.publicKey(), ValidatorSeal.UNSIGNED);
        CheckpointVote gap = new CheckpointVote(0, h, 2, h, key.publicKey(), ValidatorSeal.UNSIGNED);
        assertThat(kit.engine.weight(header(7, kit.params.slotStart(7), key))).isEqualTo(BigInteger.ONE);
        Header votes = new Header(5, parent.hash(), kit.params.slotStart(7), Hash.ZERO, Hash.ZERO, key.address(), 0,
                new ValidatorSeal(7, key.publicKey(), Hash.ZERO, List.of(link, gap, link), ValidatorSeal.UNSIGNED));
        assertThat(kit.engine.weight(votes)).isEqualTo(BigInteger.valueOf(1 + 2 * PosEngine.LINK_VOTE_WEIGHT + PosEngine.GAP_VOTE_WEIGHT));
    }
}
