package io.maaschain.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class KeystorePropertyTest {
    // scrypt at n=16 keeps each try in the microseconds; the cost parameter itself is covered by KeystoreTest.
    private static final ScryptParams CHEAP = new ScryptParams(16, 8, 1);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Property(tries = 200)
    void decryptsWithThePassword(@ForAll @Size(32) byte[] seed, @ForAll("passwords") String password) {
        KeyPair key = KeyPair.fromSeed(seed);
        byte[] file = Keystore.encrypt(key, password.toCharArray(), CHEAP, RANDOM);
        assertThat(Keystore.decrypt(file, password.toCharArray())).isEqualTo(key);
        assertThat(Keystore.publicKey(file)).isEqualTo(key.publicKey());
    }

    @Property(tries = 200)
    void refusesAnyOtherPassword(@ForAll @Size(32) byte[] seed, @ForAll("passwords") String password,
                                 @ForAll("passwords") String other) {
        Assume.that(!password.equals(other));
        byte[] file = Keystore.encrypt(KeyPair.fromSeed(seed), password.toCharArray(), CHEAP, RANDOM);
        KeystoreTest.assertWrongPassword(() -> Keystore.decrypt(file, other.toCharArray()));
    }

    /** Passwords of any Unicode code points, including supplementary ones, but never lone surrogates. */
    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.integers().between(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(24)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }
}
