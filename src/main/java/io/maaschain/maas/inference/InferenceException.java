package io.maaschain.maas.inference;

/**
 * A failed inference call with the HTTP status the Open Inference Protocol answers it with: 400 for a bad request
 * (tensor name, shape, datatype), 404 for an unknown model, 413 for an oversized request, 503 for a model that is
 * known but not ready, 500 for a backend failure; 401/402/403/429 come from access checks.
 */
public class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public InferenceException(int status, String message) {
        super(message);
        this.status = status;
    }

    public InferenceException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public static InferenceException badRequest(String message) {
        return new InferenceException(400, message);
    }

    public static InferenceException notFound(String message) {
        return new InferenceException(404, message);
    }

    public static InferenceException backend(String message, Throwable cause) {
        return new InferenceException(500, message, cause);
    }

    public int status() {
        return status;
    }
}
