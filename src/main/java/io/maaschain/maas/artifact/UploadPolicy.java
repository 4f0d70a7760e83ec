package io.maaschain.maas.artifact;

import java.time.Clock;
import java.util.Objects;

/**
 * What the store admits from uploaders (docs/artifacts.md, "Quotas and disk reserve"). {@code accountQuotaBytes}: bytes
 * one account may hold, its stored artifacts plus its partial uploads. {@code diskReserveBytes}: free space the store
 * never writes into; uploads are refused (and a running one discarded) when the free space would fall below it.
 * {@code freeSpace} measures it; {@code clock} dates partial uploads for expiry.
 */
public record UploadPolicy(long accountQuotaBytes, long diskReserveBytes, FreeSpaceProbe freeSpace, Clock clock) {
    /** No quota, no reserve: for stores that only the node itself writes (tests, tools). */
    public static final UploadPolicy UNLIMITED = new UploadPolicy(Long.MAX_VALUE, 0, FreeSpaceProbe.FILE_STORE, Clock.systemUTC());

    public UploadPolicy {
        if (accountQuotaBytes < 0 || diskReserveBytes < 0) throw new IllegalArgumentException("quota and reserve must not be negative");
        Objects.requireNonNull(freeSpace, "freeSpace");
        Objects.requireNonNull(clock, "clock");
    }

    public UploadPolicy withFreeSpace(FreeSpaceProbe probe) {
        return new UploadPolicy(accountQuotaBytes, diskReserveBytes, probe, clock);
    }

    public UploadPolicy withClock(Clock c) {
        return new UploadPolicy(accountQuotaBytes, diskReserveBytes, freeSpace, c);
    }
}
