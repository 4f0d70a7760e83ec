package io.maaschain.state;

import io.maaschain.crypto.Address;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;

/**
 * The deterministic state-transition function. A transaction either applies completely or throws a
 * {@link Rejection} having written nothing: it runs on a child layer that is merged only on success.
 */
public final class StateTransition {
    private final ChainParams params;

    public StateTransition(ChainParams params) {
        this.params = params;
    }

    public ChainParams params() {
        return params;
    }

    /** Checks what needs no state: chain id, fee floor and signature. */
    public void checkStateless(Transaction tx, SignatureCheck signatures) throws Rejection {
        if (tx.chainId() != params.chainId()) {
            throw new Rejection(RejectCode.WRONG_CHAIN, "transaction is for chain " + tx.chainId() + ", this is chain " + params.chainId());
        }
        if (tx.fee() < params.minTxFee()) {
            throw new Rejection(RejectCode.FEE_TOO_LOW, "fee " + tx.fee() + " is below the minimum " + params.minTxFee());
        }
        if (!signatures.isValid(tx)) throw new Rejection(RejectCode.BAD_SIGNATURE, "signature does not verify");
    }

    /** Applies one transaction at {@code height}; the fee is collected by the caller via the returned value. */
    public long applyTransaction(WorldState state, Transaction tx, long height, SignatureCheck signatures) throws Rejection {
        checkStateless(tx, signatures);
        WorldState layer = state.child();
        Address sender = tx.sender();
        Account from = layer.account(sender);
        if (tx.nonce() < from.nonce()) {
            throw new Rejection(RejectCode.NONCE_TOO_LOW, "nonce " + tx.nonce() + " already used; next is " + from.nonce());
        }
        if (tx.nonce() > from.nonce()) {
            throw new Rejection(RejectCode.NONCE_TOO_HIGH, "nonce " + tx.nonce() + " is ahead; next is " + from.nonce());
        }
        long cost = add(tx.fee(), switch (tx.payload()) {
            case Transfer t -> t.amount();
            case RegisterModel m -> 0L;
        });
        if (from.balance() < cost) {
            throw new Rejection(RejectCode.INSUFFICIENT_BALANCE, "balance " + from.balance() + " is below the cost " + cost);
        }
        layer.setAccount(sender, new Account(from.balance() - cost, from.nonce() + 1));
        switch (tx.payload()) {
            case Transfer t -> {
                Account to = layer.account(t.to());
                layer.setAccount(t.to(), new Account(add(to.balance(), t.amount()), to.nonce()));
            }
            case RegisterModel m -> registerModel(layer, sender, m, height);
        }
        layer.mergeIntoParent();
        return tx.fee();
    }

    private static void registerModel(WorldState state, Address sender, RegisterModel m, long height) throws Rejection {
        var nameKey = StateKeys.modelName(m.name());
        byte[] existing = state.get(nameKey);
        long versions = 0;
        if (existing != null) {
            ModelName name = ModelName.decode(existing);
            if (!name.owner().equals(sender)) {
                throw new Rejection(RejectCode.NOT_MODEL_OWNER, "model '" + m.name() + "' belongs to " + name.owner());
            }
            versions = name.versionCount();
        }
        var versionKey = StateKeys.modelVersion(m.name(), m.version());
        if (state.get(versionKey) != null) {
            throw new Rejection(RejectCode.MODEL_VERSION_EXISTS, "model '" + m.name() + "' already has version " + m.version());
        }
        state.put(versionKey, new ModelVersion(sender, m, height).encode());
        state.put(nameKey, new ModelName(sender, m.version(), versions + 1).encode());
    }

    /**
     * Applies a whole block: every transaction must apply, then the proposer is credited with the block reward
     * and all fees. Throws without changing {@code state} if any transaction is rejected.
     */
    public void applyBlock(WorldState state, Block block, long blockReward, SignatureCheck signatures) throws Rejection {
        WorldState layer = state.child();
        long fees = 0;
        int i = 0;
        for (Transaction tx : block.transactions()) {
            try {
                fees = add(fees, applyTransaction(layer, tx, block.height(), signatures));
            } catch (Rejection r) {
                throw new Rejection(RejectCode.INVALID_BODY, "transaction " + i + " (" + tx.hash() + ") " + r.code() + ": " + r.getMessage());
            }
            i++;
        }
        creditProposer(layer, block.header().proposer(), add(blockReward, fees));
        layer.mergeIntoParent();
    }

    public static void creditProposer(WorldState state, Address proposer, long amount) throws Rejection {
        if (amount == 0) return;
        Account a = state.account(proposer);
        state.setAccount(proposer, new Account(add(a.balance(), amount), a.nonce()));
    }

    static long add(long a, long b) throws Rejection {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0 || r < 0) throw new Rejection(RejectCode.OVERFLOW, "amount overflows 2^63-1");
        return r;
    }
}
