package io.maaschain.ledger.tx;

import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.Signature;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A caller's signed, cumulative payment authorisation on its channel with one host (docs/receipts.md, "Payment
 * channels"): "the host may take up to {@code authorised} coins in all from this channel". The caller signs
 * <pre>
 *   "maaschain/payment/v1" 0x00 || channel id (32) || authorised (u64) || request digest (32)
 * </pre>
 * where the channel id is {@link #channelId} and the request digest is SHA-256 of the signed-request message of the
 * call it paid for. That one signature both authenticates the call and authorises its payment, so a paid call costs
 * the gateway one Ed25519 verification, and the chain can verify it again at settlement.
 */
public record PaymentAuthorisation(PublicKey payer, long authorised, Hash requestDigest, Signature signature) {
    public static final byte[] DOMAIN = "maaschain/payment/v1\0".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] CHANNEL_DOMAIN = "maaschain/channel/v1\0".getBytes(StandardCharsets.US_ASCII);
    /** Encoded size: key, amount, digest, signature. */
    public static final int ENCODED_BYTES = PublicKey.LENGTH + 8 + Hash.LENGTH + Signature.LENGTH;

    public PaymentAuthorisation {
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(requestDigest, "requestDigest");
        Objects.requireNonNull(signature, "signature");
        if (authorised <= 0) throw new IllegalArgumentException("an authorisation covers a positive amount");
    }

    /** The id of the channel {@code caller} holds with {@code host} on chain {@code chainId}. */
    public static Hash channelId(long chainId, Address caller, Address host) {
        return Sha256.hash(new ByteWriter(CHANNEL_DOMAIN.length + 48).raw(CHANNEL_DOMAIN).u64(chainId)
                .raw(caller.toBytes()).raw(host.toBytes()).toByteArray());
    }

    /** The exact bytes the payer signs. */
    public static byte[] signedMessage(Hash channelId, long authorised, Hash requestDigest) {
        return new ByteWriter(DOMAIN.length + 72).raw(DOMAIN).raw(channelId.toBytes()).u64(authorised).raw(requestDigest.toBytes()).toByteArray();
    }

    public static PaymentAuthorisation sign(KeyPair payer, Hash channelId, long authorised, Hash requestDigest) {
        return new PaymentAuthorisation(payer.publicKey(), authorised, requestDigest,
                payer.sign(signedMessage(channelId, authorised, requestDigest)));
    }

    public Address caller() {
        return payer.address();
    }

    /** Whether the payer signed this authorisation for the channel {@code channelId}. */
    public boolean verifies(Hash channelId) {
        return payer.verify(signedMessage(channelId, authorised, requestDigest), signature);
    }

    public void write(ByteWriter w) {
        w.raw(payer.toBytes()).u64(authorised).raw(requestDigest.toBytes()).raw(signature.toBytes());
    }

    public static PaymentAuthorisation read(io.maaschain.codec.ByteReader r) {
        return new PaymentAuthorisation(PublicKey.wrap(r.raw(PublicKey.LENGTH, "payer key")), r.u63("authorised amount"),
                Hash.wrap(r.raw(Hash.LENGTH, "request digest")), Signature.wrap(r.raw(Signature.LENGTH, "payment signature")));
    }
}
