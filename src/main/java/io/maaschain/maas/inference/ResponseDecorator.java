package io.maaschain.maas.inference;

import java.util.List;
import java.util.Map;

/**
 * Adds fields to a successful response's {@code parameters}: where a receipt's id, signature and fee travel. It sees
 * the call record (with the request and response hashes a receipt binds) before the response is written.
 */
public interface ResponseDecorator {
    ResponseDecorator NONE = record -> Map.of();

    /** Parameters to add to the response; names should start with "maaschain." to keep clear of the model's own. */
    Map<String, Object> decorate(CallRecord record);

    /** Protocol extensions this decorator provides, listed by {@code GET /v2} (e.g. "maaschain-receipts"). */
    default List<String> extensions() {
        return List.of();
    }
}
