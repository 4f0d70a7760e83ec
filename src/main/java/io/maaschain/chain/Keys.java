package io.maaschain.chain;

import io.maaschain.codec.ByteWriter;
import java.nio.charset.StandardCharsets;

/** Keys of the META column and the encodings of heights used as keys. */
final class Keys {
    static final byte[] FORMAT_VERSION = ascii("format_version");
    static final byte[] GENESIS_HASH = ascii("genesis_hash");
    static final byte[] HEAD = ascii("head");
    static final byte[] FINALIZED = ascii("finalized");
    /** The {@link CommitCertificate} of the newest block this node's consensus decided. */
    static final byte[] LAST_COMMIT = ascii("last_commit");
    /** The consensus protocol's own record ({@link StoredProtocolState}). */
    static final byte[] PROTOCOL_STATE = ascii("protocol_state");

    private Keys() {}

    static byte[] height(long h) {
        return new ByteWriter(8).u64(h).toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
