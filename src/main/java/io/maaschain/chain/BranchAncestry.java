package io.maaschain.chain;

import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import java.util.HashMap;
import java.util.Map;

/**
 * Headers of the branch ending at a given tip. Walks parent links until it meets the canonical chain,
 * from where heights are read straight from the canonical index.
 */
final class BranchAncestry implements HeaderAncestry {
    private final ChainIndex index;
    private final Map<Long, Header> offCanonical = new HashMap<>();
    private final long junctionHeight;

    BranchAncestry(ChainIndex index, Hash tip, long tipHeight) {
        this.index = index;
        Hash cursor = tip;
        long height = tipHeight;
        while (height >= 0 && !cursor.equals(index.canonicalHash(height))) {
            Header h = index.header(cursor);
            if (h == null) throw new IllegalStateException("missing ancestor " + cursor + " at height " + height);
            offCanonical.put(height, h);
            cursor = h.parentHash();
            height--;
        }
        this.junctionHeight = height;
    }

    @Override
    public Header headerAt(long height) {
        Header h = offCanonical.get(height);
        if (h != null) return h;
        if (height > junctionHeight || height < 0) throw new IllegalArgumentException("height " + height + " is not on this branch");
        return index.header(index.canonicalHash(height));
    }
}
