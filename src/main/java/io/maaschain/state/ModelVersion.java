package io.maaschain.state;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.tx.RegisterModel;
import java.util.ArrayList;
import java.util.List;

/** One registered version of a model, as the registry holds it in the world state. */
public record ModelVersion(Address owner, RegisterModel registration, long registeredAtHeight) {

    public byte[] encode() {
        RegisterModel m = registration;
        ByteWriter w = new ByteWriter(256)
                .raw(owner.toBytes())
                .string(m.name()).string(m.version()).raw(m.artifactDigest().toBytes()).u64(m.artifactSize())
                .string(m.format()).string(m.license()).u64(m.pricePerCall());
        w.u16(m.parentModels().size());
        m.parentModels().forEach(h -> w.raw(h.toBytes()));
        w.u16(m.datasets().size());
        m.datasets().forEach(h -> w.raw(h.toBytes()));
        return w.u64(registeredAtHeight).toByteArray();
    }

    public static ModelVersion decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        Address owner = Address.wrap(r.raw(Address.LENGTH, "owner"));
        RegisterModel m = new RegisterModel(
                r.string(RegisterModel.MAX_NAME, "name"), r.string(RegisterModel.MAX_VERSION, "version"),
                Hash.wrap(r.raw(Hash.LENGTH, "digest")), r.u63("size"),
                r.string(RegisterModel.MAX_FORMAT, "format"), r.string(RegisterModel.MAX_LICENSE, "license"),
                r.u63("price"), hashes(r), hashes(r));
        long height = r.u63("registered at");
        r.expectEnd();
        return new ModelVersion(owner, m, height);
    }

    private static List<Hash> hashes(ByteReader r) {
        int n = r.u16("count");
        List<Hash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(Hash.wrap(r.raw(Hash.LENGTH, "lineage digest")));
        return out;
    }
}
