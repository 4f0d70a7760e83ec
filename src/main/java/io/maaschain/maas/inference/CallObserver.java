package io.maaschain.maas.inference;

/** Receives the record of every call, success or failure, after the answer is ready. Must not block for long. */
@FunctionalInterface
public interface CallObserver {
    CallObserver NONE = record -> {};

    void onCall(CallRecord record);
}
