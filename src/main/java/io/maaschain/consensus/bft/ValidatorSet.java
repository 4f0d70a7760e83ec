package io.maaschain.consensus.bft;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The bft validators with their voting power, sorted by key so that every node sees the same order (the proposer
 * schedule walks it). Stored whole under one state key: it is small (at most {@link #MAX_VALIDATORS}) and read by every block.
 */
public record ValidatorSet(List<Validator> validators) {
    /** A block's seal carries at most 256 votes, so a commit of every validator always fits. */
    public static final int MAX_VALIDATORS = 256;
    /** Keeps the total power (and 3 * total) far from overflow. */
    public static final long MAX_POWER = 1L << 48;
    private static final Comparator<PublicKey> KEY_ORDER = (a, b) -> Arrays.compareUnsigned(a.toBytes(), b.toBytes());

    public record Validator(PublicKey key, long power) {
        public Validator {
            Objects.requireNonNull(key, "key");
            if (power < 1 || power > MAX_POWER) throw new IllegalArgumentException("validator power must be in 1.." + MAX_POWER + ", got " + power);
        }
    }

    public ValidatorSet {
        List<Validator> sorted = new ArrayList<>(validators);
        sorted.sort(Comparator.comparing(Validator::key, KEY_ORDER));
        if (sorted.isEmpty()) throw new IllegalArgumentException("a validator set needs at least one validator");
        if (sorted.size() > MAX_VALIDATORS) throw new IllegalArgumentException(sorted.size() + " validators, limit " + MAX_VALIDATORS);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).key().equals(sorted.get(i - 1).key())) throw new IllegalArgumentException("validator " + sorted.get(i).key() + " is listed twice");
        }
        validators = List.copyOf(sorted);
    }

    public int size() {
        return validators.size();
    }

    public long totalPower() {
        long total = 0;
        for (Validator v : validators) total += v.power();
        return total;
    }

    /** The validator's power, 0 if it is not in the set. */
    public long power(PublicKey key) {
        for (Validator v : validators) if (v.key().equals(key)) return v.power();
        return 0;
    }

    public boolean contains(PublicKey key) {
        return power(key) > 0;
    }

    /** More than two thirds of the total power: a quorum (2f+1 in the paper). */
    public boolean isQuorum(long power) {
        return power * 3 > totalPower() * 2;
    }

    /** More than one third of the total power: at least one honest validator among them (f+1 in the paper). */
    public boolean exceedsOneThird(long power) {
        return power * 3 > totalPower();
    }

    /** The set with {@code key}'s power set to {@code power}; 0 removes it. Throws if the result would be empty. */
    public ValidatorSet with(PublicKey key, long power) {
        List<Validator> next = new ArrayList<>();
        for (Validator v : validators) if (!v.key().equals(key)) next.add(v);
        if (power > 0) next.add(new Validator(key, power));
        return new ValidatorSet(next);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(2 + validators.size() * (PublicKey.LENGTH + 8)).u16(validators.size());
        for (Validator v : validators) w.raw(v.key().toBytes()).u64(v.power());
        return w.toByteArray();
    }

    public static ValidatorSet decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int n = r.u16("validator count");
        if (n > MAX_VALIDATORS) throw new CodecException(n + " validators, limit " + MAX_VALIDATORS);
        List<Validator> vs = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) vs.add(new Validator(PublicKey.wrap(r.raw(PublicKey.LENGTH, "validator key")), r.u63("validator power")));
            r.expectEnd();
            ValidatorSet set = new ValidatorSet(vs);
            // One value, one encoding: the stored order must already be the canonical one.
            if (!set.validators.equals(vs)) throw new CodecException("validators are not sorted by key");
            return set;
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid validator set: " + e.getMessage());
        }
    }
}
