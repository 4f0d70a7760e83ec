package io.maaschain.state;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;

/** Who owns a model name, and its most recently registered version. */
public record ModelName(Address owner, String latestVersion, long versionCount) {
    public byte[] encode() {
        return new ByteWriter(64).raw(owner.toBytes()).string(latestVersion).u64(versionCount).toByteArray();
    }

    public static ModelName decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        ModelName n = new ModelName(Address.wrap(r.raw(Address.LENGTH, "owner")),
                r.string(io.maaschain.ledger.tx.RegisterModel.MAX_VERSION, "latest version"), r.u63("version count"));
        r.expectEnd();
        return n;
    }
}
