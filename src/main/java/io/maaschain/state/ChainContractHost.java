package io.maaschain.state;

import io.maaschain.codec.Bytes;
import io.maaschain.contracts.CallOutcome;
import io.maaschain.contracts.CallStatus;
import io.maaschain.contracts.ContractHost;
import io.maaschain.contracts.ContractLimits;
import io.maaschain.contracts.ContractVm;
import io.maaschain.contracts.HostTrap;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.Rejection;
import io.maaschain.state.MarketRecords.Grant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The host API over a world-state layer: what one running contract sees. Nested contract calls get their own child
 * layer, merged only if they succeed. Re-entrance is refused: a contract already running in this transaction cannot
 * be called again until it returns ({@link CallStatus#REENTRANCE}).
 */
final class ChainContractHost implements ContractHost {
    private final WorldState state;
    private final Address caller;
    private final Address self;
    private final long value;
    private final byte[] input;
    private final BlockContext block;
    private final List<Address> active;
    private final List<TxResult.Event> events;

    ChainContractHost(WorldState state, Address caller, Address self, long value, byte[] input, BlockContext block,
                      List<Address> active, List<TxResult.Event> events) {
        this.state = state;
        this.caller = caller;
        this.self = self;
        this.value = value;
        this.input = input;
        this.block = block;
        this.active = active;
        this.events = events;
    }

    /** Runs {@code function} of {@code contract} on {@code state}; the caller decides whether to keep the layer. */
    static CallOutcome run(WorldState state, Address caller, Address contract, String function, long value, byte[] input,
                           long gasLimit, int stackUsed, BlockContext block, List<Address> active, List<TxResult.Event> events) {
        byte[] record = state.get(ContractRecords.contractKey(contract));
        if (record == null) return CallOutcome.failed(CallStatus.CONTRACT_NOT_FOUND, 0, "no contract at " + contract);
        Hash codeHash = ContractRecords.Contract.decode(record).codeHash();
        active.add(contract);
        try {
            var prepared = CodeCache.get(codeHash, () -> state.get(ContractRecords.codeKey(codeHash)));
            return ContractVm.run(prepared, function, new ChainContractHost(state, caller, contract, value, input, block, active, events), gasLimit, stackUsed);
        } finally {
            active.remove(active.size() - 1);
        }
    }

    @Override public byte[] input() { return input; }
    @Override public Address caller() { return caller; }
    @Override public Address self() { return self; }
    @Override public long value() { return value; }
    @Override public long blockHeight() { return block.height(); }
    @Override public long blockTimeMillis() { return block.timeMillis(); }

    @Override
    public byte[] storageRead(byte[] key) {
        return state.get(ContractRecords.storageKey(self, key));
    }

    @Override
    public void storageWrite(byte[] key, byte[] value) {
        state.put(ContractRecords.storageKey(self, key), value.clone());
    }

    @Override
    public void storageDelete(byte[] key) {
        state.delete(ContractRecords.storageKey(self, key));
    }

    @Override
    public long balance(Address account) {
        return state.account(account).balance();
    }

    @Override
    public void transfer(Address to, long amount) {
        move(state, self, to, amount);
    }

    static void move(WorldState s, Address from, Address to, long amount) {
        if (amount == 0) return;
        Account a = s.account(from);
        if (a.balance() < amount) {
            throw new HostTrap(CallStatus.INSUFFICIENT_CONTRACT_BALANCE, "transfer of " + amount + " exceeds the balance " + a.balance() + " of " + from);
        }
        s.setAccount(from, new Account(a.balance() - amount, a.nonce()));
        Account b = s.account(to);
        try {
            s.setAccount(to, new Account(StateTransition.add(b.balance(), amount), b.nonce()));
        } catch (Rejection r) {
            throw new HostTrap(CallStatus.INVALID_ARGUMENT, r.getMessage());
        }
    }

    @Override
    public void emit(byte[] topic, byte[] data) {
        if (events.size() >= ContractLimits.MAX_EVENTS) throw new HostTrap(CallStatus.LIMIT_EXCEEDED, "more than " + ContractLimits.MAX_EVENTS + " events");
        events.add(new TxResult.Event(self, topic, data));
    }

    @Override
    public CallOutcome call(Address contract, String function, byte[] args, long value, long gasLimit, int stackUsed) {
        if (active.size() > ContractLimits.MAX_CALL_DEPTH) {
            return CallOutcome.failed(CallStatus.CALL_DEPTH, 0, "contract calls nest at most " + ContractLimits.MAX_CALL_DEPTH + " deep");
        }
        if (active.contains(contract)) {
            return CallOutcome.failed(CallStatus.REENTRANCE, 0, contract + " is already running in this transaction: re-entrance is refused");
        }
        WorldState child = state.child();
        int eventsBefore = events.size();
        CallOutcome out;
        try {
            if (child.get(ContractRecords.contractKey(contract)) == null) {
                return CallOutcome.failed(CallStatus.CONTRACT_NOT_FOUND, 0, "no contract at " + contract);
            }
            move(child, self, contract, value);
            out = run(child, self, contract, function, value, args, gasLimit, stackUsed, block, active, events);
        } catch (HostTrap t) {
            out = CallOutcome.failed(t.status(), 0, t.getMessage());
        }
        if (out.ok()) {
            child.mergeIntoParent();
        } else {
            while (events.size() > eventsBefore) events.remove(events.size() - 1);
        }
        return out;
    }

    /**
     * owner[20] | digest of the latest version[32] | price per call (u64 LE) | public (u8) | version count (u64 LE) |
     * latest version length (u8) | latest version (UTF-8).
     */
    @Override
    public byte[] modelRecord(String name) {
        byte[] nameBytes = state.get(StateKeys.modelName(name));
        if (nameBytes == null) return null;
        ModelName n = ModelName.decode(nameBytes);
        ModelVersion v = ModelVersion.decode(state.get(StateKeys.modelVersion(name, n.latestVersion())));
        byte[] version = n.latestVersion().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(20 + 32 + 8 + 1 + 8 + 1 + version.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(n.owner().toBytes()).put(v.registration().artifactDigest().toBytes()).putLong(v.registration().pricePerCall())
                .put((byte) (state.get(MarketRecords.visibilityKey(name)) != null ? 1 : 0)).putLong(n.versionCount())
                .put((byte) version.length).put(version);
        return b.array();
    }

    @Override
    public boolean modelHosted(String name, String version, Address host) {
        try {
            return state.get(MarketRecords.hostKey(name, version, host)) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void grantAccess(String name, Address grantee, long quota, long expiryHeight) {
        requireGoverns(name);
        if (quota <= 0) throw new HostTrap(CallStatus.INVALID_ARGUMENT, "quota must be positive");
        if (expiryHeight <= block.height()) throw new HostTrap(CallStatus.INVALID_ARGUMENT, "grant expiry " + expiryHeight + " has passed");
        Bytes key = MarketRecords.grantKey(name, grantee);
        byte[] old = state.get(key);
        long used = old == null ? 0 : Grant.decode(old).used();
        state.put(key, new Grant(quota, Math.min(used, quota), expiryHeight).encode());
    }

    @Override
    public void revokeAccess(String name, Address grantee) {
        requireGoverns(name);
        state.delete(MarketRecords.grantKey(name, grantee));
    }

    /** A contract governs a model it owns, or one whose owner made it the model's policy contract. */
    private void requireGoverns(String name) {
        byte[] nameBytes = state.get(StateKeys.modelName(name));
        if (nameBytes == null) throw new HostTrap(CallStatus.MODEL_NOT_FOUND, "model '" + name + "' is not registered");
        Address owner = ModelName.decode(nameBytes).owner();
        byte[] policy = state.get(ContractRecords.policyKey(name));
        boolean isPolicy = policy != null && Address.wrap(policy).equals(self);
        if (!owner.equals(self) && !isPolicy) {
            throw new HostTrap(CallStatus.NOT_AUTHORIZED, self + " neither owns model '" + name + "' nor is its policy contract");
        }
    }
}
