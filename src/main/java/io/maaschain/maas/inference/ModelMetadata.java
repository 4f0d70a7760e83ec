package io.maaschain.maas.inference;

import java.util.List;

/** The model metadata of the Open Inference Protocol: platform and tensor specs (versions are added by the server). */
public record ModelMetadata(String platform, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public ModelMetadata {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
