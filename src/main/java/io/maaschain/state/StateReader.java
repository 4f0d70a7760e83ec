package io.maaschain.state;

import io.maaschain.codec.Bytes;

/** Read access to a world state; the node implements it over storage, tests over a map. */
@FunctionalInterface
public interface StateReader {
    /** The value stored under {@code key}, or null when there is none. */
    byte[] get(Bytes key);
}
