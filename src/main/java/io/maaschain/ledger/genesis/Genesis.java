package io.maaschain.ledger.genesis;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.crypto.Address;
import io.maaschain.ledger.ChainParams;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed genesis file. The {@code consensus} section is kept as JSON because each engine reads its
 * own parameters from it; {@code canonicalJson} is the exact text the chain was started from.
 */
public record Genesis(
        ChainParams params,
        long timestampMillis,
        String consensusKind,
        JsonNode consensus,
        Map<Address, Long> alloc,
        Optional<GenesisPermissions> permissions,
        String canonicalJson) {
    public Genesis {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(consensusKind, "consensusKind");
        Objects.requireNonNull(consensus, "consensus");
        alloc = Map.copyOf(alloc);
        Objects.requireNonNull(permissions, "permissions");
    }
}
