package io.maaschain.contracts;

/** A module that may not be deployed, with the rule it breaks. */
public final class ModuleRejectedException extends RuntimeException {
    private final ModuleRejection reason;

    public ModuleRejectedException(ModuleRejection reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ModuleRejection reason() {
        return reason;
    }
}
