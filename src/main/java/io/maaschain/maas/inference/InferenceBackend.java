package io.maaschain.maas.inference;

/**
 * Something that runs a model: the embedded ONNX Runtime, or another Open Inference Protocol v2 server.
 * Implementations are thread-safe. Requests reach {@link #infer} already checked against {@link #metadata()}.
 */
public sealed interface InferenceBackend extends AutoCloseable permits OnnxBackend, RemoteOipBackend {

    ModelMetadata metadata();

    /**
     * Runs the model. The response's model name and version are filled in by the caller; the backend returns the
     * outputs asked for (all when {@code request.outputs()} is empty) and any parameters of its own.
     *
     * @throws InferenceException with status 500 when the engine fails (400 only if the engine itself rejects the input)
     */
    InferenceResponse infer(InferenceRequest request);

    /** Short name for logs and metrics: "onnxruntime", "remote-oip". */
    String kind();

    @Override
    void close();
}
