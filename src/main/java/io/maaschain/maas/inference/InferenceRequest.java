package io.maaschain.maas.inference;

import java.util.List;
import java.util.Map;

/**
 * An inference request. {@code id} may be null; {@code parameters} are passed through untouched (values are JSON
 * scalars: String, Boolean, Long/Integer/BigInteger, Double); {@code outputs} empty means all outputs.
 *
 * <p>How outputs are to be answered (binary tensor data extension): {@code binaryData} holds each requested output's
 * {@code parameters.binary_data}, and {@code binaryDataOutput} the request's {@code parameters.binary_data_output},
 * which applies to every output without its own flag. They are how this node answers, not part of what the backend
 * sees.
 */
public record InferenceRequest(String id, Map<String, Object> parameters, List<Tensor> inputs, List<String> outputs,
                               Map<String, Boolean> binaryData, boolean binaryDataOutput) {
    public InferenceRequest {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        inputs = List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        binaryData = binaryData == null ? Map.of() : Map.copyOf(binaryData);
    }

    /** A request whose outputs are all answered as JSON. */
    public InferenceRequest(String id, Map<String, Object> parameters, List<Tensor> inputs, List<String> outputs) {
        this(id, parameters, inputs, outputs, Map.of(), false);
    }

    public InferenceRequest(List<Tensor> inputs) {
        this(null, Map.of(), inputs, List.of());
    }

    /** Whether output {@code name} is to be answered as binary tensor data rather than JSON. */
    public boolean binaryOutput(String name) {
        Boolean b = binaryData.get(name);
        return b != null ? b : binaryDataOutput;
    }
}
