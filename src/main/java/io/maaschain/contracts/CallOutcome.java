package io.maaschain.contracts;

/** What one contract call produced: status, gas used, return data and, when it failed, why (for people, not hashed rules). */
public record CallOutcome(CallStatus status, long gasUsed, byte[] returnData, String message) {
    public CallOutcome {
        returnData = returnData == null ? new byte[0] : returnData;
        message = message == null ? "" : message;
    }

    public boolean ok() {
        return status == CallStatus.OK;
    }

    public static CallOutcome failed(CallStatus status, long gasUsed, String message) {
        return new CallOutcome(status, gasUsed, new byte[0], message);
    }
}
