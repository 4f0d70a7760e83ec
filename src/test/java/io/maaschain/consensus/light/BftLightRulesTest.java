package io.maaschain.consensus.light;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bft light-client rules: an honest chain is accepted; each kind of forgery is refused with the reason. */
class BftLightRulesTest {
    static final long NOW = BftTestChain.T0 + 1_000_000;

    @Test
    void anHonestChainIsAcceptedUpToTheLastHeaderWithACommit() throws Exception {
        BftTestChain c = BftTestChain.of(4, 6);
        LightChain withoutHeadCommit = c.rules().extend(c.genesisChain(), c.served(1, 6), List.of(), NOW);
        // Header 6 carries no proof of its own finality: only the next block's seal or a commit certificate would.
        assertThat(withoutHeadCommit.tip()).isEqualTo(c.headers.get(5));
        LightChain withHeadCommit = c.rules().extend(c.genesisChain(), c.served(1, 6), c.commits.get(6), NOW);
        assertThat(withHeadCommit.tip()).isEqualTo(c.headers.get(6));
        assertThat(withHeadCommit.tipCommit()).isEqualTo(c.commits.get(6));
        assertThat(c.rules().finality(withHeadCommit, 3)).contains("power 4 of 4").contains("seal of block 4");
        // Syncing on from the stored tip later takes only the new headers.
        LightChain later = c.rules().extend(withoutHeadCommit, c.served(6, 6), c.commits.get(6), NOW);
        assertThat(later.headers()).isEqualTo(withHeadCommit.headers());
    }

