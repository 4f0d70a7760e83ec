package io.maaschain.maas.inference;

/**
 * Decides, before a call runs, whether it may run, and who the caller is. Throw an {@link InferenceException} with
 * status 401 (unauthenticated), 402 (unpaid), 403 (no grant) or 429 (over a rate) to refuse; the call is then recorded
 * as refused and never reaches the backend.
 */
@FunctionalInterface
public interface CallAuthorizer {
    /** Lets every call through, under the identity it claims. */
    CallAuthorizer ALLOW_ALL = CallContext::claimedCaller;

    /** @return the caller identity to record and put in receipts */
    String authorize(CallContext call);
}
