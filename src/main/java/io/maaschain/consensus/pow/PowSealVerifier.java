package io.maaschain.consensus.pow;

import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.PowSeal;
import java.math.BigInteger;

/**
 * Checks a header's proof of work against the bits the chain requires at its height (see {@link Retarget}).
 * Hashes through {@link HeaderCodec}, independently of the miner's fast path, so a bug there cannot vouch for itself.
 */
public final class PowSealVerifier {
    private final BigInteger powLimit;

    public PowSealVerifier(PowParameters params) {
        this.powLimit = params.powLimit();
    }

    public SealCheck check(Header header, int requiredBits) {
        if (!(header.seal() instanceof PowSeal seal)) {
            return invalid(SealCheck.Reason.NOT_POW_SEAL, "seal kind " + header.seal().kind() + " is not proof of work");
        }
        int bits = seal.bits();
        if (bits != requiredBits) {
            return invalid(SealCheck.Reason.BITS_MISMATCH,
                    "bits " + CompactTarget.hex(bits) + " but required " + CompactTarget.hex(requiredBits));
        }
        // The required bits come from our own retargeting, so the checks below only guard against bad parameters.
        CompactTarget.Decoded decoded = CompactTarget.decode(bits);
        if (!decoded.valid() || decoded.value().signum() == 0) {
            String why = decoded.negative() ? "negative" : decoded.overflow() ? "overflowing" : "zero";
            return invalid(SealCheck.Reason.INVALID_BITS, "bits " + CompactTarget.hex(bits) + " encode a " + why + " target");
        }
        BigInteger target = decoded.value();
        if (target.compareTo(powLimit) > 0) {
            return invalid(SealCheck.Reason.ABOVE_POW_LIMIT,
                    "bits " + CompactTarget.hex(bits) + " encode a target easier than the proof-of-work limit");
        }
        Hash hash = HeaderCodec.hash(header);
        if (!meets(hash, target)) {
            return invalid(SealCheck.Reason.HASH_ABOVE_TARGET,
                    "seal hash " + hash.toHex() + " above target " + String.format("%064x", target));
        }
        return new SealCheck.Valid(hash);
    }

    /** As {@link #check} but throws, for callers that treat any failure as a rejected block. */
    public Hash verify(Header header, int requiredBits) {
        return switch (check(header, requiredBits)) {
            case SealCheck.Valid v -> v.blockHash();
            case SealCheck.Invalid i -> throw new InvalidSealException(i.reason(), i.message());
        };
    }

    /** The hash read as a big-endian unsigned number (not little-endian as in Bitcoin) is at most the target. */
    public static boolean meets(Hash hash, BigInteger target) {
        return new BigInteger(1, hash.toBytes()).compareTo(target) <= 0;
    }

    private static SealCheck invalid(SealCheck.Reason reason, String message) {
        return new SealCheck.Invalid(reason, message);
    }
}
