package io.maaschain.consensus.bft;

import io.maaschain.crypto.PublicKey;
import java.math.BigInteger;

/**
 * Who proposes at (height, round): a stateless, power-weighted rotation. Powers are first divided by their greatest
 * common divisor (so equal powers behave as power 1). The validators, sorted by key, cover the line {@code [0, P)} in
 * consecutive stretches as long as their power (P = total power). Position
 * {@code s = height + round} picks the point {@code (s * K) mod P}, where K is the integer nearest {@code P / phi}
 * (phi the golden ratio) that is coprime with P. Because K is coprime with P, any P consecutive positions hit every
 * point exactly once, so each validator proposes exactly {@code power} times in every P consecutive (height + round)
 * positions; because K is about 0.62 P, consecutive positions land far apart, so the next round (or height) goes to
 * another validator unless one holds more than about 38% of the power; with equal powers, any n consecutive rounds
 * of a height visit all n validators, so a dead proposer costs one round. Unlike Tendermint's priority queue it keeps no
 * state, so it needs nothing but the validator set and survives reorganisations and restarts unchanged.
 */
public final class ProposerSchedule {
    private static final BigInteger PHI_NUM = BigInteger.valueOf(618_033_988_749L);
    private static final BigInteger PHI_DEN = BigInteger.valueOf(1_000_000_000_000L);

    private ProposerSchedule() {}

    public static PublicKey proposer(ValidatorSet set, long height, long round) {
        long unit = 0;
        for (ValidatorSet.Validator v : set.validators()) unit = BigInteger.valueOf(unit).gcd(BigInteger.valueOf(v.power())).longValueExact();
        BigInteger total = BigInteger.valueOf(set.totalPower() / unit);
        BigInteger position = BigInteger.valueOf(height).add(BigInteger.valueOf(round));
        long point = position.multiply(stride(total)).mod(total).longValueExact();
        for (ValidatorSet.Validator v : set.validators()) {
            if (point < v.power() / unit) return v.key();
            point -= v.power() / unit;
        }
        throw new IllegalStateException("point beyond the total power");
    }

    /** The integer nearest P / phi that is coprime with P (1 for P = 1 or 2). */
    static BigInteger stride(BigInteger total) {
        BigInteger k = total.multiply(PHI_NUM).add(PHI_DEN.shiftRight(1)).divide(PHI_DEN).max(BigInteger.ONE);
        while (!k.gcd(total).equals(BigInteger.ONE)) k = k.add(BigInteger.ONE);
        return k.mod(total).signum() == 0 ? BigInteger.ONE : k;
    }
}
