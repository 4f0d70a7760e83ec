package io.maaschain.state;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;

/**
 * State records of contracts (docs/spec.md, "State keys"; docs/contracts.md): code by hash, instances, their storage,
 * transaction results, model policies and the per-contract event log. Like every record they lie under the state
 * root, so each has a proof.
 */
public final class ContractRecords {
    public static final int CODE = 0x40;
    public static final int CONTRACT = 0x41;
    public static final int STORAGE = 0x42;
    public static final int RESULT = 0x43;
    public static final int POLICY = 0x44;
    public static final int EVENT = 0x45;
    public static final int EVENT_COUNT = 0x46;

    private ContractRecords() {}

    public static Bytes codeKey(Hash codeHash) {
        return Bytes.adopt(new ByteWriter(33).u8(CODE).raw(codeHash.toBytes()).toByteArray());
    }

    public static Bytes contractKey(Address contract) {
        return Bytes.adopt(new ByteWriter(21).u8(CONTRACT).raw(contract.toBytes()).toByteArray());
    }

    public static Bytes storageKey(Address contract, byte[] key) {
        return Bytes.adopt(new ByteWriter(21 + key.length).u8(STORAGE).raw(contract.toBytes()).raw(key).toByteArray());
    }

    public static Bytes resultKey(Hash txHash) {
        return Bytes.adopt(new ByteWriter(33).u8(RESULT).raw(txHash.toBytes()).toByteArray());
    }

    public static Bytes policyKey(String model) {
        return Bytes.adopt(new ByteWriter(48).u8(POLICY).string(model).toByteArray());
    }

    public static Bytes eventKey(Address contract, long seq) {
        return Bytes.adopt(new ByteWriter(29).u8(EVENT).raw(contract.toBytes()).u64(seq).toByteArray());
    }

    public static Bytes eventCountKey(Address contract) {
        return Bytes.adopt(new ByteWriter(21).u8(EVENT_COUNT).raw(contract.toBytes()).toByteArray());
    }

    /** A contract's address: the last 20 bytes of SHA-256("maaschain/contract" || creator || u64 nonce of the creating transaction). */
    public static Address contractAddress(Address creator, long nonce) {
        byte[] h = Sha256.hash(new ByteWriter(64).raw("maaschain/contract".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .raw(creator.toBytes()).u64(nonce).toByteArray()).toBytes();
        return Address.wrap(java.util.Arrays.copyOfRange(h, Hash.LENGTH - Address.LENGTH, Hash.LENGTH));
    }

    /** An instance: the code it runs, who created it and when. */
    public record Contract(Hash codeHash, Address creator, long createdAtHeight) {
        public byte[] encode() {
            return new ByteWriter(60).raw(codeHash.toBytes()).raw(creator.toBytes()).u64(createdAtHeight).toByteArray();
        }

        public static Contract decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            Contract c = new Contract(Hash.wrap(r.raw(Hash.LENGTH, "code hash")), Address.wrap(r.raw(Address.LENGTH, "creator")), r.u63("created at"));
            r.expectEnd();
            return c;
        }
    }

    /** One event in a contract's log: the transaction that emitted it, a topic and data. */
    public record LoggedEvent(Hash txHash, byte[] topic, byte[] data) {
        public byte[] encode() {
            return new ByteWriter(40 + topic.length + data.length).raw(txHash.toBytes()).bytes(topic).bytes(data).toByteArray();
        }

        public static LoggedEvent decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            LoggedEvent e = new LoggedEvent(Hash.wrap(r.raw(Hash.LENGTH, "tx hash")), r.bytes(4096, "topic"), r.bytes(4096, "data"));
            r.expectEnd();
            return e;
        }
    }
}
