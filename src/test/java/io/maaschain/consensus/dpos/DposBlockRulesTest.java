package io.maaschain.consensus.dpos;

import static io.maaschain.consensus.dpos.DposFixture.block;
import static io.maaschain.consensus.dpos.DposFixture.head;
import static io.maaschain.consensus.dpos.DposFixture.sign;
import static io.maaschain.consensus.dpos.DposFixture.time;
import static io.maaschain.consensus.dpos.DposFixture.vote;
import static io.maaschain.consensus.dpos.DposFixture.withVotes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.chain.Blockchain;
import io.maaschain.consensus.BlockRef;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Block-level rules of the dpos engine, through a real {@link Blockchain}: every bad block is refused and changes nothing. */
class DposBlockRulesTest {
    final DposFixture f = new DposFixture(4, 4, 2);
    final List<KeyPair> p = f.producers;

    @Test
    void genesisSchedulesTheGenesisProducersInAddressOrder() {
        Blockchain chain = f.open();
        assertThat(DposState.schedule(chain.headState()).active()).containsExactlyElementsOf(p.stream().map(KeyPair::publicKey).toList());
        assertThat(f.engine.finalizedIn(chain.headState())).isEmpty();
        for (long slot = 1; slot < 16; slot++) {
            assertThat(f.producerOf(chain, slot)).isEqualTo(p.get((int) (slot % 8) / 2));
        }
    }

    @Test
    void scheduledProducersExtendTheChainAndSkippedSlotsAreChargedToTheirProducers() throws Rejection {
        Blockchain chain = f.open();
        f.extend(chain, 1, List.of(), List.of());
        f.extend(chain, 4, List.of(), List.of()); // slots 2 and 3 belong to p1
        f.extend(chain, 13, List.of(), List.of()); // 5 (p2), 6-7 (p3), 8-9 (p0), 10-11 (p1), 12 (p2)
        assertThat(chain.head().height()).isEqualTo(3);
        assertThat(DposEngine.missedSlots(chain.headState())).isEqualTo(Map.of(
                p.get(0).address(), 2L, p.get(1).address(), 4L, p.get(2).address(), 2L, p.get(3).address(), 2L));
        assertThat(f.engine.describe(chain.headState())).containsKeys("activeSchedule", "pendingSchedule", "candidates", "missedSlots", "irreversible");
    }

