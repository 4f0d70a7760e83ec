package io.maaschain.consensus.dpos;

import static io.maaschain.consensus.dpos.DposFixture.time;
import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.chain.Blockchain;
import io.maaschain.chain.BlockchainView;
import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ConsensusMessage;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What keeps dpos finality moving after faults: vote re-sending, local finality over justified chains, fork choice. */
class DposLivenessTest {
    final DposFixture f = new DposFixture(4, 4, 2);
    final List<KeyPair> p = f.producers;
    final Blockchain chain = f.open();
    final BlockchainView view = new BlockchainView(chain, () -> time(100));

    DposProtocol protocol(KeyPair key) {
        return new DposProtocol(view, key == null ? null : new GuardedSigner(key, DposFixture.CHAIN_ID, new GuardedSigner.InMemory()), f.engine);
    }

    private static List<CheckpointVote> broadcastVotes(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Action.Broadcast)
                .map(a -> (CheckpointVote) ((ConsensusMessage.VoteMessage) ((Action.Broadcast) a).message()).vote()).toList();
    }

    @Test
    void aProducerSendsItsLatestVotesAgainEverySecond() throws Rejection {
        f.extend(chain, 1, List.of(), List.of());
        DposProtocol voter = protocol(p.get(2));
        List<CheckpointVote> first = broadcastVotes(voter.onHeadChanged(time(1)));
        assertThat(first).hasSize(1);
        f.extend(chain, 2, List.of(), List.of());
        List<CheckpointVote> second = broadcastVotes(voter.onHeadChanged(time(2)));
        assertThat(second).hasSize(1);

        long t = time(3);
        assertThat(broadcastVotes(voter.onTick(t))).containsExactly(first.getFirst(), second.getFirst());
        assertThat(broadcastVotes(voter.onTick(t + DposProtocol.RESEND_MILLIS - 1))).isEmpty();
        assertThat(broadcastVotes(voter.onTick(t + DposProtocol.RESEND_MILLIS))).containsExactly(first.getFirst(), second.getFirst());
        assertThat(broadcastVotes(protocol(null).onTick(t))).isEmpty();
    }

    @Test
    void gossipedVotesFinalizeAlongAChainOfJustifiedBlocks() throws Rejection {
        f.extend(chain, 1, List.of(), List.of());
        BlockRef one = DposFixture.head(chain);
        f.extend(chain, 2, List.of(), List.of());
        BlockRef two = DposFixture.head(chain);
        f.extend(chain, 3, List.of(), List.of());
        BlockRef genesis = DposEngine.justifiedIn(chain.headState());
        assertThat(genesis.height()).isZero(); // no block carried votes: the chain's state justified nothing yet

        DposProtocol node = protocol(null);
        for (KeyPair k : p.subList(0, 3)) {
            assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(k, genesis, one)), time(3))).isEmpty();
        }
        // 0 -> 1 justifies block 1 (genesis is final already); 1 -> 2 by more than 2/3 then makes block 1 final.
        assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(p.get(0), one, two)), time(3))).isEmpty();
        assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(p.get(1), one, two)), time(3))).isEmpty();
        assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(p.get(2), one, two)), time(3)))
                .containsExactly(new Action.Finalize(one));
    }

    @Test
    void linksFromABlockNotJustifiedFinalizeNothing() throws Rejection {
        f.extend(chain, 1, List.of(), List.of());
        BlockRef one = DposFixture.head(chain);
        f.extend(chain, 2, List.of(), List.of());
        BlockRef two = DposFixture.head(chain);
        f.extend(chain, 3, List.of(), List.of());
        DposProtocol node = protocol(null);
        for (KeyPair k : p.subList(0, 3)) {
            assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(k, one, two)), time(3))).isEmpty();
        }
        for (KeyPair k : p) {
            assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(k, DposEngine.justifiedIn(chain.headState()), two)), time(3)))
                    .noneMatch(a -> a instanceof Action.Finalize);
        }
    }

    @Test
    void aBranchThatJustifiedANewerBlockOutweighsALongerOne() throws Rejection {
        Block b1 = DposFixture.block(chain, f.producerOf(chain, 1), 1, List.of(), List.of());
        chain.importBlock(b1, time(1));
        BlockRef one = DposFixture.head(chain);
        BlockRef genesis = DposEngine.justifiedIn(chain.headState());

        Blockchain other = f.open();
        other.importBlock(b1, time(1));
        Block b2 = DposFixture.block(other, f.producerOf(other, 3), 3, List.of(), List.of());
        other.importBlock(b2, time(3));
        Block b3 = DposFixture.block(other, f.producerOf(other, 4), 4, List.of(), List.of());
        other.importBlock(b3, time(4));

        List<CheckpointVote> votes = p.subList(0, 3).stream().map(k -> DposFixture.vote(k, genesis, one)).toList();
        Block justifying = DposFixture.block(chain, f.producerOf(chain, 2), 2, votes, List.of());
        chain.importBlock(justifying, time(2));
        assertThat(DposEngine.justifiedIn(chain.headState())).isEqualTo(one);

        chain.importBlock(b2, time(4));
        chain.importBlock(b3, time(4));
        assertThat(chain.head().hash()).isEqualTo(justifying.hash()); // longer, but its justified block is older
        assertThat(chain.head().height()).isLessThan(b3.height());
    }

    @Test
    void theWeightCountsBlocksBelowTheHighestJustifiedBlockASealShows() throws Rejection {
        f.extend(chain, 1, List.of(), List.of());
        BlockRef one = DposFixture.head(chain);
        BlockRef genesis = DposEngine.justifiedIn(chain.headState());
        List<CheckpointVote> two = p.subList(0, 2).stream().map(k -> DposFixture.vote(k, genesis, one)).toList();
        List<CheckpointVote> three = p.subList(0, 3).stream().map(k -> DposFixture.vote(k, genesis, one)).toList();
        BigInteger parent = BigInteger.valueOf(5);
        Block plain = DposFixture.block(chain, f.producerOf(chain, 2), 2, List.of(), List.of());
        Block short2 = DposFixture.block(chain, f.producerOf(chain, 2), 2, two, List.of());
        Block super3 = DposFixture.block(chain, f.producerOf(chain, 2), 2, three, List.of());
        assertThat(f.engine.totalWeight(parent, plain.header())).isEqualTo(BigInteger.valueOf(6));
        assertThat(f.engine.totalWeight(parent, short2.header())).isEqualTo(BigInteger.valueOf(6)); // source 0: nothing new
        assertThat(f.engine.totalWeight(parent, super3.header())).isEqualTo(BigInteger.ONE.shiftLeft(DposEngine.LENGTH_BITS).add(BigInteger.valueOf(6)));
        BigInteger high = BigInteger.valueOf(7).shiftLeft(DposEngine.LENGTH_BITS).add(BigInteger.valueOf(9));
        assertThat(f.engine.totalWeight(high, super3.header())).isEqualTo(high.add(BigInteger.ONE)); // never goes back
    }
}
