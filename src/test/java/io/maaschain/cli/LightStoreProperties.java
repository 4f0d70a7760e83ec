package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.consensus.light.BftTestChain;
import io.maaschain.consensus.light.LightChain;
import io.maaschain.crypto.Hash;
import io.maaschain.testing.Fixtures;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The header store's file: what is written reads back the same, and any damaged byte is detected, never read as another chain. */
class LightStoreProperties {
    static final BftTestChain CHAIN = BftTestChain.of(4, 8);
    static final Hash GENESIS = Fixtures.digest("genesis");

    static LightChain chain(int length) {
        LightChain g = CHAIN.genesisChain();
        try {
            return length == 0 ? g : CHAIN.rules().extend(g, CHAIN.served(1, length), CHAIN.commits.get(length), BftTestChain.T0 + 1_000_000);
        } catch (io.maaschain.consensus.light.LightVerificationException e) {
            throw new AssertionError(e);
        }
    }

    @Property(tries = 50)
    void whatIsWrittenReadsBack(@ForAll @IntRange(min = 0, max = 8) int length) {
        LightChain c = chain(length);
        LightChain read = LightStore.decode(LightStore.encode(GENESIS, c), GENESIS);
        assertThat(read.headers()).isEqualTo(c.headers());
        assertThat(read.validatorSets()).isEqualTo(c.validatorSets());
        assertThat(read.tipCommit()).isEqualTo(c.tipCommit());
    }

    @Property(tries = 300)
    void anyDamagedByteIsDetected(@ForAll @IntRange(min = 0, max = 8) int length, @ForAll @IntRange(min = 0, max = 1_000_000) int offset,
                                  @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] bytes = LightStore.encode(GENESIS, chain(length));
        bytes[offset % bytes.length] ^= (byte) xor;
        assertThatThrownBy(() -> LightStore.decode(bytes, GENESIS)).isInstanceOf(CodecException.class);
    }

    @Property(tries = 20)
    void aStoreOfAnotherGenesisOrTruncatedIsRefused(@ForAll @IntRange(min = 1, max = 100) int cut) {
        byte[] bytes = LightStore.encode(GENESIS, chain(3));
        assertThatThrownBy(() -> LightStore.decode(bytes, Fixtures.digest("other"))).isInstanceOf(CodecException.class).hasMessageContaining("belongs to genesis");
        byte[] shorter = java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - cut));
        assertThatThrownBy(() -> LightStore.decode(shorter, GENESIS)).isInstanceOf(CodecException.class);
    }

}
