package io.maaschain.ledger.tx;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The canonical encoding of each payload kind (docs/spec.md, "Transaction", one table per kind). */
public final class PayloadCodec {
    private PayloadCodec() {}

    static void write(ByteWriter w, Payload payload) {
        switch (payload) {
            case Transfer t -> w.raw(t.to().toBytes()).u64(t.amount());
            case RegisterModel m -> writeRegistration(w, m);
            case UpdatePermissions u -> {
                list(w, u.addAccounts(), a -> a.toBytes());
                list(w, u.removeAccounts(), a -> a.toBytes());
                list(w, u.addNodes(), k -> k.toBytes());
                list(w, u.removeNodes(), k -> k.toBytes());
                list(w, u.addAdmins(), a -> a.toBytes());
                list(w, u.removeAdmins(), a -> a.toBytes());
            }
            case NewVersion v -> writeRegistration(w, v.spec());
            case Deprecate d -> w.string(d.name()).string(d.version());
            case SetVisibility s -> w.string(s.name()).bool(s.isPublic());
            case HostModel h -> w.string(h.name()).string(h.version()).u64(h.hostPrice());
            case GrantAccess g -> w.string(g.name()).raw(g.grantee().toBytes()).u64(g.quota()).u64(g.expiryHeight());
            case RevokeAccess r -> w.string(r.name()).raw(r.grantee().toBytes());
            case Deposit d -> w.raw(d.host().toBytes()).u64(d.amount());
            case Withdraw wd -> w.raw(wd.host().toBytes()).u64(wd.amount());
            case ReceiptBatch b -> {
                w.u64(b.firstSeq()).u64(b.lastSeq()).raw(b.receiptsRoot().toBytes()).u16(b.charges().size());
                for (ReceiptBatch.Charge c : b.charges()) {
                    w.raw(c.caller().toBytes()).string(c.name()).string(c.version()).u64(c.calls()).bool(c.spendingKey() != null);
                    if (c.spendingKey() != null) w.raw(c.spendingKey().toBytes());
                }
                w.u16(b.authorisations().size());
                for (PaymentAuthorisation a : b.authorisations()) a.write(w);
            }
            case AllowSpendingKey a -> w.raw(a.host().toBytes()).raw(a.keyHash().toBytes()).u64(a.cap()).u64(a.expiryHeight());
            case Stake st -> w.u64(st.amount()).raw(st.revealCommitment().toBytes());
            case Unstake u -> w.u64(u.amount());
            case Evidence e -> w.bytes(e.first()).bytes(e.second());
            case RegisterProducer rp -> w.string(rp.url());
            case VoteProducers v -> list(w, v.producers(), Address::toBytes);
            case SetValidator sv -> w.raw(sv.validator().toBytes()).u64(sv.power());
            case DeployCode d -> w.bytes(d.code()).u64(d.gasLimit());
            case Instantiate in -> w.raw(in.codeHash().toBytes()).bytes(in.initArgs()).u64(in.value()).u64(in.gasLimit());
            case CallContract c -> w.raw(c.contract().toBytes()).string(c.function()).bytes(c.args()).u64(c.value()).u64(c.gasLimit());
            case SetModelPolicy p -> {
                w.string(p.name()).bool(p.policy().isPresent());
                p.policy().ifPresent(a -> w.raw(a.toBytes()));
            }
        }
    }

    /** The nine RegisterModel fields; also the body of NewVersion and of a model version in the state. */
    public static void writeRegistration(ByteWriter w, RegisterModel m) {
        w.string(m.name()).string(m.version()).raw(m.artifactDigest().toBytes())
                .u64(m.artifactSize()).string(m.format()).string(m.license()).u64(m.pricePerCall());
        list(w, m.parentModels(), Hash::toBytes);
        list(w, m.datasets(), Hash::toBytes);
    }

