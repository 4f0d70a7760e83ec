package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.maas.receipt.UsageAudit;

/**
 * {@code GET /api/v1/audit/usage?model=&caller=&node=&from=&to=}: calls, fees, error rate and latency p50/p99 from
 * this node's receipt log, for a time range in ms ({@code from} inclusive, default 0; {@code to} exclusive, default
 * unbounded). {@code node} must be this node (each node reports on its own receipts) or absent.
 */
public final class AuditRoutes {
    private final UsageAudit audit;
    private final Address node;

    public AuditRoutes(UsageAudit audit, Address node) {
        this.audit = audit;
        this.node = node;
    }

    public void register(Javalin app) {
        app.get("/api/v1/audit/usage", this::usage);
    }

    private void usage(Context ctx) {
        String model = blankToNull(ctx.queryParam("model"));
        Address caller = address(ctx.queryParam("caller"), "caller");
        Address asked = address(ctx.queryParam("node"), "node");
        long from = ChainRoutes.longParam(ctx, "from", 0);
        long to = ChainRoutes.longParam(ctx, "to", Long.MAX_VALUE);
        if (from < 0 || to < from) throw ApiException.badRequest("MALFORMED", "need 0 <= from <= to");
        if (asked != null && !asked.equals(node)) {
            throw new ApiException(404, "NOT_FOUND", "this node is " + node + " and holds only its own receipts, not those of " + asked);
        }
        ctx.json(UsageAudit.json(audit.report(new UsageAudit.Query(model, caller, from, to))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Address address(String s, String what) {
        if (blankToNull(s) == null) return null;
        try {
            return Address.parse(s);
        } catch (CodecException e) {
            throw ApiException.badRequest("MALFORMED", what + ": " + e.getMessage());
        }
    }
}
