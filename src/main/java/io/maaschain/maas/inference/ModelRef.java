package io.maaschain.maas.inference;

import io.maaschain.crypto.Hash;

/** A model version as the chain registers it: what the node must serve under {@code name}/{@code version}. */
public record ModelRef(String name, String version, Hash artifactDigest, long artifactSize, String format) {
    public String id() {
        return name + "/" + version;
    }
}