    static Payload read(ByteReader r, int kind) {
        try {
            return switch (kind) {
                case Transfer.KIND -> new Transfer(address(r, "recipient"), r.u63("amount"));
                case RegisterModel.KIND -> readRegistration(r);
                case UpdatePermissions.KIND -> new UpdatePermissions(
                        list(r, UpdatePermissions.MAX_ENTRIES, "addAccounts", x -> address(x, "address")),
                        list(r, UpdatePermissions.MAX_ENTRIES, "removeAccounts", x -> address(x, "address")),
                        list(r, UpdatePermissions.MAX_ENTRIES, "addNodes", PayloadCodec::key),
                        list(r, UpdatePermissions.MAX_ENTRIES, "removeNodes", PayloadCodec::key),
                        list(r, UpdatePermissions.MAX_ENTRIES, "addAdmins", x -> address(x, "address")),
                        list(r, UpdatePermissions.MAX_ENTRIES, "removeAdmins", x -> address(x, "address")));
                case NewVersion.KIND -> new NewVersion(readRegistration(r));
                case Deprecate.KIND -> new Deprecate(name(r), version(r));
                case SetVisibility.KIND -> new SetVisibility(name(r), r.bool("public"));
                case HostModel.KIND -> new HostModel(name(r), version(r), r.u63("host price"));
                case GrantAccess.KIND -> new GrantAccess(name(r), address(r, "grantee"), r.u63("quota"), r.u63("expiry height"));
                case RevokeAccess.KIND -> new RevokeAccess(name(r), address(r, "grantee"));
                case Deposit.KIND -> new Deposit(address(r, "host"), r.u63("amount"));
                case Withdraw.KIND -> new Withdraw(address(r, "host"), r.u63("amount"));
                case ReceiptBatch.KIND -> new ReceiptBatch(r.u63("first seq"), r.u63("last seq"), Hash.wrap(r.raw(Hash.LENGTH, "receipts root")),
                        list(r, ReceiptBatch.MAX_CHARGES, "charges", x -> new ReceiptBatch.Charge(address(x, "caller"), name(x), version(x),
                                x.u63("calls"), x.bool("has spending key") ? Hash.wrap(x.raw(Hash.LENGTH, "spending key hash")) : null)),
                        list(r, ReceiptBatch.MAX_CHARGES, "authorisations", PaymentAuthorisation::read));
                case AllowSpendingKey.KIND -> new AllowSpendingKey(address(r, "host"), Hash.wrap(r.raw(Hash.LENGTH, "key hash")),
                        r.u63("cap"), r.u63("expiry height"));
                case Stake.KIND -> new Stake(r.u63("stake amount"), Hash.wrap(r.raw(Hash.LENGTH, "reveal commitment")));
                case Unstake.KIND -> new Unstake(r.u63("unstake amount"));
                case Evidence.KIND -> new Evidence(r.bytes(Evidence.MAX_ITEM_BYTES, "evidence item"), r.bytes(Evidence.MAX_ITEM_BYTES, "evidence item"));
                case RegisterProducer.KIND -> new RegisterProducer(r.string(RegisterProducer.MAX_URL_BYTES, "producer url"));
                case VoteProducers.KIND -> new VoteProducers(list(r, VoteProducers.MAX_PRODUCERS, "producers", x -> address(x, "producer")));
                case SetValidator.KIND -> new SetValidator(PublicKey.wrap(r.raw(PublicKey.LENGTH, "validator key")), r.u63("power"));
                case DeployCode.KIND -> new DeployCode(r.bytes(DeployCode.MAX_CODE_BYTES, "code"), r.u63("gas limit"));
                case Instantiate.KIND -> new Instantiate(Hash.wrap(r.raw(Hash.LENGTH, "code hash")),
                        r.bytes(ContractCalls.MAX_ARGS_BYTES, "init arguments"), r.u63("value"), r.u63("gas limit"));
                case CallContract.KIND -> new CallContract(address(r, "contract"), r.string(ContractCalls.MAX_FUNCTION_NAME, "function"),
                        r.bytes(ContractCalls.MAX_ARGS_BYTES, "arguments"), r.u63("value"), r.u63("gas limit"));
                case SetModelPolicy.KIND -> new SetModelPolicy(name(r),
                        r.bool("policy present") ? java.util.Optional.of(address(r, "policy contract")) : java.util.Optional.empty());
                default -> throw new CodecException("unknown payload kind " + kind);
            };
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid payload: " + e.getMessage());
        }
    }

    public static RegisterModel readRegistration(ByteReader r) {
        try {
            return registration(r);
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid model registration: " + e.getMessage());
        }
    }

    private static RegisterModel registration(ByteReader r) {
        return new RegisterModel(name(r), version(r), Hash.wrap(r.raw(Hash.LENGTH, "artifact digest")), r.u63("artifact size"),
                r.string(RegisterModel.MAX_FORMAT, "model format"), r.string(RegisterModel.MAX_LICENSE, "license"),
                r.u63("price per call"),
                list(r, RegisterModel.MAX_LINEAGE, "parent models", x -> Hash.wrap(x.raw(Hash.LENGTH, "parent model"))),
                list(r, RegisterModel.MAX_LINEAGE, "datasets", x -> Hash.wrap(x.raw(Hash.LENGTH, "dataset"))));
    }

    private static String name(ByteReader r) {
        return r.string(RegisterModel.MAX_NAME, "model name");
    }

    private static String version(ByteReader r) {
        return r.string(RegisterModel.MAX_VERSION, "model version");
    }

    private static Address address(ByteReader r, String what) {
        return Address.wrap(r.raw(Address.LENGTH, what));
    }

    private static PublicKey key(ByteReader r) {
        return PublicKey.wrap(r.raw(PublicKey.LENGTH, "node key"));
    }

    private static <T> void list(ByteWriter w, List<T> items, Function<T, byte[]> bytes) {
        w.u16(items.size());
        for (T item : items) w.raw(bytes.apply(item));
    }

    /** A u16 count, checked against {@code max} before anything is allocated, then the entries. */
    private static <T> List<T> list(ByteReader r, int max, String what, Function<ByteReader, T> entry) {
        int n = r.u16(what + " count");
        if (n > max) throw new CodecException(what + ": " + n + " entries, limit " + max);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(entry.apply(r));
        return out;
    }
}
