package io.maaschain.state;

import io.maaschain.contracts.CallOutcome;
import io.maaschain.contracts.CallStatus;
import io.maaschain.contracts.HostTrap;
import io.maaschain.crypto.Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only contract calls against a state (the head's, for REST queries and the gateway's policy checks): they run
 * like a transaction's call, with a gas cap, on a layer that is always dropped, so they change nothing.
 */
public final class ContractQueries {
    /** Gas a query may use at most. */
    public static final long QUERY_GAS_CAP = 5_000_000;

    private ContractQueries() {}

    /** What a query returned, with the events it would have emitted. */
    public record Answer(CallOutcome outcome, List<TxResult.Event> events) {}

    public static Answer query(StateReader state, Address caller, Address contract, String function, byte[] args,
                               long gasLimit, BlockContext block) {
        WorldState scratch = new WorldState(state);
        List<TxResult.Event> events = new ArrayList<>();
        long gas = Math.max(1, Math.min(gasLimit, QUERY_GAS_CAP));
        CallOutcome out;
        try {
            out = ChainContractHost.run(scratch, caller, contract, function, 0, args, gas, 0, block, new ArrayList<>(), events);
        } catch (HostTrap t) {
            out = CallOutcome.failed(t.status(), 0, t.getMessage());
        }
        return new Answer(out, out.status() == CallStatus.OK ? events : List.of());
    }
}
