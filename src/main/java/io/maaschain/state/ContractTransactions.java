package io.maaschain.state;

import io.maaschain.contracts.CallOutcome;
import io.maaschain.contracts.CallStatus;
import io.maaschain.contracts.GasSchedule;
import io.maaschain.contracts.HostTrap;
import io.maaschain.contracts.ModuleRejectedException;
import io.maaschain.contracts.PreparedCode;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.CallContract;
import io.maaschain.ledger.tx.DeployCode;
import io.maaschain.ledger.tx.Instantiate;
import io.maaschain.ledger.tx.SetModelPolicy;
import io.maaschain.ledger.tx.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The state transition of the contract kinds (docs/contracts.md, "Transactions"). A contract transaction that fails
 * while running (trap, out of gas, a limit, a refused host call) is still included: its effects are dropped, the
 * value returns to the sender, the fee and the gas used are paid, and the result says why. Only what can be known
 * before running (nonce, balance for fee + value + the whole gas limit, model ownership) rejects the transaction.
 */
final class ContractTransactions {
    /** Gas of a deploy: a base plus a price per byte of code (the module is validated and instrumented once). */
    static final long DEPLOY_BASE_GAS = 10_000;
    static final long DEPLOY_GAS_PER_BYTE = 50;
    /** Gas of an instantiation before its init runs. */
    static final long INSTANTIATE_BASE_GAS = 5_000;
    private static final int MAX_MESSAGE = 256;

    private ContractTransactions() {}

    /** Checks the sender can also pay for the whole gas limit, on top of fee and value already debited. */
    static void requireGasFunds(WorldState layer, Address sender, long gasLimit) throws Rejection {
        long coins = GasSchedule.coins(gasLimit);
        long left = layer.account(sender).balance();
        if (left < coins) {
            throw new Rejection(RejectCode.INSUFFICIENT_BALANCE, "balance after fee and value is " + left + ", below " + coins + " for the gas limit " + gasLimit);
        }
    }

    /** Applies a contract kind on {@code layer} (fee and value already debited); returns the coins charged for gas. */
    static long apply(WorldState layer, Transaction tx, BlockContext block) throws Rejection {
        Address sender = tx.sender();
        return switch (tx.payload()) {
            case DeployCode d -> {
                requireGasFunds(layer, sender, d.gasLimit());
                yield finish(layer, tx, 0, deploy(layer, d));
            }
            case Instantiate in -> {
                requireGasFunds(layer, sender, in.gasLimit());
                yield finish(layer, tx, in.value(), instantiate(layer, tx, in, block));
            }
            case CallContract c -> {
                requireGasFunds(layer, sender, c.gasLimit());
                yield finish(layer, tx, c.value(), call(layer, tx, c, block));
            }
            default -> throw new IllegalArgumentException("not a contract kind: " + tx.payload().kind());
        };
    }

    /** An execution that may have failed, with the layer holding its effects and the events it emitted. */
    private record Execution(CallOutcome outcome, WorldState effects, List<TxResult.Event> events) {}

    private static long finish(WorldState layer, Transaction tx, long value, Execution e) throws Rejection {
        CallOutcome out = e.outcome();
        if (out.ok()) {
            e.effects().mergeIntoParent();
            for (TxResult.Event ev : e.events()) logEvent(layer, ev, tx.hash());
        } else if (value > 0) {
            Account a = layer.account(tx.sender());
            layer.setAccount(tx.sender(), new Account(StateTransition.add(a.balance(), value), a.nonce()));
        }
        long coins = GasSchedule.coins(out.gasUsed());
        Account a = layer.account(tx.sender());
        if (a.balance() < coins) throw new Rejection(RejectCode.INSUFFICIENT_BALANCE, "cannot pay " + coins + " for gas");
        layer.setAccount(tx.sender(), new Account(a.balance() - coins, a.nonce()));
        String message = out.message().length() > MAX_MESSAGE ? out.message().substring(0, MAX_MESSAGE) : out.message();
        TxResult result = new TxResult(out.status(), out.gasUsed(), coins, out.ok() ? out.returnData() : new byte[0], message,
                out.ok() ? e.events() : List.of());
        layer.put(ContractRecords.resultKey(tx.hash()), result.encode());
        return coins;
    }

    private static void logEvent(WorldState layer, TxResult.Event ev, Hash txHash) {
        var countKey = ContractRecords.eventCountKey(ev.contract());
        byte[] c = layer.get(countKey);
        long seq = c == null ? 0 : new io.maaschain.codec.ByteReader(c).u63("event count");
        layer.put(ContractRecords.eventKey(ev.contract(), seq), new ContractRecords.LoggedEvent(txHash, ev.topic(), ev.data()).encode());
        layer.put(countKey, Permissions.encodeCount(seq + 1));
    }

