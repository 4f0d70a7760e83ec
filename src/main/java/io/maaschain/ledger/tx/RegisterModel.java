package io.maaschain.ledger.tx;

import io.maaschain.crypto.Hash;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Registers version {@code version} of model {@code name} by the SHA-256 digest of its artifact.
 * The first registrant of a name owns it; only the owner registers further versions.
 * {@code parentModels} and {@code datasets} are artifact digests, recording lineage.
 */
public record RegisterModel(
        String name,
        String version,
        Hash artifactDigest,
        long artifactSize,
        String format,
        String license,
        long pricePerCall,
        List<Hash> parentModels,
        List<Hash> datasets) implements Payload {

    public static final int KIND = 2;
    public static final int MAX_NAME = 64;
    public static final int MAX_VERSION = 32;
    public static final int MAX_FORMAT = 32;
    public static final int MAX_LICENSE = 128;
    public static final int MAX_LINEAGE = 16;
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    public RegisterModel {
        Objects.requireNonNull(artifactDigest, "artifactDigest");
        ModelNames.requireName(name);
        ModelNames.requireVersion(version);
        requireMatch(FORMAT, format, "model format", "lower-case letters, digits, '.', '_' or '-', at most 32");
        Objects.requireNonNull(license, "license");
        if (license.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LICENSE) {
            throw new IllegalArgumentException("license is longer than 128 bytes of UTF-8");
        }
        if (artifactSize <= 0) throw new IllegalArgumentException("artifact size must be positive");
        if (pricePerCall < 0) throw new IllegalArgumentException("price per call must not be negative");
        parentModels = List.copyOf(parentModels);
        datasets = List.copyOf(datasets);
        if (parentModels.size() > MAX_LINEAGE || datasets.size() > MAX_LINEAGE) {
            throw new IllegalArgumentException("at most 16 parent models and 16 datasets");
        }
    }

    private static void requireMatch(Pattern p, String value, String what, String rule) {
        if (value == null || !p.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be " + rule + ": " + value);
        }
    }

    @Override
    public int kind() {
        return KIND;
    }
}
