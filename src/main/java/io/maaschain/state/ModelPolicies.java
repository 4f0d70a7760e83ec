package io.maaschain.state;

import io.maaschain.codec.ByteWriter;
import io.maaschain.contracts.CallOutcome;
import io.maaschain.crypto.Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A model's policy contract (docs/contracts.md, "Model policies"): set by the model's owner with SetModelPolicy, it
 * answers {@code authorize} for every call. The gateway asks it before serving a call (against the head state) and the
 * settlement rule asks it again for every charge (against the state the batch applies to), so both sides of a call
 * read the same function. The answer is a read-only, gas-capped query: it changes nothing, and a policy that traps or
 * runs out of gas denies.
 *
 * <p>Call: function {@code authorize}, the query's caller is the calling account, input
 * {@code caller[20] || string(name) || string(version)}. Answer: byte 0 is 1 to allow, followed optionally by the
 * per-call price for the model's part as u64 little-endian (without it, the registered price); anything else denies,
 * bytes 1.. being the reason in UTF-8.
 */
public final class ModelPolicies {
    /** Gas one {@code authorize} answer may use, at the gateway and at settlement alike. */
    public static final long AUTHORIZE_GAS = 1_000_000;
    public static final String FUNCTION = "authorize";
    /** Longest reason a denial carries to the caller; longer ones are cut. */
    static final int MAX_REASON_CHARS = 200;

    private ModelPolicies() {}

    /** What a policy answered for one caller and model version. */
    public sealed interface Decision {
        /** Served at {@code modelPrice} per call for the model's part (the host's price comes on top). */
        record Allow(long modelPrice) implements Decision {}

        record Deny(String reason) implements Decision {}
    }

    /** The policy contract of model {@code name}, if its owner set one. */
    public static Optional<Address> policyOf(StateReader state, String name) {
        byte[] b = state.get(ContractRecords.policyKey(name));
        return b == null ? Optional.empty() : Optional.of(Address.wrap(b));
    }

    public static byte[] input(Address caller, String name, String version) {
        return new ByteWriter(Address.LENGTH + 8 + name.length() * 4 + version.length() * 4)
                .raw(caller.toBytes()).string(name).string(version).toByteArray();
    }

    /** Asks {@code policy} whether {@code caller} may call {@code name}/{@code version}, whose registered price is given. */
    public static Decision authorize(StateReader state, Address policy, Address caller, String name, String version,
                                     long registeredPrice, BlockContext block) {
        ContractQueries.Answer a = ContractQueries.query(state, caller, policy, FUNCTION, input(caller, name, version), AUTHORIZE_GAS, block);
        return decode(a.outcome(), registeredPrice);
    }

    static Decision decode(CallOutcome out, long registeredPrice) {
        if (!out.ok()) {
            return new Decision.Deny("the policy contract failed: " + out.status() + (out.message().isEmpty() ? "" : " (" + cut(out.message()) + ")"));
        }
        byte[] r = out.returnData();
        if (r.length == 0) return new Decision.Deny("the policy contract answered nothing");
        if (r[0] != 1) return new Decision.Deny(r.length == 1 ? "denied by the model's policy contract" : reason(r));
        if (r.length == 1) return new Decision.Allow(registeredPrice);
        if (r.length != 9) return new Decision.Deny("the policy contract's answer is malformed: allow takes 1 or 9 bytes, got " + r.length);
        long price = ByteBuffer.wrap(r, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (price < 0) return new Decision.Deny("the policy contract asked a price above 2^63-1");
        return new Decision.Allow(price);
    }

    private static String reason(byte[] r) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(r, 1, r.length - 1)).toString();
            return cut(s);
        } catch (CharacterCodingException e) {
            return "denied by the model's policy contract (its reason is not UTF-8)";
        }
    }

    private static String cut(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "...";
    }
}
