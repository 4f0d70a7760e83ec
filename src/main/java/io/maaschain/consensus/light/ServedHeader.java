package io.maaschain.consensus.light;

import io.maaschain.ledger.block.Header;
import io.maaschain.state.smt.SmtProof;
import java.util.Objects;

/**
 * A header as a node serves it to a light client, with, on a bft chain, the validator set its state records for the
 * next height (state key 0x30, null if the node left it out) and the proof of that value against the header's state root.
 */
public record ServedHeader(Header header, byte[] nextValidators, SmtProof nextValidatorsProof) {
    public ServedHeader {
        Objects.requireNonNull(header, "header");
    }

    public static ServedHeader of(Header header) {
        return new ServedHeader(header, null, null);
    }
}
