package io.maaschain.state;

import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.Bytes;
import io.maaschain.crypto.Address;

/**
 * Keys of the world state (docs/spec.md, "State"). The first byte names the record type; the state tree
 * is keyed by SHA-256 of the whole key.
 */
public final class StateKeys {
    public static final int ACCOUNT = 0x01;
    public static final int MODEL_VERSION = 0x02;
    public static final int MODEL_NAME = 0x03;

    private StateKeys() {}

    public static Bytes account(Address address) {
        return Bytes.adopt(new ByteWriter(21).u8(ACCOUNT).raw(address.toBytes()).toByteArray());
    }

    public static Bytes modelVersion(String name, String version) {
        return Bytes.adopt(new ByteWriter(64).u8(MODEL_VERSION).string(name).string(version).toByteArray());
    }

    public static Bytes modelName(String name) {
        return Bytes.adopt(new ByteWriter(48).u8(MODEL_NAME).string(name).toByteArray());
    }
}
