package io.maaschain.chain;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The state values a block overwrote (absent = the key did not exist), enough to roll the block back. */
final class UndoRecord {
    private UndoRecord() {}

    static byte[] encode(Map<Bytes, byte[]> previous) {
        ByteWriter w = new ByteWriter(64 * previous.size() + 8).u32(previous.size());
        // Sorted so the same block always yields the same bytes.
        new TreeMap<>(previous).forEach((k, v) -> {
            w.bytes(k.unsafeArray()).bool(v != null);
            if (v != null) w.bytes(v);
        });
        return w.toByteArray();
    }

    static Map<Bytes, byte[]> decode(byte[] bytes) {
        if (bytes == null) throw new io.maaschain.storage.StorageException("undo record missing: the database is corrupted");
        return Blockchain.decodeStored("undo record", () -> {
            ByteReader r = new ByteReader(bytes);
            long n = r.u32("entries");
            Map<Bytes, byte[]> out = new HashMap<>();
            for (long i = 0; i < n; i++) {
                Bytes k = Bytes.adopt(r.bytes(1024, "key"));
                out.put(k, r.bool("present") ? r.bytes(1 << 20, "value") : null);
            }
            r.expectEnd();
            return out;
        });
    }
}
