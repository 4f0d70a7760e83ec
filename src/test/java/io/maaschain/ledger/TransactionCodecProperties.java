package io.maaschain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TransactionCodecProperties {

    @Provide
    Arbitrary<Transaction> transactions() {
        Arbitrary<KeyPair> keys = Arbitraries.bytes().array(byte[].class).ofSize(32).map(KeyPair::fromSeed);
        Arbitrary<Hash> hashes = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hash::wrap);
        Arbitrary<Payload> transfers = Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(20).map(Address::wrap),
                Arbitraries.longs().between(1, Long.MAX_VALUE)).as(Transfer::new);
        Arbitrary<Payload> models = Combinators.combine(
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-._").ofMinLength(0).ofMaxLength(40).map(s -> "m" + s),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(8),
                hashes, Arbitraries.longs().between(1, Long.MAX_VALUE),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                hashes.list().ofMaxSize(16), hashes.list().ofMaxSize(16))
                .as((name, version, digest, size, license, price, parents, datasets) -> {
                    String lic = license.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 128 ? "mit" : license;
                    return new RegisterModel(name, version, digest, size, "onnx", lic, price, parents, datasets);
                });
        Arbitrary<Address> addresses = Arbitraries.bytes().array(byte[].class).ofSize(20).map(Address::wrap);
        Arbitrary<io.maaschain.crypto.PublicKey> nodeKeys = keys.map(KeyPair::publicKey);
        Arbitrary<Payload> permissions = Combinators.combine(
                addresses.list().uniqueElements().ofMinSize(1).ofMaxSize(4), addresses.list().uniqueElements().ofMaxSize(3),
                nodeKeys.list().uniqueElements().ofMaxSize(3), nodeKeys.list().uniqueElements().ofMaxSize(2),
                addresses.list().uniqueElements().ofMaxSize(2), addresses.list().uniqueElements().ofMaxSize(2))
                .as(io.maaschain.ledger.tx.UpdatePermissions::new);
        Arbitrary<Payload> consensus = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), hashes).as(io.maaschain.ledger.tx.Stake::new),
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(io.maaschain.ledger.tx.Unstake::new),
                Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(256), Arbitraries.bytes().array(byte[].class).ofMaxSize(256))
                        .as(io.maaschain.ledger.tx.Evidence::new),
                Arbitraries.strings().ofMaxLength(60).map(io.maaschain.ledger.tx.RegisterProducer::new),
                addresses.list().uniqueElements().ofMaxSize(30).map(io.maaschain.ledger.tx.VoteProducers::new),
                Combinators.combine(nodeKeys, Arbitraries.longs().between(0, Long.MAX_VALUE)).as(io.maaschain.ledger.tx.SetValidator::new));
        Arbitrary<Long> gas = Arbitraries.longs().between(1, io.maaschain.ledger.tx.ContractCalls.MAX_GAS_LIMIT);
        Arbitrary<byte[]> args = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<Payload> contracts = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2000), gas).as(io.maaschain.ledger.tx.DeployCode::new),
                Combinators.combine(hashes, args, Arbitraries.longs().between(0, Long.MAX_VALUE), gas).as(io.maaschain.ledger.tx.Instantiate::new),
                Combinators.combine(addresses, Arbitraries.strings().withChars("abcxyz_019").ofMinLength(1).ofMaxLength(64), args,
                        Arbitraries.longs().between(0, Long.MAX_VALUE), gas).as(io.maaschain.ledger.tx.CallContract::new),
                Combinators.combine(Arbitraries.strings().withChars("abc-09").ofMaxLength(20).map(s -> "m" + s), addresses.optional())
                        .as(io.maaschain.ledger.tx.SetModelPolicy::new));
        return Combinators.combine(keys, Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.oneOf(transfers, models, permissions, consensus, contracts))
                .as((key, chain, nonce, fee, payload) -> new UnsignedTransaction(chain, key.publicKey(), nonce, fee, payload).sign(key));
    }

    @Property(tries = 300)
    void decodeOfEncodeIsIdentity(@ForAll("transactions") Transaction tx) {
        Transaction back = TransactionCodec.decode(tx.encoded());
        assertThat(back.body()).isEqualTo(tx.body());
        assertThat(back.signature()).isEqualTo(tx.signature());
        assertThat(back.hash()).isEqualTo(tx.hash());
        assertThat(back.hasValidSignature()).isTrue();
    }

    @Property(tries = 300)
    void anyFlippedBitBreaksDecodingOrSignature(@ForAll("transactions") Transaction tx, @ForAll @IntRange(min = 0, max = 1 << 20) int position) {
        byte[] bytes = tx.encoded();
        int bit = position % (bytes.length * 8);
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        try {
            Transaction tampered = TransactionCodec.decode(bytes);
            assertThat(tampered.hasValidSignature()).as("tampered transaction must not verify").isFalse();
        } catch (CodecException expected) {
            // rejected as malformed: also correct
        }
    }

    @Property(tries = 200)
    void truncatedOrExtendedEncodingsAreRejected(@ForAll("transactions") Transaction tx, @ForAll @IntRange(min = 1, max = 64) int cut) {
        byte[] bytes = tx.encoded();
        byte[] shorter = Arrays.copyOf(bytes, Math.max(0, bytes.length - cut));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + cut);
        assertThatThrownBy(() -> TransactionCodec.decode(shorter)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> TransactionCodec.decode(longer)).isInstanceOf(CodecException.class);
    }

    @Property(tries = 500)
    void randomBytesNeverThrowAnythingButCodecException(@ForAll byte[] junk) {
        try {
            TransactionCodec.decode(junk);
        } catch (CodecException expected) {
            // the only permitted failure
        }
    }

    @Property(tries = 50)
    void oversizedInputIsRefusedBeforeDecoding(@ForAll @IntRange(min = 4097, max = 100_000) int size) {
        assertThatThrownBy(() -> TransactionCodec.decode(new byte[size])).isInstanceOf(CodecException.class).hasMessageContaining("limit");
    }

    @net.jqwik.api.Example
    void lineageListsAreBounded() {
        List<Hash> seventeen = java.util.Collections.nCopies(17, Hash.ZERO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                new RegisterModel("m", "1", Hash.ZERO, 1, "onnx", "", 0, seventeen, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
