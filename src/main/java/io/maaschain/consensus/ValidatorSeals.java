package io.maaschain.consensus;

import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;

/** Rules every validator seal obeys, whichever engine (pos, dpos, bft) uses it. */
public final class ValidatorSeals {
    private ValidatorSeals() {}

    /** The seal's slot (pos, dpos) or round (bft); 0 for a header without a validator seal, i.e. genesis. */
    public static long slotOf(Header h) {
        return h.seal() instanceof ValidatorSeal v ? v.slot() : 0;
    }

    /** The seal's key belongs to the header's proposer, and its signature of the proposal statement verifies on this chain. */
    public static void requireSignedByProposer(Header header, ValidatorSeal seal, long chainId) throws Rejection {
        if (!seal.proposerKey().address().equals(header.proposer())) {
            throw new Rejection(RejectCode.INVALID_SEAL, "the seal's key " + seal.proposerKey() + " does not belong to proposer " + header.proposer());
        }
        if (!HeaderCodec.proposalSignature(header).verify(chainId)) {
            throw new Rejection(RejectCode.INVALID_SEAL, "the proposer's signature is invalid");
        }
    }
}
