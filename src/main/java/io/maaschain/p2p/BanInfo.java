package io.maaschain.p2p;

import io.maaschain.crypto.PublicKey;

/** A peer refused until {@code untilMillis} (by the service clock), and why. */
public record BanInfo(PublicKey id, long untilMillis, String reason) {}
