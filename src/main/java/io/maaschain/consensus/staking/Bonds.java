package io.maaschain.consensus.staking;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.state.Account;
import io.maaschain.state.StateReader;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Bonded stake in the world state, shared by pos and dpos. Layout: {@code 0x20 || address} holds a {@link Bond};
 * {@code 0x21} holds the sorted list of every address that ever bonded, so the engines iterate bonds in one
 * deterministic order without scanning the store.
 */
public final class Bonds {
    public static final int BOND = 0x20;
    public static final int INDEX = 0x21;
    private static final Bytes INDEX_KEY = Bytes.adopt(new byte[] {INDEX});

    private Bonds() {}

    public static Bytes key(Address a) {
        byte[] k = new byte[1 + Address.LENGTH];
        k[0] = BOND;
        System.arraycopy(a.toBytes(), 0, k, 1, Address.LENGTH);
        return Bytes.adopt(k);
    }

    public static Optional<Bond> get(StateReader state, Address a) {
        byte[] v = state.get(key(a));
        return v == null ? Optional.empty() : Optional.of(Bond.decode(v));
    }

    /** Every address that ever bonded, in ascending byte order. */
    public static List<Address> addresses(StateReader state) {
        byte[] v = state.get(INDEX_KEY);
        if (v == null) return List.of();
        ByteReader r = new ByteReader(v);
        long n = r.u32("bond count");
        List<Address> out = new ArrayList<>((int) Math.min(n, 1 << 16));
        for (long i = 0; i < n; i++) out.add(Address.wrap(r.raw(Address.LENGTH, "bonded address")));
        r.expectEnd();
        return out;
    }

    /** Genesis bonds (already funded: they are not taken from any balance). */
    public static void putGenesis(Map<Bytes, byte[]> state, List<Bond> bonds) {
        TreeSet<Address> index = new TreeSet<>(Bonds::compare);
        for (Bond b : bonds) {
            state.put(key(b.key().address()), b.encode());
            index.add(b.key().address());
        }
        state.put(INDEX_KEY, encodeIndex(index));
    }

    /** Adds {@code amount} (already debited from the sender's balance) to the sender's bond. */
    public static void stake(WorldState state, PublicKey key, long amount, Hash revealCommitment) throws Rejection {
        Address a = key.address();
        Optional<Bond> existing = get(state, a);
        if (existing.isPresent()) {
            Bond b = existing.get();
            if (b.slashed()) throw new Rejection(RejectCode.NOT_VALIDATOR, "account " + a + " was slashed and may not stake again");
            if (!b.revealCommitment().equals(revealCommitment)) {
                throw new Rejection(RejectCode.MALFORMED, "reveal commitment " + revealCommitment + " differs from the recorded " + b.revealCommitment());
            }
            state.put(key(a), new Bond(key, StateTransition.add(b.bonded(), amount), b.unbonding(), b.releaseHeight(), revealCommitment, false).encode());
        } else {
            state.put(key(a), new Bond(key, amount, 0, 0, revealCommitment, false).encode());
            TreeSet<Address> index = new TreeSet<>(Bonds::compare);
            index.addAll(addresses(state));
            index.add(a);
            state.put(INDEX_KEY, encodeIndex(index));
        }
    }

    /** Moves {@code amount} from bonded to unbonding, released at {@code releaseHeight} (a pending amount waits with it). */
    public static void unstake(WorldState state, Address a, long amount, long releaseHeight) throws Rejection {
        Bond b = get(state, a).orElseThrow(() -> new Rejection(RejectCode.INSUFFICIENT_STAKE, "account " + a + " has no stake"));
        if (b.bonded() < amount) throw new Rejection(RejectCode.INSUFFICIENT_STAKE, "unstaking " + amount + " of a bond of " + b.bonded());
        state.put(key(a), new Bond(b.key(), b.bonded() - amount, StateTransition.add(b.unbonding(), amount), releaseHeight,
                b.revealCommitment(), b.slashed()).encode());
    }

    /** Pays every unbonding amount whose release height has come back to its account's balance. */
    public static void releaseMatured(WorldState state, long height) throws Rejection {
        for (Address a : addresses(state)) {
            Bond b = get(state, a).orElseThrow();
            if (b.unbonding() == 0 || b.releaseHeight() > height) continue;
            Account acc = state.account(a);
            state.setAccount(a, new Account(StateTransition.add(acc.balance(), b.unbonding()), acc.nonce()));
            state.put(key(a), new Bond(b.key(), b.bonded(), 0, 0, b.revealCommitment(), b.slashed()).encode());
        }
    }

    /** Burns everything {@code a} has bonded or unbonding and marks it slashed; returns the amount burned. */
    public static long slash(WorldState state, Address a) throws Rejection {
        Bond b = get(state, a).orElseThrow(() -> new Rejection(RejectCode.INVALID_EVIDENCE, "account " + a + " has no stake to slash"));
        if (b.slashed()) throw new Rejection(RejectCode.INVALID_EVIDENCE, "account " + a + " was already slashed");
        state.put(key(a), new Bond(b.key(), 0, 0, 0, b.revealCommitment(), true).encode());
        return StateTransition.add(b.bonded(), b.unbonding());
    }

    private static byte[] encodeIndex(TreeSet<Address> index) {
        ByteWriter w = new ByteWriter(4 + index.size() * Address.LENGTH).u32(index.size());
        index.forEach(a -> w.raw(a.toBytes()));
        return w.toByteArray();
    }

    private static int compare(Address x, Address y) {
        return java.util.Arrays.compareUnsigned(x.toBytes(), y.toBytes());
    }
}
