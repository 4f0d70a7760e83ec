package io.maaschain.state;

import io.maaschain.crypto.Address;
import io.maaschain.ledger.ChainParams;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.AllowSpendingKey;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.SetValidator;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Unstake;
import io.maaschain.ledger.tx.VoteProducers;
import io.maaschain.ledger.tx.Deprecate;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.NewVersion;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.RevokeAccess;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Withdraw;
import io.maaschain.ledger.tx.CallContract;
import io.maaschain.ledger.tx.DeployCode;
import io.maaschain.ledger.tx.Instantiate;
import io.maaschain.ledger.tx.SetModelPolicy;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UpdatePermissions;

/**
 * The deterministic state-transition function. A transaction either applies completely or throws a
 * {@link Rejection} having written nothing: it runs on a child layer that is merged only on success.
 */
public final class StateTransition {
    private final ChainParams params;
    private final ConsensusRules consensus;

    public StateTransition(ChainParams params) {
        this(params, ConsensusRules.NONE);
    }

    public StateTransition(ChainParams params, ConsensusRules consensus) {
        this.params = params;
        this.consensus = consensus;
    }

    public ChainParams params() {
        return params;
    }

    /**
     * Checks what needs no state: chain id, fee floor, that the chain's engine accepts the payload kind, and the
     * signature. The pool admits by this same check, so a transaction that can never apply is refused there.
     */
    public void checkStateless(Transaction tx, SignatureCheck signatures) throws Rejection {
        if (tx.chainId() != params.chainId()) {
            throw new Rejection(RejectCode.WRONG_CHAIN, "transaction is for chain " + tx.chainId() + ", this is chain " + params.chainId());
        }
        if (tx.fee() < params.minTxFee()) {
            throw new Rejection(RejectCode.FEE_TOO_LOW, "fee " + tx.fee() + " is below the minimum " + params.minTxFee());
        }
        if (isConsensusPayload(tx.payload()) && !consensus.accepts(tx.payload())) {
            throw new Rejection(RejectCode.UNSUPPORTED_PAYLOAD, "payload kind " + tx.payload().kind() + " ("
                    + tx.payload().getClass().getSimpleName() + ") can never apply under this chain's consensus engine");
        }
        if (!signatures.isValid(tx)) throw new Rejection(RejectCode.BAD_SIGNATURE, "signature does not verify");
    }

    /** Kinds 13-18: their rule belongs to the consensus engine ({@link ConsensusRules}). */
    static boolean isConsensusPayload(Payload payload) {
        return switch (payload) {
            case Stake s -> true;
            case Unstake u -> true;
            case Evidence e -> true;
            case RegisterProducer r -> true;
            case VoteProducers v -> true;
            case SetValidator v -> true;
            // Every other kind's rule is the state transition's own, whatever the engine.
            default -> false;
        };
    }

    /** On a permissioned chain, only listed accounts and admins may send, and only admins change membership. */
    public static void checkPermission(StateReader state, Transaction tx) throws Rejection {
        if (!Permissions.mayTransact(state, tx.sender())) {
            throw new Rejection(RejectCode.SENDER_NOT_ALLOWED, "account " + tx.sender() + " is not a member of this permissioned chain");
        }
        if (tx.payload() instanceof UpdatePermissions && !Permissions.isAdmin(state, tx.sender())) {
            throw new Rejection(RejectCode.NOT_ADMIN, Permissions.isPermissioned(state)
                    ? "account " + tx.sender() + " is not an admin" : "this chain is not permissioned");
        }
    }

    /**
     * On a permissioned chain only listed producers make blocks: a validator seal's key MUST hold a node record (the
     * validator key is the node key), a proof-of-work block's proposer address MUST hold an account or admin record (the
     * reward of any other address could never be spent on this chain). Read on the parent's state.
     */
    public static void checkProposer(StateReader state, Header header) throws Rejection {
        if (!Permissions.isPermissioned(state)) return;
        if (header.seal() instanceof ValidatorSeal seal) {
            if (!Permissions.mayConnect(state, seal.proposerKey())) {
                throw new Rejection(RejectCode.PROPOSER_NOT_ALLOWED, "proposer key " + seal.proposerKey().toHex()
                        + " is not a listed node of this permissioned chain");
            }
        } else if (!Permissions.mayTransact(state, header.proposer())) {
            throw new Rejection(RejectCode.PROPOSER_NOT_ALLOWED, "proposer " + header.proposer() + " is not a member (account or admin) of this permissioned chain");
        }
    }

    /**
     * Applies one transaction at {@code height} where the block time does not matter (trial application); contracts
     * that read the block time see 0. Block building and validation use the overload with the block's context.
     */
    public long applyTransaction(WorldState state, Transaction tx, long height, SignatureCheck signatures) throws Rejection {
        return applyTransaction(state, tx, new BlockContext(height, 0), signatures);
    }

