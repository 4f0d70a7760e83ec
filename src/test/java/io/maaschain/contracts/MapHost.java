package io.maaschain.contracts;

import io.maaschain.crypto.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A host over plain maps, for running contracts without a chain. */
public final class MapHost implements ContractHost {
    public final Map<String, byte[]> storage = new HashMap<>();
    final List<String> events = new ArrayList<>();
    final Map<Address, Long> balances = new HashMap<>();
    byte[] input = new byte[0];
    Address caller = Address.wrap(new byte[20]);
    Address self = Address.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override public byte[] input() { return input; }
    @Override public Address caller() { return caller; }
    @Override public Address self() { return self; }
    @Override public long value() { return 0; }
    @Override public long blockHeight() { return 7; }
    @Override public long blockTimeMillis() { return 1_000; }
    @Override public byte[] storageRead(byte[] key) { return storage.get(hex(key)); }
    @Override public void storageWrite(byte[] key, byte[] value) { storage.put(hex(key), value); }
    @Override public void storageDelete(byte[] key) { storage.remove(hex(key)); }
    @Override public long balance(Address a) { return balances.getOrDefault(a, 0L); }

    @Override
    public void transfer(Address to, long amount) {
        long mine = balance(self);
        if (amount > mine) throw new HostTrap(CallStatus.INSUFFICIENT_CONTRACT_BALANCE, "balance " + mine + " < " + amount);
        balances.put(self, mine - amount);
        balances.merge(to, amount, Long::sum);
    }

    @Override public void emit(byte[] topic, byte[] data) { events.add(hex(topic) + ":" + hex(data)); }

    @Override
    public CallOutcome call(Address contract, String function, byte[] args, long value, long gasLimit, int stackUsed) {
        return CallOutcome.failed(CallStatus.CONTRACT_NOT_FOUND, 0, "no contracts here");
    }

    @Override public byte[] modelRecord(String name) { return null; }
    @Override public boolean modelHosted(String name, String version, Address host) { return false; }
    @Override public void grantAccess(String name, Address grantee, long quota, long expiryHeight) { throw new HostTrap(CallStatus.NOT_AUTHORIZED, "no"); }
    @Override public void revokeAccess(String name, Address grantee) { throw new HostTrap(CallStatus.NOT_AUTHORIZED, "no"); }
}
