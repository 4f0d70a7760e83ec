package io.maaschain.maas.inference;

import java.util.List;
import java.util.Map;

/** An inference response; {@code parameters} keeps insertion order, {@code id} echoes the request's. */
public record InferenceResponse(String modelName, String modelVersion, String id, Map<String, Object> parameters, List<Tensor> outputs) {
    public InferenceResponse {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        outputs = List.copyOf(outputs);
    }

    public Tensor output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no output " + name));
    }
}