    /**
     * Applies one transaction in {@code block}; returns what the proposer collects: the fee, plus the coins for the gas
     * a contract transaction used.
     */
    public long applyTransaction(WorldState state, Transaction tx, BlockContext block, SignatureCheck signatures) throws Rejection {
        long height = block.height();
        checkStateless(tx, signatures);
        checkPermission(state, tx);
        WorldState layer = state.child();
        Address sender = tx.sender();
        Account from = layer.account(sender);
        if (tx.nonce() < from.nonce()) {
            throw new Rejection(RejectCode.NONCE_TOO_LOW, "nonce " + tx.nonce() + " already used; next is " + from.nonce());
        }
        if (tx.nonce() > from.nonce()) {
            throw new Rejection(RejectCode.NONCE_TOO_HIGH, "nonce " + tx.nonce() + " is ahead; next is " + from.nonce());
        }
        long cost = add(tx.fee(), tx.payload().amountSent());
        if (from.balance() < cost) {
            throw new Rejection(RejectCode.INSUFFICIENT_BALANCE, "balance " + from.balance() + " is below the cost " + cost);
        }
        layer.setAccount(sender, new Account(from.balance() - cost, from.nonce() + 1));
        long collected = tx.fee();
        switch (tx.payload()) {
            case Transfer t -> {
                Account to = layer.account(t.to());
                layer.setAccount(t.to(), new Account(add(to.balance(), t.amount()), to.nonce()));
            }
            case RegisterModel m -> ModelMarket.register(layer, sender, m, height, false);
            case UpdatePermissions u -> updatePermissions(layer, u);
            case NewVersion v -> ModelMarket.newVersion(layer, sender, v, height);
            case Deprecate d -> ModelMarket.deprecate(layer, sender, d, height);
            case SetVisibility v -> ModelMarket.setVisibility(layer, sender, v);
            case HostModel h -> ModelMarket.host(layer, sender, h, height);
            case GrantAccess g -> ModelMarket.grant(layer, sender, g, height);
            case RevokeAccess r -> ModelMarket.revoke(layer, sender, r);
            case Deposit d -> ModelMarket.deposit(layer, sender, d);
            case Withdraw w -> ModelMarket.withdraw(layer, sender, w, height);
            case ReceiptBatch b -> ModelMarket.settle(layer, sender, b, block, params.chainId());
            case AllowSpendingKey a -> ModelMarket.allowSpendingKey(layer, sender, a);
            case Stake s -> consensus.applyPayload(layer, tx, height);
            case Unstake u -> consensus.applyPayload(layer, tx, height);
            case Evidence e -> consensus.applyPayload(layer, tx, height);
            case RegisterProducer r -> consensus.applyPayload(layer, tx, height);
            case VoteProducers v -> consensus.applyPayload(layer, tx, height);
            case SetValidator v -> consensus.applyPayload(layer, tx, height);
            case DeployCode d -> collected = add(collected, ContractTransactions.apply(layer, tx, block));
            case Instantiate in -> collected = add(collected, ContractTransactions.apply(layer, tx, block));
            case CallContract c -> collected = add(collected, ContractTransactions.apply(layer, tx, block));
            case SetModelPolicy p -> ContractTransactions.setPolicy(layer, sender, p);
        }
        layer.mergeIntoParent();
        return collected;
    }

    private static void updatePermissions(WorldState state, UpdatePermissions u) throws Rejection {
        u.addAccounts().forEach(a -> state.put(Permissions.accountKey(a), Permissions.present()));
        u.removeAccounts().forEach(a -> state.delete(Permissions.accountKey(a)));
        u.addNodes().forEach(k -> state.put(Permissions.nodeKey(k), Permissions.present()));
        u.removeNodes().forEach(k -> state.delete(Permissions.nodeKey(k)));
        long admins = Permissions.adminCount(state);
        for (var a : u.addAdmins()) {
            if (state.get(Permissions.adminKey(a)) == null) admins++;
            state.put(Permissions.adminKey(a), Permissions.present());
        }
        for (var a : u.removeAdmins()) {
            if (state.get(Permissions.adminKey(a)) != null) admins--;
            state.delete(Permissions.adminKey(a));
        }
        if (admins < 1) throw new Rejection(RejectCode.NOT_ADMIN, "the update would remove the last admin");
        Permissions.setAdminCount(state, admins);
    }

    /**
     * Applies a whole block: its proposer must be allowed ({@link #checkProposer}), every transaction must apply, then the proposer is credited with the block reward
     * and all fees. Throws without changing {@code state} if any transaction is rejected.
     */
    public void applyBlock(WorldState state, Block block, long blockReward, SignatureCheck signatures) throws Rejection {
        checkProposer(state, block.header());
        WorldState layer = state.child();
        long fees = 0;
        int i = 0;
        for (Transaction tx : block.transactions()) {
            try {
                fees = add(fees, applyTransaction(layer, tx, new BlockContext(block.height(), block.header().timestampMillis()), signatures));
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

    public static long add(long a, long b) throws Rejection {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0 || r < 0) throw new Rejection(RejectCode.OVERFLOW, "amount overflows 2^63-1");
        return r;
    }
}