    @Test
    void aForgedProposerSignatureIsRefused() {
        BftTestChain c = BftTestChain.of(4, 4);
        List<ServedHeader> served = c.served(1, 4);
        Header h2 = served.get(1).header();
        ValidatorSeal s = (ValidatorSeal) h2.seal();
        KeyPair outsider = Fixtures.key(999);
        Header forged = h2.withSeal(s.withSignature(outsider.sign(new byte[] {1, 2, 3})));
        served.set(1, new ServedHeader(forged, served.get(1).nextValidators(), served.get(1).nextValidatorsProof()));
        assertThatThrownBy(() -> c.rules().extend(c.genesisChain(), served, List.of(), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("height 2").hasMessageContaining("signature is invalid");
    }

    @Test
    void aHeaderThatDoesNotLinkIsRefused() throws Exception {
        BftTestChain c = BftTestChain.of(4, 4);
        List<ServedHeader> served = c.served(1, 4);
        // Header 3 re-signed by its proposer with another parent: it still carries a valid commit of block 2.
        Header h3 = served.get(2).header();
        ValidatorSeal seal = (ValidatorSeal) h3.seal();
        Header moved = BftTestChain.sign(c.key(seal.proposerKey()), new Header(3, Fixtures.digest("elsewhere"), h3.timestampMillis(), h3.txRoot(),
                h3.stateRoot(), h3.proposer(), 0, seal));
        served.set(2, new ServedHeader(moved, served.get(2).nextValidators(), served.get(2).nextValidatorsProof()));
        assertThatThrownBy(() -> c.rules().extend(c.genesisChain(), served, List.of(), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("height 3").hasMessageContaining("does not link");
        // A gap: block 1's commit is looked for in the next header served, which commits block 2 instead.
        List<ServedHeader> gap = c.served(1, 4);
        gap.remove(1);
        assertThatThrownBy(() -> c.rules().extend(c.genesisChain(), gap, List.of(), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("height 1: is not final");
        BftTestChain other = BftTestChain.of(4, 2);
        LightChain verified = c.rules().extend(c.genesisChain(), c.served(1, 3), List.of(), NOW);
        // A header at the next height that does not descend from the verified (final) tip: a conflicting chain.
        assertThatThrownBy(() -> c.rules().extend(verified, other.served(2, 2), List.of(), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("conflicts with the final header");
    }

    @Test
    void aCommitOfTwoThirdsOrLessIsRefused() {
        BftTestChain c = BftTestChain.of(4, 3);
        List<PublicKey> keys = c.setAt(3).validators().stream().map(ValidatorSet.Validator::key).toList();
        List<Vote> half = c.precommits(c.setAt(3), c.headers.get(3), keys.subList(0, 2));
        assertThatThrownBy(() -> c.rules().extend(c.genesisChain(), c.served(1, 3), half, NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("is not final").hasMessageContaining("power 2 of 4");
        // Three of four is more than two thirds.
        List<Vote> three = c.precommits(c.setAt(3), c.headers.get(3), keys.subList(0, 3));
        assertThat(assertDoesNotThrow(c, three).tip().height()).isEqualTo(3);
    }

    private static LightChain assertDoesNotThrow(BftTestChain c, List<Vote> commit) {
        try {
            return c.rules().extend(c.genesisChain(), c.served(1, 3), commit, NOW);
        } catch (LightVerificationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void precommitsByKeysOutsideTheValidatorSetAreRefused() {
        BftTestChain c = BftTestChain.of(4, 3);
        List<Vote> commit = new ArrayList<>(c.commits.get(3).subList(0, 2));
        commit.add(BftTestChain.precommit(Fixtures.key(900), c.headers.get(3)));
        commit.add(BftTestChain.precommit(Fixtures.key(901), c.headers.get(3)));
        assertThatThrownBy(() -> c.rules().extend(c.genesisChain(), c.served(1, 3), commit, NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("was not a validator");
    }

    @Test
    void aSecondChainWithTheSameGenesisButOtherKeysIsRefused() {
        // Same genesis (validators A), but blocks signed and committed by keys B: self-consistent, and fake.
        List<KeyPair> real = BftTestChain.keys(4);
        BftTestChain honest = new BftTestChain(real, real, 3, Map.of(), 0);
        List<KeyPair> fakeKeys = List.of(Fixtures.key(700), Fixtures.key(701), Fixtures.key(702), Fixtures.key(703));
        BftTestChain fake = new BftTestChain(fakeKeys, fakeKeys, 3, Map.of(), 0);
        LightChain start = honest.genesisChain();
        // The fake chain's block 1 names the honest genesis as its parent, so only its signatures can betray it.
        assertThatThrownBy(() -> honest.rules().extend(start, relink(fake, honest.genesis), fake.commits.get(3), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("height 1");
    }

    /** {@code fake}'s headers re-parented onto {@code genesis} and re-signed by their own proposers. */
    private static List<ServedHeader> relink(BftTestChain fake, Header genesis) {
        List<ServedHeader> out = new ArrayList<>();
        Header parent = genesis;
        for (ServedHeader s : fake.served(1, 3)) {
            Header h = s.header();
            ValidatorSeal seal = (ValidatorSeal) h.seal();
            Header moved = BftTestChain.sign(fake.key(seal.proposerKey()),
                    new Header(h.height(), parent.hash(), h.timestampMillis(), h.txRoot(), h.stateRoot(), h.proposer(), h.txCount(), seal));
            out.add(new ServedHeader(moved, s.nextValidators(), s.nextValidatorsProof()));
            parent = moved;
        }
        return out;
    }

    @Test
    void aValidatorSetChangeIsLearntOnlyWithItsProof() throws Exception {
        // At height 2 the set becomes {k0, k1, k2, k4}: k3 leaves, k4 joins; blocks from 3 on are committed by the new set.
        List<KeyPair> all = BftTestChain.keys(5);
        List<KeyPair> genesisSet = all.subList(0, 4);
        ValidatorSet changed = new ValidatorSet(List.of(v(all.get(0)), v(all.get(1)), v(all.get(2)), v(all.get(4))));
        BftTestChain c = new BftTestChain(genesisSet, all, 5, Map.of(2L, changed), 0);
        LightChain verified = c.rules().extend(c.genesisChain(), c.served(1, 5), c.commits.get(5), NOW);
        assertThat(verified.tip().height()).isEqualTo(5);
        assertThat(verified.validatorsAt(3)).isEqualTo(changed);
        assertThat(verified.validatorSets()).extracting(SetChange::fromHeight).containsExactly(1L, 3L);

        // The node hides the change: it serves the old set for height 2 with the old proof. The state root of 2 refutes it.
        List<ServedHeader> hidden = c.served(1, 5);
        ServedHeader one = hidden.get(0);
        hidden.set(1, new ServedHeader(hidden.get(1).header(), one.nextValidators(), one.nextValidatorsProof()));
        assertThatThrownBy(() -> c.rules().extend(c.genesisChain(), hidden, c.commits.get(5), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("height 2")
                .hasMessageContaining("does not verify against this header's state root");

        // Or it sends no proof at all.
        List<ServedHeader> unproven = c.served(1, 5);
        unproven.set(1, ServedHeader.of(unproven.get(1).header()));
        assertThatThrownBy(() -> c.rules().extend(c.genesisChain(), unproven, c.commits.get(5), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("no validator set");

        // A client that never learnt the change cannot accept block 3, whose commit (in block 4) is by the new set.
        LightChain stale = new LightChain(verified.truncate(2).headers(), List.of(new SetChange(1, c.setAt(1))), List.of());
        assertThatThrownBy(() -> c.rules().extend(stale, c.served(3, 5), c.commits.get(5), NOW))
                .isInstanceOf(LightVerificationException.class);
    }

    @Test
    void aHeaderFromTheFutureIsRefused() {
        BftTestChain c = BftTestChain.of(4, 3);
        assertThatThrownBy(() -> c.rules().extend(c.genesisChain(), c.served(1, 3), List.of(), BftTestChain.T0 - 60_000))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("ahead of the local clock");
    }

    @Test
    void aHeadCommitForAnotherBlockFinalisesNothing() throws Exception {
        BftTestChain c = BftTestChain.of(4, 3);
        LightChain verified = c.rules().extend(c.genesisChain(), c.served(1, 3), c.commits.get(2), NOW);
        assertThat(verified.tip().height()).isEqualTo(2);
        assertThat(verified.tip().hash()).isNotEqualTo(Hash.ZERO);
    }

    private static ValidatorSet.Validator v(KeyPair k) {
        return new ValidatorSet.Validator(k.publicKey(), 1);
    }
}
