package io.maaschain.maas.inference;

import io.maaschain.crypto.Hash;
import java.time.Instant;

/**
 * What one inference call did, success or failure: the seam for metering, receipts and audit.
 *
 * @param modelName     the model asked for
 * @param modelVersion  the version served (null if the model was not found)
 * @param artifactDigest the on-chain artifact digest of the version served (null if not found)
 * @param caller        the caller's identity as the {@link CallAuthorizer} established it (or as claimed, before that)
 * @param requestId     the request's {@code id}, if it had one
 * @param requestHash   SHA-256 of the request body bytes as received (null if the body was refused unread)
 * @param responseHash  {@link TensorDigest} of the outputs (null on failure)
 * @param status        the HTTP status answered
 * @param error         the error message answered (null on success)
 * @param latencyNanos  from receiving the body to having the response
 * @param timestamp     when the call was received
 * @param backendNanos  time spent in the backend (ONNX Runtime or the remote server); -1 when the backend did not run
 */
public record CallRecord(
        String modelName,
        String modelVersion,
        Hash artifactDigest,
        String caller,
        String requestId,
        Hash requestHash,
        Hash responseHash,
        int status,
        String error,
        long latencyNanos,
        Instant timestamp,
        long backendNanos) {

    /** A record of a call whose backend time was not measured. */
    public CallRecord(String modelName, String modelVersion, Hash artifactDigest, String caller, String requestId, Hash requestHash,
                      Hash responseHash, int status, String error, long latencyNanos, Instant timestamp) {
        this(modelName, modelVersion, artifactDigest, caller, requestId, requestHash, responseHash, status, error, latencyNanos, timestamp, -1);
    }

    public boolean succeeded() {
        return status == 200;
    }
}
