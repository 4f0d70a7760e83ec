package io.maaschain.maas.artifact;

import io.maaschain.crypto.Hash;

/** An artifact that is in the store, whole and verified when it was written. */
public record StoredArtifact(Hash digest, long size, ChunkManifest manifest) {}
