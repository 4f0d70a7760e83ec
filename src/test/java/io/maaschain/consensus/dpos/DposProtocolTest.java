package io.maaschain.consensus.dpos;

import static io.maaschain.consensus.dpos.DposFixture.time;
import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.chain.Blockchain;
import io.maaschain.chain.BlockchainView;
import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.ConsensusMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dpos protocol's decisions on one node, driven by hand. */
class DposProtocolTest {
    final DposFixture f = new DposFixture(4, 4, 2);
    final List<KeyPair> p = f.producers;
    final Blockchain chain = f.open();
    final BlockchainView view = new BlockchainView(chain, () -> time(100));

    DposProtocol protocol(KeyPair key) {
        return new DposProtocol(view, key == null ? null : new GuardedSigner(key, DposFixture.CHAIN_ID, new GuardedSigner.InMemory()), f.engine);
    }

    @Test
    void proposesOnlyInItsOwnSlotAtTheSlotStart() {
        List<Action> mine = protocol(p.get(0)).onTick(time(1) + 3);
        assertThat(mine).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.Propose.class, pr -> {
            assertThat(pr.timestampMillis()).isEqualTo(time(1));
            assertThat(pr.seal().slot()).isEqualTo(1);
            assertThat(pr.seal().proposerKey()).isEqualTo(p.get(0).publicKey());
            assertThat(pr.importNow()).isTrue();
        }));
        assertThat(mine).contains(new Action.WakeAt(time(2)));
        assertThat(protocol(p.get(1)).onTick(time(1) + 3)).containsExactly(new Action.WakeAt(time(2)));
        assertThat(protocol(null).onTick(time(1) + 3)).containsExactly(new Action.WakeAt(time(2)));
        DposProtocol once = protocol(p.get(0));
        assertThat(once.onTick(time(1))).hasSize(2);
        assertThat(once.onTick(time(1) + 100)).containsExactly(new Action.WakeAt(time(2)));
    }

    @Test
    void votesOnceOnEachNewHeadFromItsJustifiedBlock() throws Rejection {
        DposProtocol voter = protocol(p.get(2));
        assertThat(voter.onHeadChanged(time(0))).isEmpty(); // genesis: nothing to vote on
        f.extend(chain, 1, List.of(), List.of());
        List<Action> actions = voter.onHeadChanged(time(1));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Broadcast.class, b -> {
            CheckpointVote v = (CheckpointVote) ((ConsensusMessage.VoteMessage) b.message()).vote();
            assertThat(v.sourceEpoch()).isZero();
            assertThat(v.sourceHash()).isEqualTo(chain.genesisHash());
            assertThat(v.targetHash()).isEqualTo(chain.head().hash());
            assertThat(v.verify(DposFixture.CHAIN_ID)).isTrue();
        });
        assertThat(voter.onHeadChanged(time(1) + 1)).isEmpty();
        assertThat(protocol(null).onHeadChanged(time(1))).isEmpty();
    }

    @Test
    void gossipedVotesFinalizeLocallyByTheSameRule() throws Rejection {
        f.extend(chain, 1, List.of(), List.of());
        f.extend(chain, 2, p, List.of()); // justifies block 1
        DposProtocol node = protocol(null);
        var j = DposEngine.justifiedIn(chain.headState());
        var child = DposFixture.head(chain);
        assertThat(j.height()).isEqualTo(1);
        assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(p.get(0), j, child)), time(2))).isEmpty();
        assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(p.get(1), j, child)), time(2))).isEmpty();
        CheckpointVote forged = new CheckpointVote(j.height(), j.hash(), child.height(), child.hash(), p.get(3).publicKey(),
                DposFixture.vote(p.get(2), j, child).signature());
        assertThat(node.onMessage(new ConsensusMessage.VoteMessage(forged), time(2))).isEmpty();
        assertThat(node.onMessage(new ConsensusMessage.VoteMessage(DposFixture.vote(p.get(2), j, child)), time(2)))
                .containsExactly(new Action.Finalize(j));
    }

    @Test
    void aDoubleProposalBroughtInByAReorganisationBecomesEvidence() throws Rejection {
        DposProtocol watcher = protocol(null);
        Block first = DposFixture.block(chain, p.get(0), 1, List.of(), List.of());
        chain.importBlock(first, time(1));
        assertThat(watcher.onHeadChanged(time(1))).isEmpty();

        Blockchain other = f.open();
        var transfer = DposFixture.tx(p.get(3), 0, new Transfer(p.get(2).address(), 5));
        Block second = DposFixture.block(other, p.get(0), 1, List.of(), List.of(transfer));
        other.importBlock(second, time(1));
        Block next = DposFixture.block(other, p.get(1), 2, List.of(), List.of());
        chain.importBlock(second, time(2));
        chain.importBlock(next, time(2));
        assertThat(chain.head().hash()).isEqualTo(next.hash());

        List<Action> actions = watcher.onHeadChanged(time(2));
        var expected = EvidenceCheck.of(HeaderCodec.proposalSignature(first.header()), HeaderCodec.proposalSignature(second.header()));
        assertThat(actions).contains(new Action.SubmitEvidence(expected));
        assertThat(((ValidatorSeal) first.header().seal()).slot()).isEqualTo(((ValidatorSeal) second.header().seal()).slot());
    }
}
