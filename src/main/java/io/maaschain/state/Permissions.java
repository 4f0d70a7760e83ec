package io.maaschain.state;

import io.maaschain.codec.Bytes;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.PublicKey;

/**
 * Membership of a permissioned chain, kept in the world state so that every node applies a change at the same
 * height and any member can prove it. A chain is permissioned when the genesis file says so; then only listed
 * accounts (and admins) may send transactions and only listed node keys may connect.
 */
public final class Permissions {
    public static final int PERMISSIONED = 0x10;
    public static final int ACCOUNT = 0x11;
    public static final int NODE = 0x12;
    public static final int ADMIN = 0x13;
    /** How many admins there are, so an update can never remove the last one. */
    public static final int ADMIN_COUNT = 0x14;
    static final byte[] PRESENT = {1};

    private Permissions() {}

    public static Bytes flagKey() {
        return Bytes.adopt(new byte[] {PERMISSIONED});
    }

    public static Bytes accountKey(Address a) {
        return Bytes.adopt(new ByteWriter(21).u8(ACCOUNT).raw(a.toBytes()).toByteArray());
    }

    public static Bytes nodeKey(PublicKey k) {
        return Bytes.adopt(new ByteWriter(33).u8(NODE).raw(k.toBytes()).toByteArray());
    }

    public static Bytes adminKey(Address a) {
        return Bytes.adopt(new ByteWriter(21).u8(ADMIN).raw(a.toBytes()).toByteArray());
    }

    public static Bytes adminCountKey() {
        return Bytes.adopt(new byte[] {ADMIN_COUNT});
    }

    public static long adminCount(StateReader s) {
        byte[] v = s.get(adminCountKey());
        return v == null ? 0 : new io.maaschain.codec.ByteReader(v).u63("admin count");
    }

    public static byte[] encodeCount(long count) {
        return new ByteWriter(8).u64(count).toByteArray();
    }

    public static void setAdminCount(WorldState s, long count) {
        s.put(adminCountKey(), encodeCount(count));
    }

    public static byte[] present() {
        return PRESENT.clone();
    }

    public static boolean isPermissioned(StateReader s) {
        return s.get(flagKey()) != null;
    }

    public static boolean mayTransact(StateReader s, Address a) {
        return !isPermissioned(s) || s.get(accountKey(a)) != null || s.get(adminKey(a)) != null;
    }

    public static boolean mayConnect(StateReader s, PublicKey nodeKey) {
        return !isPermissioned(s) || s.get(nodeKey(nodeKey)) != null;
    }

    public static boolean isAdmin(StateReader s, Address a) {
        return isPermissioned(s) && s.get(adminKey(a)) != null;
    }
}
