package io.maaschain.consensus.pow;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.PowSeal;
import java.util.Random;

/** Headers with deterministic pseudo-random contents for proof-of-work tests. */
public final class TestHeaders {
    private TestHeaders() {}

    public static Header header(long seed, long height, long timestampMillis, int bits, long nonce) {
        Random r = new Random(seed);
        return new Header(height, hash(r), timestampMillis, hash(r), hash(r), address(r), r.nextInt(1000),
                new PowSeal(bits, nonce));
    }

    public static Header header(long seed, int bits) {
        return header(seed, 7, 1_700_000_000_000L + seed, bits, 0);
    }

    private static Hash hash(Random r) {
        byte[] b = new byte[Hash.LENGTH];
        r.nextBytes(b);
        return Hash.wrap(b);
    }

    private static Address address(Random r) {
        byte[] b = new byte[Address.LENGTH];
        r.nextBytes(b);
        return Address.wrap(b);
    }
}