    @Test
    void aBlockByAnotherProducerThanTheSlotsIsRejected() {
        Blockchain chain = f.open();
        Block valid = block(chain, p.get(0), 1, List.of(), List.of());
        Header h = valid.header();
        KeyPair intruder = p.get(1);
        Header forged = new Header(h.height(), h.parentHash(), h.timestampMillis(), h.txRoot(), h.stateRoot(), intruder.address(), h.txCount(),
                new ValidatorSeal(1, intruder.publicKey(), Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED));
        assertRejected(chain, new Block(sign(forged, intruder), valid.transactions()), RejectCode.NOT_VALIDATOR);
        assertThatThrownBy(() -> block(chain, intruder, 1, List.of(), List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theTimestampMustBeTheSlotStart() {
        Blockchain chain = f.open();
        Header h = block(chain, p.get(0), 1, List.of(), List.of()).header();
        Header late = new Header(h.height(), h.parentHash(), h.timestampMillis() + 1, h.txRoot(), h.stateRoot(), h.proposer(), h.txCount(), h.seal());
        assertRejected(chain, new Block(sign(late, p.get(0)), List.of()), RejectCode.INVALID_HEADER);
    }

    @Test
    void theSlotMustFollowTheParentsSlot() throws Rejection {
        Blockchain chain = f.open();
        f.extend(chain, 3, List.of(), List.of()); // p1
        Header h = block(chain, p.get(2), 4, List.of(), List.of()).header();
        Header sameSlot = new Header(h.height(), h.parentHash(), time(3), h.txRoot(), h.stateRoot(), p.get(1).address(), h.txCount(),
                new ValidatorSeal(3, p.get(1).publicKey(), Hash.ZERO, List.of(), ValidatorSeal.UNSIGNED));
        Block block = new Block(sign(sameSlot, p.get(1)), List.of());
        // The chain's median-time rule sees the repeated timestamp first; the engine's own slot rule refuses it too.
        assertRejected(chain, block, RejectCode.INVALID_HEADER);
        assertThatThrownBy(() -> f.engine.validateSeal(block.header(), chain.ancestryOf(chain.head().hash(), chain.head().height())))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.code()).isEqualTo(RejectCode.INVALID_SEAL));
    }

    @Test
    void theSealMustBeSignedByTheProposer() {
        Blockchain chain = f.open();
        Block valid = block(chain, p.get(0), 1, List.of(), List.of());
        assertRejected(chain, new Block(sign(valid.header(), p.get(1)), List.of()), RejectCode.INVALID_SEAL);
        ValidatorSeal seal = (ValidatorSeal) valid.header().seal();
        Header withReveal = valid.header().withSeal(new ValidatorSeal(1, seal.proposerKey(), Fixtures.digest("x"), List.of(), ValidatorSeal.UNSIGNED));
        assertRejected(chain, new Block(sign(withReveal, p.get(0)), List.of()), RejectCode.INVALID_SEAL);
    }

    @Test
    void badVotesAreRejected() throws Rejection {
        Blockchain chain = f.open();
        BlockRef genesis = head(chain);
        f.extend(chain, 1, List.of(), List.of());
        BlockRef b1 = head(chain);
        Block base = block(chain, p.get(1), 2, List.of(), List.of());
        KeyPair proposer = p.get(1);

        CheckpointVote good = vote(p.get(0), genesis, b1);
        CheckpointVote forged = new CheckpointVote(0, genesis.hash(), 1, b1.hash(), p.get(2).publicKey(), good.signature());
        CheckpointVote otherChain = vote(p.get(2), genesis, b1, DposFixture.CHAIN_ID + 1);
        CheckpointVote outsider = vote(Fixtures.key(99), genesis, b1);
        CheckpointVote foreignTarget = vote(p.get(2), genesis, new BlockRef(1, Fixtures.digest("elsewhere")));
        CheckpointVote futureTarget = vote(p.get(2), genesis, new BlockRef(2, base.hash()));
        CheckpointVote wrongSource = vote(p.get(2), new BlockRef(0, Fixtures.digest("not genesis")), b1);

        for (CheckpointVote bad : List.of(forged, otherChain, outsider, foreignTarget, futureTarget, wrongSource)) {
            assertRejected(chain, withVotes(base, List.of(good, bad), proposer), RejectCode.INVALID_SEAL);
        }
        assertRejected(chain, withVotes(base, List.of(good, good), proposer), RejectCode.INVALID_SEAL);

        Block counted = block(chain, proposer, 2, List.of(good), List.of());
        chain.importBlock(counted, time(2));
        assertThat(DposState.finality(chain.headState()).tallies()).hasSize(1);
        Block again = block(chain, p.get(1), 3, List.of(), List.of());
        assertRejected(chain, withVotes(again, List.of(good), p.get(1)), RejectCode.INVALID_SEAL);
    }

    @Test
    void moreThanTwoThirdsJustifyAndAChildLinkMakesItsSourceIrreversible() throws Rejection {
        Blockchain chain = f.open();
        f.extend(chain, 1, p, List.of());
        BlockRef b1 = head(chain);
        f.extend(chain, 2, p.subList(0, 2), List.of()); // 2 of 4 votes for b1: not more than 2/3
        BlockRef b2 = head(chain);
        assertThat(DposEngine.justifiedIn(chain.headState()).height()).isZero();
        f.extend(chain, 3, p.subList(0, 3), List.of()); // 3 of 4 link genesis -> b2: b2 justified, genesis is not "newly" final
        assertThat(DposEngine.justifiedIn(chain.headState())).isEqualTo(b2);
        assertThat(f.engine.finalizedIn(chain.headState())).isEmpty();
        BlockRef b3 = head(chain);
        f.extend(chain, 4, p.subList(1, 4), List.of()); // b2 -> b3, a child link: b2 irreversible, b3 justified
        assertThat(DposEngine.justifiedIn(chain.headState())).isEqualTo(b3);
        assertThat(f.engine.finalizedIn(chain.headState())).contains(b2);
        assertThat(chain.finalized()).isEqualTo(b2);
        assertThat(b1.height()).isLessThan(b2.height());
    }

    @Test
    void aLinkThatSkipsAHeightJustifiesWithoutMakingItsSourceIrreversible() throws Rejection {
        Blockchain chain = f.open();
        f.extend(chain, 1, p, List.of());
        f.extend(chain, 2, p, List.of()); // genesis -> b1 justified
        BlockRef b1 = DposEngine.justifiedIn(chain.headState());
        f.extend(chain, 3, List.of(), List.of()); // no votes for b2
        f.extend(chain, 4, p, List.of()); // b1 -> b3: skips b2
        assertThat(DposEngine.justifiedIn(chain.headState()).height()).isEqualTo(3);
        assertThat(f.engine.finalizedIn(chain.headState())).isEmpty();
        f.extend(chain, 5, p, List.of()); // b3 -> b4: b3 irreversible
        assertThat(f.engine.finalizedIn(chain.headState()).orElseThrow().height()).isEqualTo(3);
        assertThat(b1.height()).isEqualTo(1);
    }

    static void assertRejected(Blockchain chain, Block block, RejectCode code) {
        Hash headBefore = chain.head().hash();
        byte[] scheduleBefore = chain.headState().get(DposState.key(DposState.SCHEDULE));
        byte[] finalityBefore = chain.headState().get(DposState.key(DposState.FINALITY));
        assertThatThrownBy(() -> chain.importBlock(block, time(1_000)))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.code()).isEqualTo(code));
        assertThat(chain.head().hash()).isEqualTo(headBefore);
        assertThat(chain.headState().get(DposState.key(DposState.SCHEDULE))).isEqualTo(scheduleBefore);
        assertThat(chain.headState().get(DposState.key(DposState.FINALITY))).isEqualTo(finalityBefore);
    }
}
