package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import java.util.List;

/**
 * Delegated proof of stake: replaces the sender's approval votes with {@code producers} (distinct, at most 30),
 * each weighted by the sender's whole stake. An empty list withdraws all votes.
 */
public record VoteProducers(List<Address> producers) implements Payload {
    public static final int KIND = 17;
    public static final int MAX_PRODUCERS = 30;

    public VoteProducers {
        producers = List.copyOf(producers);
        if (producers.size() > MAX_PRODUCERS) throw new IllegalArgumentException("more than " + MAX_PRODUCERS + " producers");
        if (producers.stream().distinct().count() != producers.size()) throw new IllegalArgumentException("duplicate producer in vote");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
