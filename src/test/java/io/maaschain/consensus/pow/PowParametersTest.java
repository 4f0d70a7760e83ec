package io.maaschain.consensus.pow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PowParametersTest {
    static PowParameters params(int powLimitBits, int initialBits, long blockMillis, int interval) {
        return new PowParameters(powLimitBits, initialBits, blockMillis, interval, false, 50);
    }

    @Test
    void acceptsBitcoinLikeParameters() {
        PowParameters p = params(0x1d00ffff, 0x1d00ffff, 600_000, 2016);
        assertThat(p.expectedTimespanMillis()).isEqualTo(1_209_600_000L);
        assertThat(p.powLimit()).isEqualTo(CompactTarget.toTarget(0x1d00ffff));
    }

    @Test
    void rejectsUnusableTargets() {
        assertThatThrownBy(() -> params(0x04923456, 0x1d00ffff, 1000, 10))
                .hasMessage("powLimitBits 0x04923456 is negative");
        assertThatThrownBy(() -> params(0xff123456, 0x1d00ffff, 1000, 10))
                .hasMessage("powLimitBits 0xff123456 overflows 256 bits");
        assertThatThrownBy(() -> params(0x1d00ffff, 0x01003456, 1000, 10))
                .hasMessage("initialBits 0x01003456 is a zero target, which no hash meets");
        assertThatThrownBy(() -> params(0x1d00ffff, 0x1e0000ff, 1000, 10))
                .hasMessage("initialBits 0x1e0000ff is not canonical; use 0x1d00ff00");
        assertThatThrownBy(() -> params(0x1c00ffff, 0x1d00ffff, 1000, 10))
                .hasMessage("initialBits 0x1d00ffff is easier than powLimitBits 0x1c00ffff");
    }

    @Test
    void rejectsBadTiming() {
        assertThatThrownBy(() -> params(0x1d00ffff, 0x1d00ffff, 0, 10)).hasMessageContaining("targetBlockTimeMillis");
        assertThatThrownBy(() -> params(0x1d00ffff, 0x1d00ffff, 1000, 1)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> params(0x1d00ffff, 0x1d00ffff, Long.MAX_VALUE / 4, 10)).hasMessageContaining("too large");
        assertThatThrownBy(() -> new PowParameters(0x1d00ffff, 0x1d00ffff, 1000, 10, false, -1))
                .hasMessageContaining("blockReward");
    }
}
