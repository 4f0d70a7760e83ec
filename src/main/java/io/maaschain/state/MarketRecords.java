package io.maaschain.state;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;

/**
 * State records of the model market: who hosts what at which price, grants, escrows and settlement cursors
 * (docs/spec.md, "State keys"). Each record is a fixed sequence of u63 fields.
 */
public final class MarketRecords {
    public static final int DEPRECATED = 0x04;
    public static final int VISIBILITY = 0x05;
    public static final int HOST = 0x06;
    public static final int GRANT = 0x07;
    public static final int ESCROW = 0x08;
    public static final int SETTLEMENT = 0x09;
    public static final int ALLOWANCE = 0x0A;

    private MarketRecords() {}

    public static Bytes deprecatedKey(String name, String version) {
        return Bytes.adopt(new ByteWriter(64).u8(DEPRECATED).string(name).string(version).toByteArray());
    }

    public static Bytes visibilityKey(String name) {
        return Bytes.adopt(new ByteWriter(48).u8(VISIBILITY).string(name).toByteArray());
    }

    public static Bytes hostKey(String name, String version, Address host) {
        return Bytes.adopt(new ByteWriter(96).u8(HOST).string(name).string(version).raw(host.toBytes()).toByteArray());
    }

    public static Bytes grantKey(String name, Address grantee) {
        return Bytes.adopt(new ByteWriter(64).u8(GRANT).string(name).raw(grantee.toBytes()).toByteArray());
    }

    /** The escrow {@code caller} holds for {@code host}: only that host can settle calls against it. */
    public static Bytes escrowKey(Address caller, Address host) {
        return Bytes.adopt(new ByteWriter(41).u8(ESCROW).raw(caller.toBytes()).raw(host.toBytes()).toByteArray());
    }

    /** The allowance {@code account} gave the API key whose SHA-256 is {@code keyHash} to spend its channel with {@code host}. */
    public static Bytes allowanceKey(Address account, Address host, io.maaschain.crypto.Hash keyHash) {
        return Bytes.adopt(new ByteWriter(73).u8(ALLOWANCE).raw(account.toBytes()).raw(host.toBytes()).raw(keyHash.toBytes()).toByteArray());
    }

    public static Bytes settlementKey(Address host) {
        return Bytes.adopt(new ByteWriter(21).u8(SETTLEMENT).raw(host.toBytes()).toByteArray());
    }

    /**
     * A node serves a model version, charging {@code hostPrice} per call on top of the model's price; a raise to
     * {@code pendingPrice} applies from block {@code pendingFrom} (0: none pending).
     */
    public record Host(long hostPrice, long sinceHeight, long pendingPrice, long pendingFrom) {
        /** The host price that applies to a settlement at {@code height}. */
        public long priceAt(long height) {
            return pendingFrom != 0 && height >= pendingFrom ? pendingPrice : hostPrice;
        }

        public byte[] encode() {
            return new ByteWriter(32).u64(hostPrice).u64(sinceHeight).u64(pendingPrice).u64(pendingFrom).toByteArray();
        }

        public static Host decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            Host h = new Host(r.u63("host price"), r.u63("since height"), r.u63("pending price"), r.u63("pending from"));
            r.expectEnd();
            return h;
        }
    }

    /** A grantee may make {@code quota} calls in all, of which {@code used} are settled, before {@code expiryHeight}. */
    public record Grant(long quota, long used, long expiryHeight) {
        public long remaining() {
            return Math.max(0, quota - used);
        }

        public byte[] encode() {
            return new ByteWriter(24).u64(quota).u64(used).u64(expiryHeight).toByteArray();
        }

        public static Grant decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            Grant g = new Grant(r.u63("quota"), r.u63("used"), r.u63("expiry height"));
            r.expectEnd();
            return g;
        }
    }

    /**
     * A caller's payment channel with one host (its escrow): {@code balance} prepaid coins, of which
     * {@code pendingWithdrawal} leave once {@code unlockHeight} is reached (a close), and {@code settled}, the coins
     * settled so far against the caller's signed authorisations: a cumulative authorisation pays at most
     * {@code authorised - settled}. {@code settled} never decreases, so an authorisation is never paid twice.
     */
    public record Escrow(long balance, long pendingWithdrawal, long unlockHeight, long settled) {
        public static final Escrow EMPTY = new Escrow(0, 0, 0, 0);

        /** What new calls may still spend: the balance minus what is on its way out. */
        public long spendable() {
            return Math.max(0, balance - pendingWithdrawal);
        }

        public byte[] encode() {
            return new ByteWriter(32).u64(balance).u64(pendingWithdrawal).u64(unlockHeight).u64(settled).toByteArray();
        }

        public static Escrow decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            Escrow e = new Escrow(r.u63("balance"), r.u63("pending withdrawal"), r.u63("unlock height"), r.u63("settled"));
            r.expectEnd();
            return e;
        }
    }

    /** An API key may spend up to {@code cap} coins of the account's channel, {@code spent} of them settled, before {@code expiryHeight}. */
    public record Allowance(long cap, long spent, long expiryHeight) {
        /** What the key may still spend at {@code height}. */
        public long remainingAt(long height) {
            return height >= expiryHeight ? 0 : Math.max(0, cap - spent);
        }

        public byte[] encode() {
            return new ByteWriter(24).u64(cap).u64(spent).u64(expiryHeight).toByteArray();
        }

        public static Allowance decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            Allowance a = new Allowance(r.u63("cap"), r.u63("spent"), r.u63("expiry height"));
            r.expectEnd();
            return a;
        }
    }

    /** The next receipt sequence number a host must settle, and how many batches it has settled. */
    public record Settlement(long nextSeq, long batches) {
        public static final Settlement START = new Settlement(0, 0);

        public byte[] encode() {
            return new ByteWriter(16).u64(nextSeq).u64(batches).toByteArray();
        }

        public static Settlement decode(byte[] b) {
            ByteReader r = new ByteReader(b);
            Settlement s = new Settlement(r.u63("next seq"), r.u63("batches"));
            r.expectEnd();
            return s;
        }
    }
}
