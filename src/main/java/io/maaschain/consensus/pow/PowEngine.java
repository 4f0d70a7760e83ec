package io.maaschain.consensus.pow;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.PowSeal;
import io.maaschain.ledger.block.Seal;
import io.maaschain.ledger.genesis.GenesisParser;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Set;

/** Proof of work behind the engine port: SHA-256d seals, Bitcoin-style retargeting, most cumulative work wins. */
public final class PowEngine implements ConsensusEngine {
    public static final String KIND = "pow";
    private static final Set<String> FIELDS = Set.of("kind", "powLimitBits", "initialBits", "targetBlockTimeMillis",
            "retargetInterval", "noRetargeting", "blockReward");

    private final PowParameters params;
    private final PowSealVerifier verifier;

    public PowEngine(PowParameters params) {
        this.params = params;
        this.verifier = new PowSealVerifier(params);
    }

    /** Reads the genesis {@code consensus} section; unknown fields are errors. */
    public static PowEngine fromGenesis(JsonNode section) {
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new CodecException("genesis consensus: unknown pow field '" + f + "'");
        }
        try {
            return new PowEngine(new PowParameters(
                    bits(section, "powLimitBits"),
                    bits(section, "initialBits"),
                    GenesisParser.requiredLong(section, "targetBlockTimeMillis"),
                    GenesisParser.requiredInt(section, "retargetInterval"),
                    strictBoolean(section, "noRetargeting"),
                    GenesisParser.requiredLong(section, "blockReward")));
        } catch (IllegalArgumentException e) {
            throw new CodecException("genesis consensus: " + e.getMessage());
        }
    }

    private static boolean strictBoolean(JsonNode section, String field) {
        JsonNode n = section.get(field);
        if (n == null) return false;
        if (!n.isBoolean()) throw new CodecException("genesis consensus: '" + field + "' must be true or false");
        return n.booleanValue();
    }

    private static int bits(JsonNode section, String field) {
        JsonNode n = section.get(field);
        if (n == null || !n.isTextual() || !n.asText().matches("0x[0-9a-fA-F]{8}")) {
            throw new CodecException("genesis consensus: '" + field + "' must be compact bits as \"0x\" and 8 hex digits");
        }
        return (int) Long.parseLong(n.asText().substring(2), 16);
    }

    public PowParameters params() {
        return params;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Seal genesisSeal() {
        return new PowSeal(params.initialBits(), 0);
    }

    @Override
    public Seal templateSeal(HeaderAncestry ancestry, long height) {
        return new PowSeal(Retarget.requiredBits(params, height, ancestry), 0);
    }

    @Override
    public void validateSeal(Header header, HeaderAncestry ancestry) throws Rejection {
        int required = Retarget.requiredBits(params, header.height(), ancestry);
        if (verifier.check(header, required) instanceof SealCheck.Invalid invalid) {
            throw new Rejection(RejectCode.INVALID_SEAL, invalid.message());
        }
    }

    @Override
    public BigInteger weight(Header header) {
        return header.seal() instanceof PowSeal p ? CompactTarget.work(p.bits()) : BigInteger.ZERO;
    }

    @Override
    public long blockReward(long height) {
        return params.blockReward();
    }
}
