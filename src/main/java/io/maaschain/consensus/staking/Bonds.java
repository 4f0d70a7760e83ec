package io.maaschain.consensus.staking;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.codec.CodecException;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bonded stake in the world state, shared by pos and dpos (docs/consensus.md, "Staking state"). Layout:
 * <ul>
 *   <li>{@code 0x20 || address} holds a {@link Bond};</li>
 *   <li>{@code 0x21} holds the sorted list of the addresses whose bond has {@code bonded > 0} (the accounts that stake
 *       now, at most {@link #MAX_BONDED}; an account leaves it when it unstakes everything or is slashed), so pos
 *       snapshots its validators without scanning every account that ever bonded;</li>
 *   <li>{@code 0x21 || u64 height} holds the sorted list of the addresses whose unbonding amount is released by the
 *       block at that height (the maturity index), so a block releases exactly what matures at its height.</li>
 * </ul>
 * Every bond with {@code unbonding > 0} is in exactly the maturity list of its {@code releaseHeight}, which is always
 * above the height of the unstake: a block reads one key to release, however many accounts ever staked.
 */
public final class Bonds {
    public static final int BOND = 0x20;
    public static final int INDEX = 0x21;
    /** The most accounts that may have bonded stake at once; a stake that would add one more is refused. */
    public static final int MAX_BONDED = 65_536;
    private static final Bytes BONDED_KEY = Bytes.adopt(new byte[] {INDEX});

    private Bonds() {}

    public static Bytes key(Address a) {
        byte[] k = new byte[1 + Address.LENGTH];
        k[0] = BOND;
        System.arraycopy(a.toBytes(), 0, k, 1, Address.LENGTH);
        return Bytes.adopt(k);
    }

    /** The key of the maturity list of {@code height}. */
    public static Bytes maturityKey(long height) {
        return Bytes.adopt(new ByteWriter(9).u8(INDEX).u64(height).toByteArray());
    }

    public static Optional<Bond> get(StateReader state, Address a) {
        byte[] v = state.get(key(a));
        return v == null ? Optional.empty() : Optional.of(Bond.decode(v));
    }

    /** The accounts with bonded stake now, in ascending byte order. */
    public static List<Address> bonded(StateReader state) {
        return readList(state.get(BONDED_KEY), MAX_BONDED, "bonded accounts");
    }

    /** The accounts whose unbonding amount the block at {@code height} releases, in ascending byte order. */
    public static List<Address> maturingAt(StateReader state, long height) {
        return readList(state.get(maturityKey(height)), Integer.MAX_VALUE, "maturing accounts");
    }

    /** Genesis bonds (already funded: they are not taken from any balance); none is unbonding. */
    public static void putGenesis(Map<Bytes, byte[]> state, List<Bond> bonds) {
        List<Address> index = new ArrayList<>();
        for (Bond b : bonds) {
            if (b.unbonding() != 0) throw new IllegalArgumentException("a genesis bond cannot be unbonding");
            state.put(key(b.key().address()), b.encode());
            if (b.bonded() > 0) insert(index, b.key().address());
        }
        if (index.size() > MAX_BONDED) throw new IllegalArgumentException("more than " + MAX_BONDED + " genesis bonds");
        if (!index.isEmpty()) state.put(BONDED_KEY, encodeList(index));
    }

    /**
     * Adds {@code amount} (already debited from the sender's balance) to the sender's bond, which must then hold at
     * least {@code minBond}: any stake of an account that holds {@code minBond} is accepted, a smaller first stake is not.
     */
    public static void stake(WorldState state, PublicKey key, long amount, Hash revealCommitment, long minBond) throws Rejection {
        Address a = key.address();
        Optional<Bond> existing = get(state, a);
        if (existing.isPresent()) {
            Bond b = existing.get();
            if (b.slashed()) throw new Rejection(RejectCode.NOT_VALIDATOR, "account " + a + " was slashed and may not stake again");
            if (!b.revealCommitment().equals(revealCommitment)) {
                throw new Rejection(RejectCode.MALFORMED, "reveal commitment " + revealCommitment + " differs from the recorded " + b.revealCommitment());
            }
        }
        long before = existing.map(Bond::bonded).orElse(0L);
        long after = StateTransition.add(before, amount);
        if (after < minBond) {
            throw new Rejection(RejectCode.INSUFFICIENT_STAKE, "a bond must hold at least " + minBond + "; staking " + amount
                    + " would leave " + a + " with " + after);
        }
        if (before == 0) {
            List<Address> index = new ArrayList<>(bonded(state));
            if (index.size() >= MAX_BONDED) {
                throw new Rejection(RejectCode.LIST_FULL, MAX_BONDED + " accounts stake already, the most a chain allows; "
                        + "stake again when one unstakes");
            }
            insert(index, a);
            state.put(BONDED_KEY, encodeList(index));
        }
        Bond b = existing.orElse(new Bond(key, 0, 0, 0, revealCommitment, false));
        state.put(key(a), new Bond(key, after, b.unbonding(), b.releaseHeight(), revealCommitment, false).encode());
    }

    /**
     * Moves {@code amount} from bonded to unbonding at {@code height}. The whole unbonding amount (an earlier pending one
     * waits with it) is released by the block at {@code max(releaseHeight, height + 1)}. What stays bonded must be
     * zero or at least {@code minBond}.
     */
    public static void unstake(WorldState state, Address a, long amount, long height, long releaseHeight, long minBond) throws Rejection {
        Bond b = get(state, a).orElseThrow(() -> new Rejection(RejectCode.INSUFFICIENT_STAKE, "account " + a + " has no stake"));
        if (b.bonded() < amount) throw new Rejection(RejectCode.INSUFFICIENT_STAKE, "unstaking " + amount + " of a bond of " + b.bonded());
        long left = b.bonded() - amount;
        if (left > 0 && left < minBond) {
            throw new Rejection(RejectCode.INSUFFICIENT_STAKE, "a bond must hold 0 or at least " + minBond + "; unstaking " + amount
                    + " would leave " + left + " (unstake all " + b.bonded() + " instead)");
        }
        long release = Math.max(releaseHeight, height + 1);
        long unbonding = StateTransition.add(b.unbonding(), amount);
        if (b.unbonding() > 0) removeFromList(state, maturityKey(b.releaseHeight()), a);
        addToList(state, maturityKey(release), a);
        if (left == 0) removeFromList(state, BONDED_KEY, a);
        state.put(key(a), new Bond(b.key(), left, unbonding, release, b.revealCommitment(), b.slashed()).encode());
    }

    /** Pays every unbonding amount that the block at {@code height} releases back to its account's balance. */
    public static void releaseMatured(WorldState state, long height) throws Rejection {
        Bytes bucket = maturityKey(height);
        List<Address> maturing = maturingAt(state, height);
        if (maturing.isEmpty()) return;
        for (Address a : maturing) {
            Bond b = get(state, a).orElseThrow(() -> new IllegalStateException("maturity index names " + a + ", which has no bond"));
            if (b.unbonding() == 0 || b.releaseHeight() != height) {
                throw new IllegalStateException("maturity index of height " + height + " names " + a + ", whose bond matures at " + b.releaseHeight());
            }
            Account acc = state.account(a);
            state.setAccount(a, new Account(StateTransition.add(acc.balance(), b.unbonding()), acc.nonce()));
            state.put(key(a), new Bond(b.key(), b.bonded(), 0, 0, b.revealCommitment(), b.slashed()).encode());
        }
        state.delete(bucket);
    }

    /** Burns everything {@code a} has bonded or unbonding and marks it slashed; returns the amount burned. */
    public static long slash(WorldState state, Address a) throws Rejection {
        Bond b = get(state, a).orElseThrow(() -> new Rejection(RejectCode.INVALID_EVIDENCE, "account " + a + " has no stake to slash"));
        if (b.slashed()) throw new Rejection(RejectCode.INVALID_EVIDENCE, "account " + a + " was already slashed");
        if (b.unbonding() > 0) removeFromList(state, maturityKey(b.releaseHeight()), a);
        if (b.bonded() > 0) removeFromList(state, BONDED_KEY, a);
        state.put(key(a), new Bond(b.key(), 0, 0, 0, b.revealCommitment(), true).encode());
        return StateTransition.add(b.bonded(), b.unbonding());
    }

    // ---- sorted address lists: u32 count || addresses, ascending bytes; an empty list is an absent key

    private static void addToList(WorldState state, Bytes key, Address a) {
        List<Address> list = new ArrayList<>(readList(state.get(key), Integer.MAX_VALUE, "address list"));
        insert(list, a);
        state.put(key, encodeList(list));
    }

    private static void removeFromList(WorldState state, Bytes key, Address a) {
        List<Address> list = new ArrayList<>(readList(state.get(key), Integer.MAX_VALUE, "address list"));
        int i = Collections.binarySearch(list, a, Bonds::compare);
        if (i < 0) throw new IllegalStateException("staking index " + key + " does not list " + a);
        list.remove(i);
        if (list.isEmpty()) state.delete(key);
        else state.put(key, encodeList(list));
    }

    private static void insert(List<Address> sorted, Address a) {
        int i = Collections.binarySearch(sorted, a, Bonds::compare);
        if (i < 0) sorted.add(-i - 1, a);
    }

    private static List<Address> readList(byte[] v, int max, String what) {
        if (v == null) return List.of();
        ByteReader r = new ByteReader(v);
        long n = r.u32(what + " count");
        if (n > max || n > r.remaining() / Address.LENGTH) throw new CodecException("too many " + what + ": " + n);
        List<Address> out = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) out.add(Address.wrap(r.raw(Address.LENGTH, what)));
        r.expectEnd();
        return out;
    }

    private static byte[] encodeList(List<Address> sorted) {
        ByteWriter w = new ByteWriter(4 + sorted.size() * Address.LENGTH).u32(sorted.size());
        sorted.forEach(a -> w.raw(a.toBytes()));
        return w.toByteArray();
    }

    private static int compare(Address x, Address y) {
        return Arrays.compareUnsigned(x.toBytes(), y.toBytes());
    }
}
