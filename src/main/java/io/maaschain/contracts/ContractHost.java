package io.maaschain.contracts;

import io.maaschain.crypto.Address;

/**
 * What a running contract may see and do outside its memory; the state layer implements it over a world-state layer
 * that is dropped if the call fails. Methods throw {@link HostTrap} to end the call with a status.
 */
public interface ContractHost {
    byte[] input();

    Address caller();

    Address self();

    long value();

    long blockHeight();

    long blockTimeMillis();

    /** The stored value, or null. */
    byte[] storageRead(byte[] key);

    void storageWrite(byte[] key, byte[] value);

    void storageDelete(byte[] key);

    long balance(Address account);

    void transfer(Address to, long amount);

    void emit(byte[] topic, byte[] data);

    /**
     * Calls another contract with at most {@code gasLimit} gas, its stack counter starting at {@code stackUsed} (the
     * budget is shared); its failure is returned, not thrown.
     */
    CallOutcome call(Address contract, String function, byte[] args, long value, long gasLimit, int stackUsed);

    /** The model's record in the layout of docs/contracts.md ("model_read"), or null if there is no such model. */
    byte[] modelRecord(String name);

    boolean modelHosted(String name, String version, Address host);

    void grantAccess(String name, Address grantee, long quota, long expiryHeight);

    void revokeAccess(String name, Address grantee);
}
