package io.maaschain.consensus.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PosBlockRulesTest {
    private final PosTestKit kit = PosTestKit.equal(4);

    /** Applies {@code h} and expects {@code code}, with the branch's state untouched. */
    private static void rejects(PosTestKit.Branch b, Header h, RejectCode code) {
        Map<Bytes, byte[]> before = new HashMap<>(b.data);
        long height = b.height;
        assertThatThrownBy(() -> b.apply(h)).isInstanceOf(Rejection.class).extracting(e -> ((Rejection) e).code()).isEqualTo(code);
        assertThat(b.height).isEqualTo(height);
        assertThat(b.data.keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(b.data.get(k)).isEqualTo(v));
    }

    @Test
    void aBlockRevealsOneLayerAndMixesIt() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        Hash mix0 = kit.engine.slotRecord(b.state()).mix();
        KeyPair p = b.proposerAt(1);
        b.extend(1);
        assertThat(kit.engine.revealCount(b.state(), p.publicKey())).isEqualTo(1);
        SlotRecord s = kit.engine.slotRecord(b.state());
        assertThat(s.lastSlot()).isEqualTo(1);
        assertThat(s.mix()).isNotEqualTo(mix0).isEqualTo(PosBlockRules.mix(mix0, kit.onions.get(p.address()).layer(PosTestKit.DEPTH - 1)));
        assertThat(kit.engine.finalizedIn(b.state())).hasValueSatisfying(f -> assertThat(f.height()).isZero());
    }

    @Test
    void theWrongProposerForTheSlotIsRejected() {
        PosTestKit.Branch b = kit.genesis();
        KeyPair rightful = b.proposerAt(1);
        KeyPair other = kit.keys.stream().filter(k -> !k.equals(rightful)).findFirst().orElseThrow();
        Hash reveal = kit.onions.get(other.address()).reveal(0).orElseThrow();
        rejects(b, b.header(1, other, reveal, List.of()), RejectCode.NOT_VALIDATOR);
    }

    @Test
    void aBadOrRepeatedRevealIsRejected() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        KeyPair p = b.proposerAt(1);
        rejects(b, b.header(1, p, Fixtures.digest("not a layer"), List.of()), RejectCode.INVALID_SEAL);
        // The commitment itself, and a layer two below it, are not the next reveal either.
        rejects(b, b.header(1, p, kit.onions.get(p.address()).commitment(), List.of()), RejectCode.INVALID_SEAL);
        rejects(b, b.header(1, p, kit.onions.get(p.address()).layer(PosTestKit.DEPTH - 2), List.of()), RejectCode.INVALID_SEAL);
        b.extend(1);
        long slot = 2;
        while (!b.proposerAt(slot).equals(p)) slot++;
        // Its first reveal again: already used.
        rejects(b, b.header(slot, p, kit.onions.get(p.address()).layer(PosTestKit.DEPTH - 1), List.of()), RejectCode.INVALID_SEAL);
        b.extend(slot);
    }

    @Test
    void aSlotThatDoesNotFollowTheParentIsRejected() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        rejects(b, b.header(0, List.of()), RejectCode.INVALID_SEAL);
        b.extend(3);
        KeyPair p = b.proposerAt(5);
        Hash reveal = kit.onions.get(p.address()).reveal(kit.engine.revealCount(b.state(), p.publicKey())).orElseThrow();
        rejects(b, b.header(3, p, reveal, List.of()), RejectCode.INVALID_SEAL);
        rejects(b, b.header(2, p, reveal, List.of()), RejectCode.INVALID_SEAL);
    }

    @Test
    void validatorsAndSeedsAreFixedPerEpochAndSnapshottedOneEpochAhead() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        for (long s = 1; s < 4; s++) b.extend(s);
        EpochSets beforeBoundary = PosState.sets(b.state());
        assertThat(beforeBoundary.current().epoch()).isZero();
        assertThat(beforeBoundary.next().epoch()).isEqualTo(1);
        Hash mixEndOfEpoch0 = kit.engine.slotRecord(b.state()).mix();
        b.extend(4);
        EpochSets sets = PosState.sets(b.state());
        assertThat(sets.current().epoch()).isEqualTo(1);
        assertThat(sets.current().seed()).isEqualTo(beforeBoundary.next().seed());
        assertThat(sets.next().epoch()).isEqualTo(2);
        assertThat(sets.next().seed()).isEqualTo(mixEndOfEpoch0);
        // Skipping whole epochs: the set that was next carries forward.
        Hash mixNow = kit.engine.slotRecord(b.state()).mix();
        b.extend(21);
        sets = PosState.sets(b.state());
        assertThat(sets.current().epoch()).isEqualTo(5);
        assertThat(sets.current().seed()).isEqualTo(mixEndOfEpoch0);
        assertThat(sets.previous().epoch()).isEqualTo(4);
        assertThat(sets.older().epoch()).isEqualTo(3);
        assertThat(sets.older().seed()).isEqualTo(mixEndOfEpoch0);
        assertThat(sets.next().seed()).isEqualTo(mixNow);
    }

    @Test
    void votesJustifyAndFinalizeCheckpoints() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        for (long s = 1; s <= 4; s++) b.extend(s);
        List<Vote> votes = kit.keys.stream().map(k -> (Vote) b.vote(k, 1)).toList();
        b.extend(5, votes.subList(0, 2));
        assertThat(b.finality().justified().epoch()).isZero();
        b.extend(6, votes.subList(2, 3));
        assertThat(b.finality().justified().epoch()).as("3 of 4 equal stakes reach 2/3").isEqualTo(1);
        assertThat(b.finality().justified().hash()).isEqualTo(b.checkpoint(1));
        assertThat(b.finality().finalized().epoch()).isZero();
        b.extend(7);
        b.extend(8);
        List<Vote> next = kit.keys.stream().map(k -> (Vote) b.vote(k, 2)).toList();
        b.extend(9, next);
        assertThat(b.finality().justified().epoch()).isEqualTo(2);
        assertThat(b.finality().finalized().epoch()).isEqualTo(1);
        assertThat(kit.engine.finalizedIn(b.state())).hasValue(b.finality().finalized().block());
        assertThat(kit.engine.finalizedIn(b.state()).orElseThrow().height()).isEqualTo(4);
    }

    @Test
    void badVotesAreRejectedAndChangeNothing() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        for (long s = 1; s <= 4; s++) b.extend(s);
        KeyPair v = kit.keys.getFirst();
        CheckpointVote good = b.vote(v, 1);
        // Forged: signed by another key.
        CheckpointVote forged = good.withSignature(kit.keys.get(1).sign(new byte[] {1}));
        rejects(b, b.header(5, List.of(forged)), RejectCode.BAD_SIGNATURE);
        // Signed for another chain.
        CheckpointVote foreignChain = kit.sign(v, 0, good.sourceHash(), 1, good.targetHash(), Fixtures.CHAIN_ID + 1);
        rejects(b, b.header(5, List.of(foreignChain)), RejectCode.BAD_SIGNATURE);
        // Not a validator.
        KeyPair stranger = Fixtures.key(999);
        rejects(b, b.header(5, List.of(kit.sign(stranger, 0, good.sourceHash(), 1, good.targetHash(), Fixtures.CHAIN_ID))), RejectCode.NOT_VALIDATOR);
        // Target not this branch's checkpoint, source not the justified checkpoint, target epoch outside the window.
        rejects(b, b.header(5, List.of(kit.sign(v, 0, good.sourceHash(), 1, Fixtures.digest("elsewhere"), Fixtures.CHAIN_ID))), RejectCode.INVALID_SEAL);
        rejects(b, b.header(5, List.of(kit.sign(v, 0, Fixtures.digest("elsewhere"), 1, good.targetHash(), Fixtures.CHAIN_ID))), RejectCode.INVALID_SEAL);
        rejects(b, b.header(5, List.of(kit.sign(v, 0, good.sourceHash(), 2, good.targetHash(), Fixtures.CHAIN_ID))), RejectCode.INVALID_SEAL);
        // Counted twice in one block, then again in a later block.
        rejects(b, b.header(5, List.of(good, good)), RejectCode.DUPLICATE);
        b.extend(5, List.of(good));
        rejects(b, b.header(6, List.of(good)), RejectCode.DUPLICATE);
        // A second, different vote for the same target epoch (a double vote) is not counted either.
        CheckpointVote other = kit.sign(v, 0, good.sourceHash(), 1, b.tip, Fixtures.CHAIN_ID);
        rejects(b, b.header(6, List.of(other)), RejectCode.INVALID_SEAL);
        // A block of epoch 3 can still carry votes for epoch 1 (two epochs late); a block of epoch 4 no longer can.
        b.extend(12, List.of(b.vote(kit.keys.get(1), 1)));
        assertThat(PosState.tally(b.state(), 1).hasVoted(kit.keys.get(1).address())).isTrue();
        CheckpointVote tooLate = b.vote(kit.keys.get(2), 1);
        rejects(b, b.header(16, List.of(tooLate)), RejectCode.INVALID_SEAL);
    }

    @Test
    void includableVotesAreExactlyThoseABlockAccepts() throws Rejection {
        PosTestKit.Branch b = kit.genesis();
        for (long s = 1; s <= 4; s++) b.extend(s);
        CheckpointVote good = b.vote(kit.keys.get(0), 1);
        CheckpointVote good2 = b.vote(kit.keys.get(1), 1);
        CheckpointVote stale = kit.sign(kit.keys.get(2), 0, Fixtures.digest("x"), 1, good.targetHash(), Fixtures.CHAIN_ID);
        Header bare = b.header(5, List.of());
        List<Vote> picked = kit.engine.includableVotes(b.state(), bare, List.of(good, stale, good, good2));
        assertThat(picked).containsExactly(good, good2);
        b.extend(5, picked);
    }
}
