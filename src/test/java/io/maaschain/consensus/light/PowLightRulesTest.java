package io.maaschain.consensus.light;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.pow.CompactTarget;
import io.maaschain.consensus.pow.PowEngine;
import io.maaschain.consensus.pow.PowParameters;
import io.maaschain.consensus.pow.PowSealVerifier;
import io.maaschain.consensus.pow.Retarget;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.PowSeal;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proof-of-work light-client rules: linkage, seal, retarget, median time past, most cumulative work. */
class PowLightRulesTest {
    static final long T0 = 1_700_000_000_000L;
    static final long NOW = T0 + 10_000_000;
    // Easy targets (about one hash in two meets the limit), retargeting every 4 blocks towards 1 s per block.
    static final PowParameters PARAMS = new PowParameters(0x207fffff, 0x207fffff, 1000, 4, false, 50);
    static final PowEngine ENGINE = new PowEngine(PARAMS);
    static final Header GENESIS = new Header(0, Fixtures.digest("genesis file"), T0, MerkleTree.EMPTY_ROOT, Fixtures.digest("state"),
            Address.wrap(new byte[20]), 0, ENGINE.genesisSeal());

    final LightRules rules = LightRules.of(ENGINE).orElseThrow();

    /** Mines {@code count} headers on {@code base} with {@code gapMillis} between them; {@code salt} makes branches differ. */
    static List<Header> mine(List<Header> base, int count, long gapMillis, int salt) {
        List<Header> chain = new ArrayList<>(base);
        HeaderAncestry ancestry = height -> chain.get((int) height);
        for (int i = 0; i < count; i++) {
            Header parent = chain.getLast();
            long h = parent.height() + 1;
            int bits = Retarget.requiredBits(PARAMS, h, ancestry);
            chain.add(mined(h, parent.hash(), parent.timestampMillis() + gapMillis, bits, salt));
        }
        return chain;
    }

    static Header mined(long height, Hash parent, long time, int bits, int salt) {
        for (long nonce = 0; ; nonce++) {
            Header h = new Header(height, parent, time, MerkleTree.EMPTY_ROOT, Fixtures.digest("state " + salt), Address.wrap(new byte[20]), 0, new PowSeal(bits, nonce));
            if (PowSealVerifier.meets(h.hash(), CompactTarget.toTarget(bits))) return h;
        }
    }

    static List<ServedHeader> serve(List<Header> headers, int from) {
        return headers.subList(from, headers.size()).stream().map(ServedHeader::of).toList();
    }

    static LightChain genesis() {
        return new LightChain(List.of(GENESIS), List.of(), List.of());
    }

    @Test
    void anHonestChainAcrossRetargetsIsAccepted() throws Exception {
        List<Header> chain = mine(List.of(GENESIS), 12, 100, 0);
        // Ten times too fast: the target has tightened at heights 4, 8 and 12.
        assertThat(((PowSeal) chain.get(12).seal()).bits()).isNotEqualTo(PARAMS.initialBits());
        LightChain verified = rules.extend(genesis(), serve(chain, 1), List.of(), NOW);
        assertThat(verified.headers()).isEqualTo(chain);
        assertThat(rules.isFinal(verified, 5)).isFalse();
        assertThat(rules.finality(verified, 10)).contains("3 confirmations");
    }

    @Test
    void aHeaderIgnoringTheRetargetIsRefused() {
        List<Header> chain = mine(List.of(GENESIS), 3, 100, 0);
        int parentBits = ((PowSeal) chain.get(3).seal()).bits();
        assertThat(Retarget.requiredBits(PARAMS, 4, h -> chain.get((int) h))).isNotEqualTo(parentBits);
        List<Header> bad = new ArrayList<>(chain);
        bad.add(mined(4, chain.get(3).hash(), chain.get(3).timestampMillis() + 100, parentBits, 0));
        assertThatThrownBy(() -> rules.extend(genesis(), serve(bad, 1), List.of(), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("height 4").hasMessageContaining("but required");
    }

    @Test
    void aSealAboveItsTargetIsRefused() {
        List<Header> chain = mine(List.of(GENESIS), 2, 100, 0);
        Header good = chain.get(2);
        int bits = ((PowSeal) good.seal()).bits();
        Header forged = null;
        for (long nonce = 0; forged == null; nonce++) {
            Header h = new Header(2, good.parentHash(), good.timestampMillis(), good.txRoot(), good.stateRoot(), good.proposer(), 0, new PowSeal(bits, nonce));
            if (!PowSealVerifier.meets(h.hash(), CompactTarget.toTarget(bits))) forged = h;
        }
        List<Header> bad = new ArrayList<>(chain.subList(0, 2));
        bad.add(forged);
        assertThatThrownBy(() -> rules.extend(genesis(), serve(bad, 1), List.of(), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("above target");
    }

    @Test
    void aHeaderThatDoesNotLinkIsRefused() {
        List<Header> chain = mine(List.of(GENESIS), 4, 100, 0);
        List<Header> gap = new ArrayList<>(chain);
        gap.remove(2);
        assertThatThrownBy(() -> rules.extend(genesis(), serve(gap, 1), List.of(), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("does not link");
    }

    @Test
    void aTimestampNotAfterTheMedianTimePastIsRefused() {
        List<Header> chain = mine(List.of(GENESIS), 5, 100, 0);
        Header parent = chain.get(5);
        int bits = Retarget.requiredBits(PARAMS, 6, h -> chain.get((int) h));
        // The median of blocks 0..5 is block 3's time.
        List<Header> bad = new ArrayList<>(chain);
        bad.add(mined(6, parent.hash(), chain.get(3).timestampMillis(), bits, 0));
        assertThatThrownBy(() -> rules.extend(genesis(), serve(bad, 1), List.of(), NOW))
                .isInstanceOf(LightVerificationException.class).hasMessageContaining("median time past");
    }

    @Test
    void theBranchWithMoreWorkIsKept() throws Exception {
        List<Header> main = mine(List.of(GENESIS), 6, 1000, 0);
        LightChain verified = rules.extend(genesis(), serve(main, 1), List.of(), NOW);
        // A branch from height 3 with two more blocks than the held one has more work: it replaces blocks 4..6.
        List<Header> heavier = mine(main.subList(0, 4), 5, 1000, 1);
        LightChain switched = rules.extend(verified, serve(heavier, 4), List.of(), NOW);
        assertThat(switched.headers()).isEqualTo(heavier);
        // A branch with less work is verified but not taken.
        List<Header> lighter = mine(main.subList(0, 4), 2, 1000, 2);
        assertThat(rules.extend(switched, serve(lighter, 4), List.of(), NOW)).isSameAs(switched);
        // Equal work: the held branch stays (first seen wins, as on full nodes).
        List<Header> equal = mine(main.subList(0, 4), 5, 1000, 3);
        assertThat(rules.extend(switched, serve(equal, 4), List.of(), NOW)).isSameAs(switched);
    }
}
