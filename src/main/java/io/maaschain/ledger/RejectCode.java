package io.maaschain.ledger;

/**
 * Why a transaction or block was refused. The names are stable: they appear as the {@code code} of
 * REST problem responses and in logs, and clients may branch on them.
 */
public enum RejectCode {
    MALFORMED,
    OVERSIZED,
    BAD_SIGNATURE,
    WRONG_CHAIN,
    NONCE_TOO_LOW,
    NONCE_TOO_HIGH,
    INSUFFICIENT_BALANCE,
    FEE_TOO_LOW,
    DUPLICATE,
    MEMPOOL_FULL,
    SENDER_NOT_ALLOWED,
    NOT_ADMIN,
    MODEL_VERSION_EXISTS,
    NOT_MODEL_OWNER,
    MODEL_NOT_FOUND,
    MODEL_DEPRECATED,
    NOT_HOSTING,
    HOST_NOT_APPROVED,
    GRANT_NOT_FOUND,
    INSUFFICIENT_ESCROW,
    WITHDRAWAL_LOCKED,
    WITHDRAWAL_MISMATCH,
    GRANT_EXPIRED,
    BATCH_OUT_OF_ORDER,
    OVERFLOW,
    UNKNOWN_PARENT,
    INVALID_HEADER,
    INVALID_SEAL,
    INVALID_BODY,
    INVALID_STATE_ROOT,
    KNOWN_INVALID,
    UNSUPPORTED_PAYLOAD,
    NOT_VALIDATOR,
    INSUFFICIENT_STAKE,
    INVALID_EVIDENCE,
    FINALITY_CONFLICT,
    /** A capped list in the engine state (bonded accounts, producer candidates) is full; refused when written, never when read. */
    LIST_FULL,
    /** On a permissioned chain, a block whose proposer is not a listed node (validator seals) or member (proof of work). */
    PROPOSER_NOT_ALLOWED,
    BAD_AUTHORISATION,
    AUTHORISATION_REPLAYED,
    CONTRACT_NOT_FOUND,
}
