package io.maaschain.consensus;

import io.maaschain.crypto.Hash;
import java.util.Objects;

/** A block named by its height and hash, e.g. a finalized block or a checkpoint's boundary block. */
public record BlockRef(long height, Hash hash) {
    public BlockRef {
        Objects.requireNonNull(hash, "hash");
        if (height < 0) throw new IllegalArgumentException("negative height");
    }
}
