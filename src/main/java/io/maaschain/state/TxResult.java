package io.maaschain.state;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.contracts.CallStatus;
import io.maaschain.crypto.Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a contract transaction, stored under its hash (docs/spec.md, "Transaction result"): status, gas used,
 * the coins charged for it, return data, a reason, and the events emitted (none if the call failed).
 */
public record TxResult(CallStatus status, long gasUsed, long gasCoins, byte[] returnData, String message, List<Event> events) {
    public record Event(Address contract, byte[] topic, byte[] data) {}

    public TxResult {
        events = List.copyOf(events);
    }

    public boolean ok() {
        return status == CallStatus.OK;
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(64).u8(status.code()).u64(gasUsed).u64(gasCoins).bytes(returnData).string(message).u16(events.size());
        for (Event e : events) w.raw(e.contract().toBytes()).bytes(e.topic()).bytes(e.data());
        return w.toByteArray();
    }

    public static TxResult decode(byte[] b) {
        ByteReader r = new ByteReader(b);
        CallStatus status = CallStatus.ofCode(r.u8("status"));
        long gas = r.u63("gas used");
        long coins = r.u63("gas coins");
        byte[] ret = r.bytes(65536, "return data");
        String message = r.string(4096, "message");
        int n = r.u16("event count");
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(new Event(Address.wrap(r.raw(Address.LENGTH, "event contract")), r.bytes(4096, "topic"), r.bytes(4096, "data")));
        }
        r.expectEnd();
        return new TxResult(status, gas, coins, ret, message, events);
    }
}
