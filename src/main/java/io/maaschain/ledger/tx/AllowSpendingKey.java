package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import java.util.Objects;

/**
 * The sender (an account) lets one API key spend its channel with {@code host}: calls made with the key whose SHA-256
 * is {@code keyHash} may be settled for at most {@code cap} coins in all, before block {@code expiryHeight}. Sent again,
 * it replaces cap and expiry and keeps what was spent; a cap at or below what was spent stops the key. Without this
 * allowance, signed by the account itself, the host cannot charge the account for the key's calls.
 */
public record AllowSpendingKey(Address host, Hash keyHash, long cap, long expiryHeight) implements Payload {
    public static final int KIND = 19;

    public AllowSpendingKey {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(keyHash, "keyHash");
        if (cap < 0 || expiryHeight < 0) throw new IllegalArgumentException("cap and expiry height are unsigned 63-bit values");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
