package io.maaschain.maas.inference;

import java.util.List;
import java.util.Map;

/**
 * An inference request. {@code id} may be null; {@code parameters} are passed through untouched (values are JSON
 * scalars: String, Boolean, Long/Integer/BigInteger, Double); {@code outputs} empty means all outputs.
 */
public record InferenceRequest(String id, Map<String, Object> parameters, List<Tensor> inputs, List<String> outputs) {
    public InferenceRequest {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        inputs = List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public InferenceRequest(List<Tensor> inputs) {
        this(null, Map.of(), inputs, List.of());
    }
}