    private static Execution deploy(WorldState layer, DeployCode d) {
        WorldState effects = layer.child();
        byte[] code = d.code();
        long gas = DEPLOY_BASE_GAS + DEPLOY_GAS_PER_BYTE * code.length;
        if (gas > d.gasLimit()) {
            return new Execution(CallOutcome.failed(CallStatus.OUT_OF_GAS, d.gasLimit(), "deploying " + code.length + " bytes needs " + gas + " gas"), effects, List.of());
        }
        Hash hash = Sha256.hash(code);
        if (layer.get(ContractRecords.codeKey(hash)) != null) {
            return new Execution(CallOutcome.failed(CallStatus.CODE_EXISTS, gas, "code " + hash + " is already deployed"), effects, List.of());
        }
        try {
            PreparedCode.of(code);
        } catch (ModuleRejectedException e) {
            return new Execution(CallOutcome.failed(CallStatus.INVALID_MODULE, gas, e.reason() + ": " + e.getMessage()), effects, List.of());
        }
        effects.put(ContractRecords.codeKey(hash), code);
        return new Execution(new CallOutcome(CallStatus.OK, gas, hash.toBytes(), ""), effects, List.of());
    }

    private static Execution instantiate(WorldState layer, Transaction tx, Instantiate in, BlockContext block) {
        WorldState effects = layer.child();
        List<TxResult.Event> events = new ArrayList<>();
        long base = INSTANTIATE_BASE_GAS;
        if (base > in.gasLimit()) return new Execution(CallOutcome.failed(CallStatus.OUT_OF_GAS, in.gasLimit(), "instantiation needs " + base + " gas"), effects, events);
        if (layer.get(ContractRecords.codeKey(in.codeHash())) == null) {
            return new Execution(CallOutcome.failed(CallStatus.CODE_NOT_FOUND, base, "no code " + in.codeHash() + " is deployed"), effects, events);
        }
        Address address = ContractRecords.contractAddress(tx.sender(), tx.nonce());
        effects.put(ContractRecords.contractKey(address), new ContractRecords.Contract(in.codeHash(), tx.sender(), block.height()).encode());
        credit(effects, address, in.value());
        CallOutcome init = ChainContractHost.run(effects, tx.sender(), address, "init", in.value(), in.initArgs(),
                in.gasLimit() - base, 0, block, new ArrayList<>(), events);
        if (init.status() == CallStatus.MISSING_FUNCTION && init.gasUsed() == 0 && !init.message().contains("not callable")) {
            init = new CallOutcome(CallStatus.OK, 0, new byte[0], ""); // no init export: nothing to run
        }
        CallOutcome out = init.ok() ? new CallOutcome(CallStatus.OK, base + init.gasUsed(), address.toBytes(), "")
                : CallOutcome.failed(init.status(), base + init.gasUsed(), init.message());
        return new Execution(out, effects, events);
    }

    private static Execution call(WorldState layer, Transaction tx, CallContract c, BlockContext block) {
        WorldState effects = layer.child();
        List<TxResult.Event> events = new ArrayList<>();
        if (layer.get(ContractRecords.contractKey(c.contract())) == null) {
            return new Execution(CallOutcome.failed(CallStatus.CONTRACT_NOT_FOUND, 0, "no contract at " + c.contract()), effects, events);
        }
        credit(effects, c.contract(), c.value());
        CallOutcome out = ChainContractHost.run(effects, tx.sender(), c.contract(), c.function(), c.value(), c.args(),
                c.gasLimit(), 0, block, new ArrayList<>(), events);
        return new Execution(out, effects, events);
    }

    private static void credit(WorldState s, Address to, long amount) {
        if (amount == 0) return;
        Account a = s.account(to);
        try {
            s.setAccount(to, new Account(StateTransition.add(a.balance(), amount), a.nonce()));
        } catch (Rejection r) {
            throw new HostTrap(CallStatus.INVALID_ARGUMENT, r.getMessage());
        }
    }

    static void setPolicy(WorldState layer, Address sender, SetModelPolicy p) throws Rejection {
        byte[] nameBytes = layer.get(StateKeys.modelName(p.name()));
        if (nameBytes == null) throw new Rejection(RejectCode.MODEL_NOT_FOUND, "model '" + p.name() + "' is not registered");
        Address owner = ModelName.decode(nameBytes).owner();
        if (!owner.equals(sender)) throw new Rejection(RejectCode.NOT_MODEL_OWNER, "model '" + p.name() + "' belongs to " + owner);
        if (p.policy().isEmpty()) {
            layer.delete(ContractRecords.policyKey(p.name()));
            return;
        }
        Address policy = p.policy().get();
        if (layer.get(ContractRecords.contractKey(policy)) == null) {
            throw new Rejection(RejectCode.CONTRACT_NOT_FOUND, "no contract at " + policy + " to govern model '" + p.name() + "'");
        }
        layer.put(ContractRecords.policyKey(p.name()), policy.toBytes());
    }
}
