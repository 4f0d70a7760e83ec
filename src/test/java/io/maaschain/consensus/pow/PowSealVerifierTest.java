package io.maaschain.consensus.pow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.PowSeal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PowSealVerifierTest {
    private static final int BITS = 0x1f00ffff;
    private static final PowParameters PARAMS = new PowParameters(0x1f00ffff, BITS, 1000, 10, false, 50);
    private static final PowSealVerifier VERIFIER = new PowSealVerifier(PARAMS);
    private static Header mined;

    @BeforeAll
    static void mine() {
        Header template = TestHeaders.header(11, BITS);
        long nonce = Sha256dNonceSearch.create()
                .search(HeaderCodec.encode(template), CompactTarget.toTarget(BITS), 0, 100_000_000, () -> false);
        mined = template.withSeal(new PowSeal(BITS, nonce));
    }

    @Test
    void acceptsAMinedHeader() {
        SealCheck check = VERIFIER.check(mined, BITS);
        assertThat(check).isEqualTo(new SealCheck.Valid(mined.hash()));
        assertThat(check.isValid()).isTrue();
        assertThat(VERIFIER.verify(mined, BITS)).isEqualTo(mined.hash());
    }

    @Test
    void rejectsATamperedHeader() {
        Header tampered = new Header(mined.height(), mined.parentHash(), mined.timestampMillis() + 1, mined.txRoot(),
                mined.stateRoot(), mined.proposer(), mined.txCount(), mined.seal());
        assertRejected(tampered, BITS, SealCheck.Reason.HASH_ABOVE_TARGET, "seal hash " + tampered.hash().toHex() + " above target 0000ffff");
    }

    @Test
    void rejectsATamperedNonce() {
        PowSeal seal = (PowSeal) mined.seal();
        Header tampered = mined.withSeal(new PowSeal(seal.bits(), seal.nonce() + 1));
        assertRejected(tampered, BITS, SealCheck.Reason.HASH_ABOVE_TARGET, "above target");
    }

    @Test
    void rejectsBitsOtherThanRequired() {
        PowSeal seal = (PowSeal) mined.seal();
        Header easier = mined.withSeal(new PowSeal(0x2000ffff, seal.nonce()));
        assertRejected(easier, BITS, SealCheck.Reason.BITS_MISMATCH, "bits 0x2000ffff but required 0x1f00ffff");
        // Valid work, but the chain asked for something else.
        assertRejected(mined, 0x1e00ffff, SealCheck.Reason.BITS_MISMATCH, "bits 0x1f00ffff but required 0x1e00ffff");
    }

    @Test
    void rejectsTargetsBeyondTheLimitEvenIfRequired() {
        PowSeal seal = (PowSeal) mined.seal();
        Header easier = mined.withSeal(new PowSeal(0x2000ffff, seal.nonce()));
        assertRejected(easier, 0x2000ffff, SealCheck.Reason.ABOVE_POW_LIMIT, "easier than the proof-of-work limit");
    }

    @Test
    void rejectsUnusableBits() {
        PowSeal seal = (PowSeal) mined.seal();
        assertRejected(mined.withSeal(new PowSeal(0x04923456, seal.nonce())), 0x04923456,
                SealCheck.Reason.INVALID_BITS, "bits 0x04923456 encode a negative target");
        assertRejected(mined.withSeal(new PowSeal(0xff123456, seal.nonce())), 0xff123456,
                SealCheck.Reason.INVALID_BITS, "overflowing");
        assertRejected(mined.withSeal(new PowSeal(0, seal.nonce())), 0, SealCheck.Reason.INVALID_BITS, "zero");
    }

    private static void assertRejected(Header header, int requiredBits, SealCheck.Reason reason, String messagePart) {
        SealCheck check = VERIFIER.check(header, requiredBits);
        assertThat(check).isInstanceOfSatisfying(SealCheck.Invalid.class, i -> {
            assertThat(i.reason()).isEqualTo(reason);
            assertThat(i.message()).contains(messagePart);
        });
        assertThatThrownBy(() -> VERIFIER.verify(header, requiredBits))
                .isInstanceOfSatisfying(InvalidSealException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }
}
