package io.maaschain.ledger.block;

/** Proof of work: {@code bits} is the target in Bitcoin's compact form, {@code nonce} the value searched for. */
public record PowSeal(int bits, long nonce) implements Seal {
    public static final int KIND = 1;
    /** Encoded size of the seal body: u32 bits, u64 nonce. */
    public static final int BODY_LENGTH = 12;

    @Override
    public int kind() {
        return KIND;
    }
}
