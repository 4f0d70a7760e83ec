package io.maaschain.state;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;

/** An account's balance and the nonce its next transaction must carry. */
public record Account(long balance, long nonce) {
    public static final Account EMPTY = new Account(0, 0);

    public Account {
        if (balance < 0 || nonce < 0) throw new IllegalArgumentException("balance and nonce are unsigned");
    }

    public byte[] encode() {
        return new ByteWriter(16).u64(balance).u64(nonce).toByteArray();
    }

    public static Account decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        Account a = new Account(r.u63("balance"), r.u63("nonce"));
        r.expectEnd();
        return a;
    }
}
