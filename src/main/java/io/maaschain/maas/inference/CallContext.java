package io.maaschain.maas.inference;

import io.maaschain.crypto.Hash;
import java.time.Instant;
import java.util.Map;

/**
 * What an access check sees before a call runs: the model version (with its on-chain reference), who claims to call,
 * the request (parsed, with its hash over the body bytes as received) and the HTTP headers (lower-case names), where
 * signatures, grants or payment proofs can travel. {@code requestedVersion} is the version the request's path named,
 * null for the default-version path: a signed request covers the path it was sent to, and only that one is checked.
 */
public record CallContext(ModelRef model, String requestedVersion, String claimedCaller, Hash requestHash, InferenceRequest request,
                          Map<String, String> headers, Instant receivedAt) {
    public CallContext {
        headers = Map.copyOf(headers);
    }
}
