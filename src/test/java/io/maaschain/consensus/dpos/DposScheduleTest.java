package io.maaschain.consensus.dpos;

import static io.maaschain.consensus.dpos.DposFixture.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.chain.Blockchain;
import io.maaschain.consensus.dpos.DposState.Schedule;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.VoteProducers;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A newly elected schedule waits, pending, until the block that elected it is irreversible, then starts at a round boundary. */
class DposScheduleTest {
    final KeyPair newcomer = Fixtures.key(60);
    final DposFixture f = new DposFixture(4, 4, 1, newcomer);
    final List<KeyPair> p = f.producers;

    @Test
    void aNewScheduleTakesEffectOnlyAtTheFirstRoundBoundaryAfterItsBlockIsIrreversible() throws Rejection {
        Blockchain chain = f.open();
        List<PublicKey> genesisSchedule = p.stream().map(KeyPair::publicKey).toList();
        f.extend(chain, 1, List.of(), List.of(
                tx(newcomer, 0, new Stake(5000, Hash.ZERO)),
                tx(newcomer, 1, new RegisterProducer("https://newcomer.example")),
                tx(newcomer, 2, new VoteProducers(List.of(newcomer.address())))));
        f.extend(chain, 2, List.of(), List.of());
        f.extend(chain, 3, List.of(), List.of());
        assertThat(DposState.schedule(chain.headState()).hasPending()).isFalse();

        f.extend(chain, 4, List.of(), List.of()); // round boundary: the tallies elect the newcomer instead of the last producer
        long electedAt = chain.head().height();
        List<KeyPair> expected = new ArrayList<>(List.of(newcomer, p.get(0), p.get(1), p.get(2)));
        expected.sort(Comparator.comparing(KeyPair::address));
        List<PublicKey> newSchedule = expected.stream().map(KeyPair::publicKey).toList();
        Schedule s = DposState.schedule(chain.headState());
        assertThat(s.active()).isEqualTo(genesisSchedule);
        assertThat(s.pending()).isEqualTo(newSchedule);
        assertThat(s.pendingHeight()).isEqualTo(electedAt);

        for (long slot = 5; slot <= 12; slot++) f.extend(chain, slot, List.of(), List.of()); // two boundaries, nothing irreversible
        s = DposState.schedule(chain.headState());
        assertThat(s.active()).isEqualTo(genesisSchedule);
        assertThat(s.pending()).isEqualTo(newSchedule);
        assertThat(f.engine.finalizedIn(chain.headState())).isEmpty();

        f.extend(chain, 13, p, List.of()); // justifies height 12
        f.extend(chain, 14, p, List.of()); // 12 -> 13: height 12 (after the electing block) is irreversible
        assertThat(f.engine.finalizedIn(chain.headState()).orElseThrow().height()).isGreaterThanOrEqualTo(electedAt);
        f.extend(chain, 15, List.of(), List.of());
        assertThat(DposState.schedule(chain.headState()).active()).isEqualTo(genesisSchedule);

        f.extend(chain, 16, List.of(), List.of()); // the first boundary after irreversibility
        s = DposState.schedule(chain.headState());
        assertThat(s.active()).isEqualTo(newSchedule);
        assertThat(s.hasPending()).isFalse();
        assertThat(s.roundStart()).isEqualTo(16);
        assertThat(chain.head().header().proposer()).isEqualTo(expected.get(0).address());
        for (long slot = 17; slot < 25; slot++) assertThat(f.producerOf(chain, slot)).isNotEqualTo(p.get(3));
    }

    @Test
    void theScheduleIsRecomputedIdenticallyByEveryNodeFromTheSameChain() throws Rejection {
        Blockchain a = f.open();
        Blockchain b = f.open();
        for (long slot : new long[] {1, 2, 5, 9, 10, 11, 17}) {
            var block = DposFixture.block(a, f.producerOf(a, slot), slot, List.of(), List.of());
            a.importBlock(block, DposFixture.time(slot));
            b.importBlock(block, DposFixture.time(slot));
        }
        assertThat(b.head().hash()).isEqualTo(a.head().hash());
        assertThat(f.engine.describe(b.headState())).isEqualTo(f.engine.describe(a.headState()));
    }
}
