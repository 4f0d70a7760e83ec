package io.maaschain.ledger.tx;

/**
 * What a transaction does. Sealed so that every {@code switch} over payloads is checked for completeness;
 * later kinds (staking, voting, grants, receipts, contracts) are added here with a new kind byte.
 */
public sealed interface Payload permits Transfer, RegisterModel, UpdatePermissions, NewVersion, Deprecate, SetVisibility, HostModel,
        GrantAccess, RevokeAccess, Deposit, Withdraw, ReceiptBatch, Stake, Unstake, Evidence, RegisterProducer, VoteProducers, SetValidator,
        AllowSpendingKey, DeployCode, Instantiate, CallContract, SetModelPolicy {
    /** The kind byte of the canonical encoding (docs/spec.md, "Transaction"). */
    int kind();

    /** Coins this payload moves out of the sender, on top of the fee. */
    default long amountSent() {
        return 0;
    }
}
