package io.maaschain.ledger.tx;

import java.util.regex.Pattern;

/** The syntax of model names and versions, shared by every payload that names a model. */
public final class ModelNames {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,31}");

    private ModelNames() {}

    public static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name must be lower-case letters, digits, '.', '_' or '-', at most 64: " + name);
        }
    }

    public static void requireVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("model version must be letters, digits, '.', '_', '+' or '-', at most 32: " + version);
        }
    }
}
