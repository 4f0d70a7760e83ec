package io.maaschain.api;

import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.PowSeal;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.SetValidator;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.VoteProducers;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.ledger.merkle.InclusionProof;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.NewVersion;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UpdatePermissions;
import io.maaschain.state.ModelVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON representations of ledger objects (docs/api.md). Hashes, keys and encodings are lower-case hex. */
public final class Views {
    private Views() {}

    public static Map<String, Object> header(Header h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", h.hash().toHex());
        m.put("height", h.height());
        m.put("parentHash", h.parentHash().toHex());
        m.put("timestamp", h.timestampMillis());
        m.put("txRoot", h.txRoot().toHex());
        m.put("stateRoot", h.stateRoot().toHex());
        m.put("proposer", h.proposer().toString());
        m.put("txCount", h.txCount());
        m.put("seal", switch (h.seal()) {
            case PowSeal p -> Map.of("kind", "pow", "bits", String.format("0x%08x", p.bits()), "nonce", Long.toUnsignedString(p.nonce()));
            case ValidatorSeal v -> Map.of("kind", "validator", "slot", v.slot(), "proposerKey", v.proposerKey().toHex(),
                    "reveal", v.reveal().toHex(), "votes", v.votes().stream().map(vote -> Hex.encode(VoteCodec.encode(vote))).toList(),
                    "signature", v.signature().toHex());
        });
        m.put("encoded", Hex.encode(HeaderCodec.encode(h)));
        return m;
    }

    public static Map<String, Object> block(Block b, boolean fullTransactions) {
        Map<String, Object> m = header(b.header());
        m.put("transactions", fullTransactions
                ? b.transactions().stream().map(Views::transaction).toList()
                : b.transactions().stream().map(tx -> tx.hash().toHex()).toList());
        return m;
    }

    public static Map<String, Object> transaction(Transaction tx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", tx.hash().toHex());
        m.put("chainId", tx.chainId());
        m.put("sender", tx.sender().toString());
        m.put("senderKey", tx.senderKey().toHex());
        m.put("nonce", tx.nonce());
        m.put("fee", tx.fee());
        switch (tx.payload()) {
            case Transfer t -> {
                m.put("kind", "transfer");
                m.put("to", t.to().toString());
                m.put("amount", t.amount());
            }
            case RegisterModel r -> {
                m.put("kind", "register_model");
                m.put("model", registration(r));
            }
            case UpdatePermissions u -> {
                m.put("kind", "update_permissions");
                m.putAll(Json.MAPPER.convertValue(u, Map.class));
            }
            case NewVersion v -> {
                m.put("kind", "new_version");
                m.put("model", registration(v.spec()));
            }
            case Stake st -> {
                m.put("kind", "stake");
                m.put("amount", st.amount());
                m.put("revealCommitment", st.revealCommitment().toHex());
            }
            case Evidence e -> {
                m.put("kind", "evidence");
                m.put("first", Hex.encode(e.first()));
                m.put("second", Hex.encode(e.second()));
            }
            case VoteProducers v -> {
                m.put("kind", "vote_producers");
                m.put("producers", v.producers().stream().map(Object::toString).toList());
            }
            case SetValidator v -> {
                m.put("kind", "set_validator");
                m.put("validator", v.validator().toHex());
                m.put("power", v.power());
            }
            case io.maaschain.ledger.tx.DeployCode d -> {
                m.put("kind", "deploy_code");
                m.put("codeHash", io.maaschain.crypto.Sha256.hash(d.code()).toHex());
                m.put("codeSize", d.code().length);
                m.put("gasLimit", d.gasLimit());
            }
            case io.maaschain.ledger.tx.Instantiate in -> {
                m.put("kind", "instantiate");
                m.put("codeHash", in.codeHash().toHex());
                m.put("initArgs", Hex.encode(in.initArgs()));
                m.put("value", in.value());
                m.put("gasLimit", in.gasLimit());
            }
            case io.maaschain.ledger.tx.CallContract c -> {
                m.put("kind", "call_contract");
                m.put("contract", c.contract().toString());
                m.put("function", c.function());
                m.put("args", Hex.encode(c.args()));
                m.put("value", c.value());
                m.put("gasLimit", c.gasLimit());
            }
            case io.maaschain.ledger.tx.SetModelPolicy p -> {
                m.put("kind", "set_model_policy");
                m.put("name", p.name());
                m.put("policy", p.policy().map(Object::toString).orElse(null));
            }
            default -> {
                m.put("kind", kindName(tx.payload()));
                m.putAll(Json.MAPPER.convertValue(tx.payload(), Map.class));
            }
        }
        m.put("signature", tx.signature().toHex());
        m.put("encoded", Hex.encode(tx.encoded()));
        return m;
    }

    /** snake_case of the payload record's name: {@code GrantAccess} becomes {@code grant_access}. */
    static String kindName(Payload p) {
        return p.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    }

    public static Map<String, Object> registration(RegisterModel r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("version", r.version());
        m.put("artifactDigest", r.artifactDigest().toHex());
        m.put("artifactSize", r.artifactSize());
        m.put("format", r.format());
        m.put("license", r.license());
        m.put("pricePerCall", r.pricePerCall());
        m.put("parentModels", hexes(r.parentModels()));
        m.put("datasets", hexes(r.datasets()));
        return m;
    }

    public static Map<String, Object> modelVersion(ModelVersion v) {
        Map<String, Object> m = registration(v.registration());
        m.put("owner", v.owner().toString());
        m.put("registeredAtHeight", v.registeredAtHeight());
        return m;
    }

    public static Map<String, Object> inclusionProof(InclusionProof p, Hash root) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leafIndex", p.index());
        m.put("treeSize", p.treeSize());
        m.put("path", hexes(p.path()));
        m.put("root", root.toHex());
        return m;
    }

    static List<String> hexes(List<Hash> hashes) {
        return hashes.stream().map(Hash::toHex).toList();
    }
}
