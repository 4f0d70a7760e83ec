package io.maaschain.ledger.tx;

import java.util.Objects;

/** Delegated proof of stake: the sender becomes a block-producer candidate; {@code url} says who runs it. */
public record RegisterProducer(String url) implements Payload {
    public static final int KIND = 16;
    public static final int MAX_URL_BYTES = 256;

    public RegisterProducer {
        Objects.requireNonNull(url, "url");
        if (url.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_URL_BYTES) throw new IllegalArgumentException("producer url longer than " + MAX_URL_BYTES);
    }

    @Override
    public int kind() {
        return KIND;
    }
}
