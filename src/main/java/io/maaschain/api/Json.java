package io.maaschain.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;

/** The one JSON configuration the API uses. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .registerModule(new SimpleModule("maaschain")
                    // Hashes, keys and addresses appear in JSON in their text form (hex, or mc... for addresses).
                    .addSerializer(Hash.class, ToStringSerializer.instance)
                    .addSerializer(Address.class, ToStringSerializer.instance)
                    .addSerializer(PublicKey.class, ToStringSerializer.instance)
                    .addSerializer(Signature.class, ToStringSerializer.instance));

    private Json() {}
}
