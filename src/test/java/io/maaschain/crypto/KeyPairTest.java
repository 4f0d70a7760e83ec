package io.maaschain.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyPairTest {
    @Test
    void generateUsesTheGivenRandomness() {
        SecureRandom fixed = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 7);
            }
        };
        KeyPair generated = KeyPair.generate(fixed);
        byte[] sevens = new byte[32];
        Arrays.fill(sevens, (byte) 7);
        assertThat(generated).isEqualTo(KeyPair.fromSeed(sevens));
        assertThat(KeyPair.generate(new SecureRandom())).isNotEqualTo(KeyPair.generate(new SecureRandom()));
    }
}
