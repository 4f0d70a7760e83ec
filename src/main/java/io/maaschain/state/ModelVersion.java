package io.maaschain.state;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import io.maaschain.ledger.tx.PayloadCodec;
import io.maaschain.ledger.tx.RegisterModel;

/** One registered version of a model, as the registry holds it in the world state. */
public record ModelVersion(Address owner, RegisterModel registration, long registeredAtHeight) {

    public byte[] encode() {
        ByteWriter w = new ByteWriter(256).raw(owner.toBytes());
        PayloadCodec.writeRegistration(w, registration);
        return w.u64(registeredAtHeight).toByteArray();
    }

    public static ModelVersion decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        Address owner = Address.wrap(r.raw(Address.LENGTH, "owner"));
        RegisterModel m = PayloadCodec.readRegistration(r);
        long height = r.u63("registered at");
        r.expectEnd();
        return new ModelVersion(owner, m, height);
    }
}
